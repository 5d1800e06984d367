import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Project } from '../project/project';
import type { DifficultyClass, ImageFormat, ImportReport, LabelMap, MaskConvention, RgbImage, SkippedFile, Split } from '../../shared/domain';
import { decodeImage, ImageDecodeError } from '../imaging/decode-image';
import { encodeThumbnail } from '../imaging/encode-image';
import { detectConvention, maskFromImage, MaskFormatError } from '../imaging/mask-convention';
import { scanFolder } from './scan-folder';
import { readClassesCsv } from './classes-csv';

export const THUMBNAIL_SIZE = 160;

export interface ImportOptions {
  recursive?: boolean;
  masksDir?: string | null;
  /** 'auto' guesses per mask from its pixel values; 'none' ignores masks. */
  maskConvention?: MaskConvention | 'auto' | 'none';
  author?: string;
  onProgress?: (p: { done: number; total: number; file: string }) => void;
  signal?: AbortSignal;
}

/** One image ready to be written, decoded and validated outside the transaction. */
export interface PreparedImage {
  file: string;
  name: string;
  bytes: Uint8Array;
  hash: string;
  format: ImageFormat;
  image: RgbImage;
  mask: LabelMap | null;
  maskSource?: string;
  difficulty?: DifficultyClass | null;
  split?: Split;
  tags?: string[];
  sequenceId?: string | null;
  frameIndex?: number | null;
}

export const hashBytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

async function prepare(
  folder: string,
  item: { image: string; mask: string | null },
  convention: MaskConvention | 'auto' | 'none',
  skipped: SkippedFile[],
): Promise<PreparedImage | null> {
  const rel = relative(folder, item.image) || basename(item.image);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(item.image));
  } catch (err) {
    skipped.push({ file: rel, reason: `cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    return null;
  }
  let decoded;
  try {
    decoded = await decodeImage(bytes, rel);
  } catch (err) {
    skipped.push({ file: rel, reason: err instanceof ImageDecodeError ? err.reason : (err as Error).message });
    return null;
  }
  let mask: LabelMap | null = null;
  if (item.mask && convention !== 'none') {
    const maskRel = relative(folder, item.mask).startsWith('..') ? item.mask : relative(folder, item.mask);
    try {
      const m = await decodeImage(new Uint8Array(readFileSync(item.mask)), maskRel);
      if (m.image.width !== decoded.image.width || m.image.height !== decoded.image.height) {
        throw new MaskFormatError(`mask is ${m.image.width}x${m.image.height} but its image ${rel} is ${decoded.image.width}x${decoded.image.height}`);
      }
      const conv = convention === 'auto' ? detectConvention(m.image) : convention;
      if (!conv) throw new MaskFormatError('cannot tell the mask convention from its pixel values; pass --mask-convention');
      mask = maskFromImage(m.image, conv);
    } catch (err) {
      const reason = err instanceof ImageDecodeError ? err.reason : (err as Error).message;
      skipped.push({ file: maskRel, reason: `mask skipped: ${reason} (image imported without it)` });
    }
  }
  return { file: rel, name: basename(item.image), bytes, hash: hashBytes(bytes), format: decoded.format, image: decoded.image, mask };
}

/**
 * Write prepared images. Each image and its mask land in one transaction, so a process
 * killed at any point leaves every image either fully imported or absent.
 */
export async function writePrepared(project: Project, items: PreparedImage[], author: string, report: ImportReport): Promise<void> {
  const thumbs = await Promise.all(items.map((p) => encodeThumbnail(p.image, THUMBNAIL_SIZE)));
  items.forEach((p, k) => {
    project.transaction(() => {
      const existing = project.images.find(p.hash, p.name);
      if (existing !== null) {
        report.duplicates++;
        // A duplicate adds nothing, except a mask for an image that has no ground truth yet.
        if (p.mask && !project.masks.current(existing, 'ground-truth')) {
          project.masks.append({ imageId: existing, kind: 'ground-truth', source: p.maskSource ?? 'imported', author, mask: p.mask });
          report.masksImported++;
        }
        return;
      }
      const twin = project.images.sameContent(p.hash, p.name);
      if (twin) report.notes.push({ file: p.file, note: `same pixels as ${twin}; kept as its own image (same split)` });
      const id = project.images.insert({
        hash: p.hash, name: p.name, originalPath: p.file, width: p.image.width, height: p.image.height, format: p.format,
        bytes: p.bytes, thumbnail: thumbs[k], difficulty: p.difficulty, split: p.split, tags: p.tags,
        sequenceId: p.sequenceId, frameIndex: p.frameIndex,
      });
      report.imported++;
      report.imageIds.push(id);
      if (p.mask) {
        project.masks.append({ imageId: id, kind: 'ground-truth', source: p.maskSource ?? 'imported', author, mask: p.mask });
        report.masksImported++;
      }
    });
  });
}

export function emptyReport(): ImportReport {
  return { scanned: 0, imported: 0, duplicates: 0, masksImported: 0, skipped: [], notes: [], imageIds: [] };
}

export async function importFolder(project: Project, folder: string, opts: ImportOptions = {}): Promise<ImportReport> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`${folder}: not a folder`);
  if (opts.masksDir && (!existsSync(opts.masksDir) || !statSync(opts.masksDir).isDirectory())) throw new Error(`${opts.masksDir}: masks folder not found`);
  const convention = opts.maskConvention ?? 'auto';
  const scan = scanFolder(folder, { recursive: opts.recursive, masksDir: opts.masksDir, withMasks: convention !== 'none' });
  const report = emptyReport();
  report.scanned = scan.items.length;
  report.skipped.push(...scan.ignored);
  for (const m of scan.orphanMasks) report.skipped.push({ file: relative(folder, m), reason: 'mask has no image with the same name' });
  const classes = readClassesCsv(join(folder, 'classes.csv'));
  const author = opts.author ?? process.env.USER ?? 'user';
  const CHUNK = 8;
  for (let i = 0; i < scan.items.length; i += CHUNK) {
    if (opts.signal?.aborted) throw new Error('import cancelled');
    const chunk = scan.items.slice(i, i + CHUNK);
    const prepared = (await Promise.all(chunk.map((it) => prepare(folder, it, convention, report.skipped)))).filter((p): p is PreparedImage => p !== null);
    for (const p of prepared) p.difficulty = classes.get(p.name) ?? null;
    await writePrepared(project, prepared, author, report);
    opts.onProgress?.({ done: Math.min(i + CHUNK, scan.items.length), total: scan.items.length, file: chunk[chunk.length - 1].image });
  }
  return report;
}
