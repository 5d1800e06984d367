// Checks an experiment folder before anything is written to any project: every image that
// takes part needs a readable mask of its own size, and the splits must hold enough images
// for the corrections asked for plus at least one evaluation image.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Split } from '../../shared/domain';
import type { Project } from '../project/project';
import { decodeImage, ImageDecodeError } from '../imaging/decode-image';
import { detectConvention, maskFromImage } from '../imaging/mask-convention';
import { defaultSplit } from '../project/split';
import { hashBytes } from '../transfer/import-folder';
import { scanFolder } from '../transfer/scan-folder';

/** Bad experiment input: the message names the folder or file and the problem. */
export class LoopInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoopInputError';
  }
}

export interface LoopItem {
  /** File name as the project stores it (the image's base name). */
  name: string;
  hash: string;
  split: Split;
}

export interface CheckedFolder {
  items: LoopItem[];
  /** Images without a mask: imported, but neither corrected nor scored. */
  withoutMask: string[];
  bySplit: Record<Split, number>;
}

/**
 * Read every image and mask of `folder` (decoding only; nothing is written). `project`, when
 * given, supplies the split of images it already holds (a manual split wins over the hash).
 */
export async function checkLoopFolder(folder: string, corrections: number, project: Project | null): Promise<CheckedFolder> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new LoopInputError(`${folder}: no such folder`);
  const scan = scanFolder(folder);
  if (scan.items.length === 0) throw new LoopInputError(`${folder}: no images (PNG, JPEG, TIFF or BMP) in the folder`);
  const withMask = scan.items.filter((it) => it.mask !== null);
  if (withMask.length === 0) {
    throw new LoopInputError(`${folder}: none of the ${scan.items.length} images has a mask (expected e.g. 001.png beside 001.bmp, or 001_mask.png); the loop needs expert masks to simulate corrections and to score`);
  }
  const items: LoopItem[] = [];
  for (const it of withMask) {
    const rel = relative(folder, it.image);
    const maskRel = relative(folder, it.mask as string);
    const bytes = new Uint8Array(readFileSync(it.image));
    let width: number;
    let height: number;
    try {
      ({ width, height } = (await decodeImage(bytes, rel)).image);
    } catch (err) {
      throw new LoopInputError(`${join(folder, rel)}: ${err instanceof ImageDecodeError ? err.reason : (err as Error).message}`);
    }
    let mask;
    try {
      mask = (await decodeImage(new Uint8Array(readFileSync(it.mask as string)), maskRel)).image;
    } catch (err) {
      throw new LoopInputError(`${join(folder, maskRel)}: ${err instanceof ImageDecodeError ? err.reason : (err as Error).message}`);
    }
    if (mask.width !== width || mask.height !== height) {
      throw new LoopInputError(`${join(folder, maskRel)}: mask is ${mask.width}x${mask.height} but its image ${rel} is ${width}x${height}`);
    }
    const convention = detectConvention(mask);
    if (!convention) throw new LoopInputError(`${join(folder, maskRel)}: cannot tell the mask convention from its pixel values (gray3, rgb or binary expected)`);
    maskFromImage(mask, convention);
    const name = basename(it.image);
    const hash = hashBytes(bytes);
    const existing = project?.images.find(hash, name) ?? null;
    const split = existing !== null ? (project as Project).images.get(existing)!.split : defaultSplit(hash);
    items.push({ name, hash, split });
  }
  const bySplit: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const it of items) bySplit[it.split]++;
  const counts = `${items.length} images with masks: ${bySplit.train} train / ${bySplit.val} val / ${bySplit.test} test`;
  if (bySplit.train < corrections) {
    throw new LoopInputError(`${folder}: too few images for ${corrections} corrections: they come from the train split, which holds ${bySplit.train} (${counts})`);
  }
  if (bySplit.test === 0) throw new LoopInputError(`${folder}: no image falls in the test split, so nothing would be scored (${counts})`);
  return { items, withoutMask: scan.items.filter((it) => it.mask === null).map((it) => relative(folder, it.image)), bySplit };
}
