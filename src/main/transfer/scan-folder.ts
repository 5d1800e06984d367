import { readdirSync, statSync, type Dirent } from 'node:fs';
import { basename, extname, join, relative } from 'node:path';

export const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.tif', '.tiff', '.bmp']);
const MASK_SUFFIX = /([._-](mask|masks|label|labels|gt|groundtruth|seg))$/i;

export interface ScannedItem {
  image: string;
  mask: string | null;
}

export interface ScanResult {
  items: ScannedItem[];
  /** Files that look like neither an image nor a mask we can pair. */
  ignored: { file: string; reason: string }[];
  /** Masks with no image of the same stem. */
  orphanMasks: string[];
}

/** "permission denied (EACCES)" and the like: the reason a technician can act on. */
export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'not found (a dangling symbolic link?)',
    ELOOP: 'symbolic link loop',
    ENAMETOOLONG: 'path too long',
    EIO: 'input/output error',
    ENOTDIR: 'not a folder',
  };
  return code ? `${words[code] ?? 'cannot read'} (${code})` : (err as Error).message;
}

/**
 * Every file under `dir`. What cannot be read (a folder without permission, a dangling link,
 * a link loop) is reported in `problems` and skipped: one bad entry never ends a scan.
 * Symbolic links to files are followed; links to folders are not (they can loop).
 */
function listFiles(root: string, dir: string, recursive: boolean, problems: ScanResult['ignored']): string[] {
  const out: string[] = [];
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    if (dir === root) throw new Error(`${dir}: cannot list the folder: ${fsReason(err)}`);
    problems.push({ file: relative(root, dir) || dir, reason: `folder skipped: ${fsReason(err)}` });
    return out;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...listFiles(root, p, true, problems));
    } else if (entry.isFile()) {
      out.push(p);
    } else if (entry.isSymbolicLink()) {
      let isFile = false;
      let isDir = false;
      try {
        const st = statSync(p);
        isFile = st.isFile();
        isDir = st.isDirectory();
      } catch (err) {
        problems.push({ file: relative(root, p), reason: `cannot follow the symbolic link: ${fsReason(err)}` });
        continue;
      }
      if (isFile) out.push(p);
      else if (isDir && recursive) problems.push({ file: relative(root, p), reason: 'symbolic link to a folder, not followed (it could loop)' });
    }
  }
  return out;
}

const stemOf = (file: string): string => basename(file, extname(file));

/**
 * Pair images with masks. A mask is either in `masksDir` under the image's stem (with or
 * without a _mask-like suffix), or beside the image: a file with a mask suffix
 * (001_mask.png), or a PNG that shares its stem with an image of another format
 * (001.bmp + 001.png, as in wbc-dataset1).
 */
export function scanFolder(folder: string, opts: { recursive?: boolean; masksDir?: string | null; withMasks?: boolean } = {}): ScanResult {
  const withMasks = opts.withMasks ?? true;
  const ignored: ScanResult['ignored'] = [];
  const files = listFiles(folder, folder, opts.recursive ?? false, ignored);
  const candidates: string[] = [];
  for (const f of files) {
    if (IMAGE_EXTENSIONS.has(extname(f).toLowerCase())) candidates.push(f);
    else if (!/\.(csv|json|txt|md)$/i.test(f) && !/(^|\/)(LICENSE|README)/.test(f)) ignored.push({ file: relative(folder, f), reason: 'not an image file (PNG, JPEG, TIFF or BMP expected)' });
  }

  const masksBeside = new Map<string, string>(); // key dir/stem -> mask file
  const images: string[] = [];
  if (withMasks && !opts.masksDir) {
    const byStem = new Map<string, string[]>();
    for (const f of candidates) {
      const key = join(f, '..', stemOf(f));
      byStem.set(key, [...(byStem.get(key) ?? []), f]);
    }
    for (const f of candidates) {
      const stem = stemOf(f);
      if (MASK_SUFFIX.test(stem)) {
        masksBeside.set(join(f, '..', stem.replace(MASK_SUFFIX, '')), f);
        continue;
      }
      const group = byStem.get(join(f, '..', stem)) ?? [];
      const isPng = extname(f).toLowerCase() === '.png';
      if (group.length > 1 && isPng && group.some((g) => extname(g).toLowerCase() !== '.png')) {
        masksBeside.set(join(f, '..', stem), f);
        continue;
      }
      images.push(f);
    }
  } else {
    images.push(...candidates);
  }

  let masksInDir = new Map<string, string>();
  if (withMasks && opts.masksDir) {
    masksInDir = new Map(
      listFiles(opts.masksDir, opts.masksDir, opts.recursive ?? false, ignored)
        .filter((f) => IMAGE_EXTENSIONS.has(extname(f).toLowerCase()))
        .map((f) => [stemOf(f).replace(MASK_SUFFIX, ''), f]),
    );
  }

  const used = new Set<string>();
  const items = images.map((image) => {
    const mask = opts.masksDir ? masksInDir.get(stemOf(image)) ?? null : masksBeside.get(join(image, '..', stemOf(image))) ?? null;
    if (mask) used.add(mask);
    return { image, mask };
  });
  const orphanMasks = [...(opts.masksDir ? masksInDir.values() : masksBeside.values())].filter((m) => !used.has(m));
  return { items, ignored, orphanMasks };
}
