// Import a folder of numbered frames as one sequence (`hemaseg import P FOLDER --as-sequence`).
// Frames are ordered by the number in their names; masks may label some frames only (sparse
// labels are the norm) and pair with frames by that number. Everything that goes wrong is
// reported per file, the rest imported: a gap in the numbering, a frame whose size differs
// from most frames, a mask for a frame that does not exist, an unreadable frame.
import { existsSync, statSync } from 'node:fs';
import { basename, extname, relative, resolve } from 'node:path';
import type { Project } from '../project/project';
import type { NewSequence } from '../project/sequences-repo';
import type { ImportReport, MaskConvention } from '../../shared/domain';
import { sniffFormat } from '../imaging/decode-image';
import { declaredSize, megapixelsToPixels } from '../imaging/declared-size';
import { emptyReport, prepare, readBounded, readStack, writePrepared, type ImportOptions } from './import-folder';
import { scanFolder, type ScannedItem } from './scan-folder';
import { majoritySize } from './tiff-stack';
import { PixelBudget } from './pixel-budget';
import { applyTagFilesBeside } from '../project/tags-csv';
import { FRAME_PROTOCOLS } from '../project/frame-protocols';

export interface SequenceImportOptions {
  /** The sequence's name; default: the folder's name. Importing again into the same name adds the new frames. */
  name?: string;
  /** Seconds between frames, when known. */
  frameInterval?: number | null;
  /** A per-frame split protocol (FRAME_PROTOCOLS, e.g. seed000); default: one split for the whole sequence. */
  protocol?: string;
}

/**
 * The frame number in a file name: the last run of digits in its stem (frame_0012.png -> 12,
 * t005.tif -> 5, frame_0012_mask.png -> 12). Null when the name holds no digit.
 */
export function frameNumberOf(file: string): number | null {
  const stem = basename(file, extname(file));
  const m = /(\d+)\D*$/.exec(stem);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : null;
}

interface NumberedFrame {
  item: ScannedItem;
  file: string;
  index: number;
}

export async function importSequenceFolder(project: Project, folder: string, seq: SequenceImportOptions, opts: ImportOptions = {}): Promise<ImportReport> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`${folder}: not a folder`);
  if (opts.masksDir && (!existsSync(opts.masksDir) || !statSync(opts.masksDir).isDirectory())) throw new Error(`${opts.masksDir}: masks folder not found`);
  if (opts.recursive) throw new Error(`${folder}: a sequence is one folder of numbered frames; --recursive does not apply to --as-sequence`);
  const name = (seq.name ?? basename(resolve(folder))).trim();
  if (!name) throw new Error(`${folder}: the sequence needs a name`);
  if (seq.frameInterval !== undefined && seq.frameInterval !== null && !(seq.frameInterval > 0)) throw new Error(`frame interval must be a positive number of seconds, got ${seq.frameInterval}`);
  if (seq.protocol !== undefined && !FRAME_PROTOCOLS[seq.protocol]) throw new Error(`unknown split protocol '${seq.protocol}' (known: ${Object.keys(FRAME_PROTOCOLS).join(', ')})`);
  const convention: MaskConvention | 'auto' | 'none' = opts.maskConvention ?? 'auto';
  const report = emptyReport();
  const rel = (f: string): string => relative(folder, f) || basename(f);

  // Masks beside the frames pair by name (frame_0003_mask.png); masks in --masks pair by number.
  const scan = scanFolder(folder, { withMasks: convention !== 'none' && !opts.masksDir });
  report.skipped.push(...scan.ignored);
  const frames = numberFrames(scan.items, rel, report);
  const byIndex = new Map(frames.map((f) => [f.index, f]));
  const orphanMasks = [...scan.orphanMasks];
  if (opts.masksDir && convention !== 'none') {
    const masks = scanFolder(opts.masksDir, { withMasks: false });
    report.skipped.push(...masks.ignored.map((s) => ({ ...s, file: `${opts.masksDir}/${s.file}` })));
    const seen = new Map<number, string>();
    for (const m of masks.items) {
      const n = frameNumberOf(m.image);
      const f = n === null ? undefined : byIndex.get(n);
      if (n !== null && seen.has(n)) {
        report.skipped.push({ file: m.image, reason: `mask for frame ${n}, which ${seen.get(n)} already labels` });
        continue;
      }
      if (n !== null) seen.set(n, basename(m.image));
      if (f) f.item = { ...f.item, mask: m.image };
      else orphanMasks.push(m.image);
    }
  }
  for (const m of orphanMasks) {
    const n = frameNumberOf(m);
    report.skipped.push({
      file: m.startsWith(folder) ? rel(m) : m,
      reason: n === null ? 'mask has no frame number in its name' : `mask for frame ${n}, which the sequence does not have (no frame numbered ${n} was found)`,
    });
  }
  report.scanned = scan.items.length;

  const maxPixels = megapixelsToPixels(opts.maxMegapixels ?? project.settings.get().maxMegapixels);
  // A TIFF stack is a sequence by itself, never one frame of another.
  const plain: NumberedFrame[] = [];
  for (const f of frames) {
    const stack = await readStack(folder, f.item, maxPixels);
    if (stack) report.skipped.push({ file: f.file, reason: `a multi-page TIFF (${stack.pages} pages) is a sequence by itself: import it without --as-sequence` });
    else plain.push(f);
  }
  // The sequence's size is that of most frames (from headers: nothing decoded yet).
  const sizes = await Promise.all(plain.map((f) => headerSize(f.item.image, maxPixels)));
  const size = majoritySize(sizes);
  if (!size) {
    report.skipped.push(...plain.map((f) => ({ file: f.file, reason: 'unreadable image header' })));
    return report;
  }
  const sequence: NewSequence = { name, width: size.width, height: size.height, source: resolve(folder), frameInterval: seq.frameInterval ?? null, protocol: seq.protocol };
  const existing = project.sequences.byName(name);
  const target = existing ?? size;
  const wanted: NumberedFrame[] = [];
  plain.forEach((f, k) => {
    const s = sizes[k];
    if (s && (s.width !== target.width || s.height !== target.height)) {
      report.skipped.push({ file: f.file, reason: `frame ${f.index} is ${s.width}x${s.height} but ${existing ? `the frames of sequence ${name}` : 'most frames'} are ${target.width}x${target.height}${f.item.mask ? ' (its mask was not imported either)' : ''}` });
    } else wanted.push(f);
  });

  const author = opts.author ?? process.env.USER ?? 'user';
  const budget = new PixelBudget(maxPixels);
  const CHUNK = 8;
  for (let i = 0; i < wanted.length; i += CHUNK) {
    if (opts.signal?.aborted) throw new Error('import cancelled');
    const chunk = wanted.slice(i, i + CHUNK);
    const prepared = await Promise.all(chunk.map((f) => prepare(folder, f.item, convention, report.skipped, maxPixels, budget)));
    const ready = prepared.flatMap((p, k) => (p ? [{ ...p, frame: { sequence, index: chunk[k].index } }] : []));
    await writePrepared(project, ready, author, report);
    opts.onProgress?.({ done: Math.min(i + CHUNK, wanted.length), total: wanted.length, file: chunk[chunk.length - 1].item.image });
  }
  applyTagFilesBeside(project, folder, report);
  return report;
}

/** Frames by number; a file without a number or with a number taken is reported. Gaps are notes on the frame after them. */
function numberFrames(items: ScannedItem[], rel: (f: string) => string, report: ImportReport): NumberedFrame[] {
  const frames: NumberedFrame[] = [];
  const taken = new Map<number, string>();
  for (const item of items) {
    const file = rel(item.image);
    const index = frameNumberOf(item.image);
    if (index === null) {
      report.skipped.push({ file, reason: 'no frame number in its name (--as-sequence orders frames by the number in their names)' });
      continue;
    }
    const other = taken.get(index);
    if (other !== undefined) {
      report.skipped.push({ file, reason: `frame number ${index} is also ${other}'s` });
      continue;
    }
    taken.set(index, file);
    frames.push({ item, file, index });
  }
  frames.sort((a, b) => a.index - b.index);
  for (let k = 1; k < frames.length; k++) {
    const gap = frames[k].index - frames[k - 1].index - 1;
    if (gap > 0) {
      const missing = gap === 1 ? `frame ${frames[k].index - 1} is` : `frames ${frames[k - 1].index + 1}-${frames[k].index - 1} are`;
      report.notes.push({ file: frames[k].file, note: `gap in the numbering: ${missing} missing before it` });
    }
  }
  return frames;
}

async function headerSize(file: string, maxPixels: number): Promise<{ width: number; height: number } | null> {
  try {
    const bytes = readBounded(file, maxPixels);
    const format = sniffFormat(bytes);
    const s = format ? await declaredSize(bytes, format) : null;
    return s && s.width > 0 && s.height > 0 ? { width: s.width, height: s.height } : null;
  } catch {
    return null; // prepare() reads it again and reports why
  }
}
