import { readdirSync, statSync } from 'node:fs';
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

function listFiles(dir: string, recursive: boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) out.push(...listFiles(p, true));
    } else if (entry.isFile() || (entry.isSymbolicLink() && statSync(p).isFile())) {
      out.push(p);
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
  const files = listFiles(folder, opts.recursive ?? false);
  const ignored: ScanResult['ignored'] = [];
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
      listFiles(opts.masksDir, opts.recursive ?? false)
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
