// The data folder of a seed experiment, read once before anything is written: every image
// with its mask (decoded, so the thesis protocol can make its flip/rot90 copies), its size
// (the thesis keeps only the exactly 120x120 images) and its content-hash split (the split
// `hemaseg import` gives and the shipped default model was trained with).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { LabelMap, RgbImage, Split } from '../../../shared/domain';
import { decodeImage, ImageDecodeError } from '../../imaging/decode-image';
import { detectConvention, maskFromImage } from '../../imaging/mask-convention';
import { defaultSplit } from '../../project/split';
import { hashBytes } from '../../transfer/import-folder';
import { scanFolder } from '../../transfer/scan-folder';

/** Bad experiment input (folder, project, options): refused before any training. */
export class SeedInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SeedInputError';
  }
}

export interface SeedItem {
  /** The image's base name, as the project stores it. */
  name: string;
  hash: string;
  /** The content-hash split (70/15/15). */
  split: Split;
  width: number;
  height: number;
  image: RgbImage;
  mask: LabelMap;
}

/** Read every image of `folder` that has a mask; images without one are listed, not used. */
export async function readSeedFolder(folder: string): Promise<{ items: SeedItem[]; withoutMask: string[] }> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new SeedInputError(`${folder}: no such folder`);
  const scan = scanFolder(folder);
  const withMask = scan.items.filter((it) => it.mask !== null);
  if (withMask.length === 0) {
    throw new SeedInputError(`${folder}: no image with a mask beside it (expected e.g. 001.bmp + 001.png, or name.png + name_mask.png)`);
  }
  const items: SeedItem[] = [];
  for (const it of withMask) {
    const rel = relative(folder, it.image);
    const maskPath = it.mask as string;
    const bytes = new Uint8Array(readFileSync(it.image));
    const decode = async (b: Uint8Array, file: string): Promise<RgbImage> => {
      try {
        return (await decodeImage(b, file)).image;
      } catch (err) {
        throw new SeedInputError(`${join(folder, file)}: ${err instanceof ImageDecodeError ? err.reason : (err as Error).message}`);
      }
    };
    const image = await decode(bytes, rel);
    const maskImg = await decode(new Uint8Array(readFileSync(maskPath)), relative(folder, maskPath));
    if (maskImg.width !== image.width || maskImg.height !== image.height) {
      throw new SeedInputError(`${maskPath}: mask is ${maskImg.width}x${maskImg.height} but its image ${rel} is ${image.width}x${image.height}`);
    }
    const convention = detectConvention(maskImg);
    if (!convention) throw new SeedInputError(`${maskPath}: cannot tell the mask convention from its pixel values (gray3, rgb or binary expected)`);
    const hash = hashBytes(bytes);
    items.push({ name: basename(it.image), hash, split: defaultSplit(hash), width: image.width, height: image.height, image, mask: maskFromImage(maskImg, convention) });
  }
  return { items, withoutMask: scan.items.filter((it) => it.mask === null).map((it) => relative(folder, it.image)) };
}

/** A seeded pseudo-random generator (mulberry32): the same split on every machine and re-run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(xs: readonly T[], seed: number): T[] {
  const rand = seededRandom(seed);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
