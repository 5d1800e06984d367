import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import type { Project } from '../project/project';
import type { NewSequence } from '../project/sequences-repo';
import type { DifficultyClass, ImageFormat, ImportReport, LabelMap, MaskConvention, RgbImage, SkippedFile, Split } from '../../shared/domain';
import { decodeImage, ImageDecodeError, ImageTooLargeError, sniffFormat } from '../imaging/decode-image';
import { declaredSize, megapixelsToPixels } from '../imaging/declared-size';
import { encodeThumbnail } from '../imaging/encode-image';
import { detectConvention, maskFromImage, MaskFormatError } from '../imaging/mask-convention';
import { fsReason, scanFolder } from './scan-folder';
import { readClassesCsv } from './classes-csv';
import { applyTagFilesBeside } from '../project/tags-csv';
import { recordImportSource } from './import-sources';
import { PixelBudget } from './pixel-budget';
import { majoritySize, MAX_STACK_PAGES, stackPageAsPng, stackPageName, stackPageSizes, tiffPageCount, type StackFile } from './tiff-stack';
import type { ScannedItem } from './scan-folder';

export const THUMBNAIL_SIZE = 160;

export interface ImportOptions {
  recursive?: boolean;
  masksDir?: string | null;
  /** 'auto' guesses per mask from its pixel values; 'none' ignores masks. */
  maskConvention?: MaskConvention | 'auto' | 'none';
  /** Decoding limit for images and masks; default: the project's `maxMegapixels` setting. */
  maxMegapixels?: number;
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
  /** The pixels; an import drops them (empty `data`) once the thumbnail is made, keeping the size. */
  image: RgbImage;
  /** Made from `image` at write time when absent. */
  thumbnail?: Uint8Array;
  mask: LabelMap | null;
  maskSource?: string;
  /** Absolute paths of the files the image and its mask were read from (export-masks never writes over them). */
  sourcePath?: string;
  maskPath?: string;
  difficulty?: DifficultyClass | null;
  split?: Split;
  tags?: string[];
  /** Make the image this frame of a sequence (created on first use, see SequencesRepo.ensure). */
  frame?: { sequence: NewSequence; index: number };
}

/** An image that cannot become the frame it was meant to be; the image is not imported. */
class FrameError extends Error {}

export const hashBytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const reasonOf = (err: unknown): string => (err instanceof ImageDecodeError ? err.reason : (err as Error).message);

const realPath = (file: string): string => {
  try {
    return realpathSync(file);
  } catch {
    return resolve(file);
  }
};

/**
 * Read a file no bigger than any image within the limit could be (8 bytes per pixel covers
 * 16-bit RGBA uncompressed TIFF), so a huge file is refused before it is read into memory.
 */
export function readBounded(file: string, maxPixels: number): Uint8Array {
  const max = maxPixels * 8 + 64 * 1024 * 1024;
  const size = statSync(file).size;
  if (size > max) throw new ImageDecodeError(file, `file is ${Math.round(size / 1e6)} MB, more than an image within the decoding limit can take`);
  return new Uint8Array(readFileSync(file));
}

/** Pixels a file declares (0 when the header says nothing usable; decoding then reports why). */
async function declaredPixels(bytes: Uint8Array): Promise<number> {
  const format = sniffFormat(bytes);
  if (!format) return 0;
  try {
    const s = await declaredSize(bytes, format);
    return s && s.width > 0 && s.height > 0 ? s.width * s.height : 0;
  } catch {
    return 0;
  }
}

export async function prepare(
  folder: string,
  item: { image: string; mask: string | null },
  convention: MaskConvention | 'auto' | 'none',
  skipped: SkippedFile[],
  maxPixels: number,
  budget: PixelBudget,
): Promise<PreparedImage | null> {
  const rel = relative(folder, item.image) || basename(item.image);
  let bytes: Uint8Array;
  try {
    bytes = readBounded(item.image, maxPixels);
  } catch (err) {
    skipped.push({ file: rel, reason: err instanceof ImageDecodeError ? err.reason : `cannot read file: ${fsReason(err)}` });
    return null;
  }
  // Hold a share of the pixel budget from decoding until the pixels are dropped, so a folder
  // of large images decodes a few at a time. Bombs never get here: decodeImage refuses them on
  // their header, and the budget sees at most the limit.
  const release = await budget.acquire(Math.min(await declaredPixels(bytes), maxPixels));
  try {
    let decoded;
    try {
      decoded = await decodeImage(bytes, rel, { maxPixels });
    } catch (err) {
      skipped.push({ file: rel, reason: reasonOf(err) });
      return null;
    }
    const { width, height } = decoded.image;
    let thumbnail: Uint8Array;
    try {
      thumbnail = await encodeThumbnail(decoded.image, THUMBNAIL_SIZE);
    } catch (err) {
      skipped.push({ file: rel, reason: `cannot make its thumbnail (${(err as Error).message.split('\n')[0]})` });
      return null;
    }
    let mask: LabelMap | null = null;
    let maskPath: string | undefined;
    if (item.mask && convention !== 'none') {
      const maskRel = relative(folder, item.mask).startsWith('..') ? item.mask : relative(folder, item.mask);
      try {
        const maskBytes = readBounded(item.mask, maxPixels);
        // Compare the mask's declared size with its image before decoding it: a mask bomb
        // is refused on its header.
        const format = sniffFormat(maskBytes);
        const declared = format ? await declaredSize(maskBytes, format).catch(() => null) : null;
        if (declared && (declared.width !== width || declared.height !== height)) {
          throw new MaskFormatError(`mask is ${declared.width}x${declared.height} but its image ${rel} is ${width}x${height} (refused before decoding)`);
        }
        const m = await decodeImage(maskBytes, maskRel, { maxPixels: width * height });
        if (m.image.width !== width || m.image.height !== height) {
          throw new MaskFormatError(`mask is ${m.image.width}x${m.image.height} but its image ${rel} is ${width}x${height}`);
        }
        const conv = convention === 'auto' ? detectConvention(m.image) : convention;
        if (!conv) throw new MaskFormatError('its pixel values fit no mask convention (gray3, rgb, binary, index); pass --mask-convention');
        mask = maskFromImage(m.image, conv);
        maskPath = realPath(item.mask);
      } catch (err) {
        const reason = err instanceof ImageTooLargeError ? `mask is larger than its image ${rel} (${width}x${height}): ${err.reason}` : reasonOf(err);
        skipped.push({ file: maskRel, reason: `mask skipped: ${reason} (image imported without it)` });
      }
    }
    return {
      file: rel, name: basename(item.image), bytes, hash: hashBytes(bytes), format: decoded.format,
      // The pixels are not needed any more: keep only the size.
      image: { width, height, data: new Uint8Array(0) },
      thumbnail, mask, sourcePath: realPath(item.image), maskPath,
    };
  } finally {
    release();
  }
}

/**
 * Write prepared images. Each image and its mask land in one transaction, so a process
 * killed at any point leaves every image either fully imported or absent.
 */
export async function writePrepared(project: Project, items: PreparedImage[], author: string, report: ImportReport): Promise<void> {
  const thumbs = await Promise.all(items.map((p) => p.thumbnail ?? encodeThumbnail(p.image, THUMBNAIL_SIZE)));
  items.forEach((p, k) => {
    try {
      project.transaction(() => writeOne(project, p, thumbs[k], author, report));
    } catch (err) {
      if (!(err instanceof FrameError)) throw err;
      // The transaction rolled back: neither the image nor its mask is in the project.
      report.skipped.push({ file: p.file, reason: err.message });
    }
  });
}

/** One image (and its mask and frame) inside the caller's transaction; report counts change only once nothing can fail. */
function writeOne(project: Project, p: PreparedImage, thumbnail: Uint8Array, author: string, report: ImportReport): void {
  const existing = project.images.find(p.hash, p.name);
  if (existing !== null) {
    // The same file found at another place is a source of this image too.
    if (p.sourcePath) recordImportSource(project, existing, 'image', p.sourcePath);
    // A loose image imported again as a frame joins its sequence.
    if (p.frame) attachFrame(project, existing, p);
    report.duplicates++;
    // A duplicate adds nothing, except a mask for an image that has no ground truth yet.
    if (p.mask && !project.masks.current(existing, 'ground-truth')) {
      project.masks.append({ imageId: existing, kind: 'ground-truth', source: p.maskSource ?? 'imported', author, mask: p.mask });
      if (p.maskPath) recordImportSource(project, existing, 'mask', p.maskPath);
      report.masksImported++;
    }
    return;
  }
  const twin = project.images.sameContent(p.hash, p.name);
  const id = project.images.insert({
    hash: p.hash, name: p.name, originalPath: p.file, width: p.image.width, height: p.image.height, format: p.format,
    bytes: p.bytes, thumbnail, difficulty: p.difficulty, split: p.split, tags: p.tags,
  });
  if (p.frame) attachFrame(project, id, p);
  if (twin) report.notes.push({ file: p.file, note: `same pixels as ${twin}; kept as its own image (same split)` });
  report.imported++;
  report.imageIds.push(id);
  if (p.sourcePath) recordImportSource(project, id, 'image', p.sourcePath);
  if (p.mask) {
    project.masks.append({ imageId: id, kind: 'ground-truth', source: p.maskSource ?? 'imported', author, mask: p.mask });
    if (p.maskPath) recordImportSource(project, id, 'mask', p.maskPath);
    report.masksImported++;
  }
}

/** Every frame of a sequence has the sequence's size, and each index holds one image. */
function attachFrame(project: Project, imageId: number, p: PreparedImage): void {
  if (!p.frame) return;
  const seq = project.sequences.ensure(p.frame.sequence);
  if (seq.width !== p.image.width || seq.height !== p.image.height) {
    throw new FrameError(`frame ${p.frame.index} is ${p.image.width}x${p.image.height} but the frames of sequence ${seq.name} are ${seq.width}x${seq.height}`);
  }
  try {
    project.sequences.addFrame(seq.id, imageId, p.frame.index);
  } catch (err) {
    throw new FrameError((err as Error).message);
  }
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
  let classes = new Map<string, DifficultyClass>();
  try {
    classes = readClassesCsv(join(folder, 'classes.csv'));
  } catch (err) {
    report.skipped.push({ file: 'classes.csv', reason: `difficulty classes not read: ${fsReason(err)}` });
  }
  const author = opts.author ?? process.env.USER ?? 'user';
  const maxPixels = megapixelsToPixels(opts.maxMegapixels ?? project.settings.get().maxMegapixels);
  const budget = new PixelBudget(maxPixels);
  const CHUNK = 8;
  for (let i = 0; i < scan.items.length; i += CHUNK) {
    if (opts.signal?.aborted) throw new Error('import cancelled');
    const chunk: ScannedItem[] = [];
    for (const it of scan.items.slice(i, i + CHUNK)) {
      // A multi-page TIFF is a sequence by itself: its pages become frames.
      const stack = await readStack(folder, it, maxPixels);
      if (stack) await importStack(project, it, stack, { convention, maxPixels, author, signal: opts.signal }, report);
      else chunk.push(it);
    }
    const prepared = (await Promise.all(chunk.map((it) => prepare(folder, it, convention, report.skipped, maxPixels, budget)))).filter((p): p is PreparedImage => p !== null);
    for (const p of prepared) p.difficulty = classes.get(p.name) ?? null;
    await writePrepared(project, prepared, author, report);
    opts.onProgress?.({ done: Math.min(i + CHUNK, scan.items.length), total: scan.items.length, file: scan.items[Math.min(i + CHUNK, scan.items.length) - 1].image });
  }
  // Image tags (WBC types) from a tags.csv or wbc-dataset1's class-labels.csv beside the images.
  applyTagFilesBeside(project, folder, report);
  return report;
}

/** A multi-page TIFF (two pages or more), else null (ordinary images, and files prepare() reports). */
export async function readStack(folder: string, item: ScannedItem, maxPixels: number): Promise<StackFile | null> {
  if (!/\.tiff?$/i.test(item.image)) return null;
  let bytes: Uint8Array;
  try {
    bytes = readBounded(item.image, maxPixels);
  } catch {
    return null;
  }
  if (sniffFormat(bytes) !== 'tiff') return null;
  const pages = await tiffPageCount(bytes);
  if (pages < 2) return null;
  return { file: relative(folder, item.image) || basename(item.image), bytes, pages, sizes: await stackPageSizes(bytes, Math.min(pages, MAX_STACK_PAGES)) };
}

interface StackContext {
  convention: MaskConvention | 'auto' | 'none';
  maxPixels: number;
  author: string;
  signal?: AbortSignal;
}

interface MaskStack {
  file: string;
  bytes: Uint8Array;
  pages: number;
  path: string;
}

/**
 * Import a TIFF stack as a sequence named after it (its path in the folder, without the
 * extension), page k as frame k. A mask beside it must be a stack too: page k labels frame
 * k, and a mask stack with fewer pages labels the first frames only. A page that cannot be
 * read, or whose size differs from most pages, is reported and left out; the rest import.
 */
async function importStack(project: Project, item: ScannedItem, stack: StackFile, ctx: StackContext, report: ImportReport): Promise<void> {
  if (stack.pages > MAX_STACK_PAGES) {
    report.skipped.push({ file: stack.file, reason: `TIFF stack of ${stack.pages} pages, more than the ${MAX_STACK_PAGES} a sequence may hold` });
    return;
  }
  const size = majoritySize(stack.sizes);
  if (!size) {
    report.skipped.push({ file: stack.file, reason: 'TIFF stack: no page has a readable header' });
    return;
  }
  const stem = stack.file.replace(/\.tiff?$/i, '');
  const sequence: NewSequence = { name: stem, width: size.width, height: size.height, source: realPath(item.image) };
  let mask: MaskStack | null = null;
  if (item.mask && ctx.convention !== 'none') {
    const maskFile = relative(join(item.image, '..'), item.mask).startsWith('..') ? item.mask : join(stack.file, '..', basename(item.mask));
    try {
      const bytes = readBounded(item.mask, ctx.maxPixels);
      const pages = sniffFormat(bytes) === 'tiff' ? await tiffPageCount(bytes) : 1;
      if (pages < 2) throw new MaskFormatError('the masks of a TIFF stack must be a multi-page TIFF, page k labelling frame k; this file has one page');
      mask = { file: maskFile, bytes, pages, path: realPath(item.mask) };
      for (let k = stack.pages; k < pages; k++) {
        report.skipped.push({ file: `${maskFile} page ${k}`, reason: `mask for frame ${k}, which the stack does not have (it has ${stack.pages} pages)` });
      }
    } catch (err) {
      report.skipped.push({ file: maskFile, reason: `mask skipped: ${reasonOf(err)} (stack imported without masks)` });
    }
  }
  report.scanned += stack.pages - 1; // one file, many frames
  const CHUNK = 8;
  for (let k = 0; k < stack.pages; k += CHUNK) {
    if (ctx.signal?.aborted) throw new Error('import cancelled');
    const prepared: PreparedImage[] = [];
    for (let page = k; page < Math.min(k + CHUNK, stack.pages); page++) {
      const p = await prepareStackPage(stack, page, size, mask, ctx, report.skipped);
      if (p) prepared.push({ ...p, sourcePath: sequence.source, frame: { sequence, index: page } });
    }
    await writePrepared(project, prepared, ctx.author, report);
  }
}

async function prepareStackPage(
  stack: StackFile,
  page: number,
  size: { width: number; height: number },
  mask: MaskStack | null,
  ctx: StackContext,
  skipped: SkippedFile[],
): Promise<PreparedImage | null> {
  const label = `${stack.file} page ${page}`;
  const declared = stack.sizes[page];
  if (declared && (declared.width !== size.width || declared.height !== size.height)) {
    skipped.push({ file: label, reason: `frame ${page} is ${declared.width}x${declared.height} but most frames of the stack are ${size.width}x${size.height}` });
    return null;
  }
  let png: Uint8Array;
  let thumbnail: Uint8Array;
  let width: number, height: number;
  try {
    png = await stackPageAsPng(stack.bytes, page, stack.file, ctx.maxPixels);
    const decoded = await decodeImage(png, label, { maxPixels: ctx.maxPixels });
    ({ width, height } = decoded.image);
    thumbnail = await encodeThumbnail(decoded.image, THUMBNAIL_SIZE);
  } catch (err) {
    skipped.push({ file: label, reason: reasonOf(err) });
    return null;
  }
  let labels: LabelMap | null = null;
  if (mask && page < mask.pages) {
    try {
      const m = await decodeImage(await stackPageAsPng(mask.bytes, page, mask.file, width * height), `${mask.file} page ${page}`, { maxPixels: width * height });
      if (m.image.width !== width || m.image.height !== height) throw new MaskFormatError(`mask is ${m.image.width}x${m.image.height} but its frame is ${width}x${height}`);
      const conv = ctx.convention === 'auto' ? detectConvention(m.image) : ctx.convention;
      if (!conv || conv === 'none') throw new MaskFormatError('its pixel values fit no mask convention (gray3, rgb, binary, index); pass --mask-convention');
      labels = maskFromImage(m.image, conv);
    } catch (err) {
      skipped.push({ file: `${mask.file} page ${page}`, reason: `mask skipped: ${reasonOf(err)} (frame imported without it)` });
    }
  }
  const stem = basename(stack.file).replace(/\.tiff?$/i, '');
  return {
    file: label, name: stackPageName(stem, page, stack.pages), bytes: png, hash: hashBytes(png), format: 'png',
    image: { width, height, data: new Uint8Array(0) }, thumbnail, mask: labels, maskPath: labels ? mask?.path : undefined,
  };
}
