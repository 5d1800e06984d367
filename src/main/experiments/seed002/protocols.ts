// The two data preparations of `hemaseg experiment seed002` (seeds.md B), as pure functions:
// - thesis: the images that are exactly 120x120, each with flip/rot90 copies made BEFORE a
//   random 93/7 split. Copies of one image land on both sides, so the test set leaks; the
//   leak is counted and reported with every result.
// - clean: the content-hash split `hemaseg import` gives (the shipped default model's split):
//   train trains, val stops early, the test split is never trained on.
import type { LabelMap, RgbImage, Split } from '../../../shared/domain';
import { shuffled, type SeedItem } from '../seed-common/seed-folder';

export type Seed002Protocol = 'thesis' | 'clean';
export const SEED002_PROTOCOLS: readonly Seed002Protocol[] = ['thesis', 'clean'];

/** The side the thesis kept (its 224 square images). */
export const THESIS_SIZE = 120;
/** The thesis' test share of the augmented set. */
export const THESIS_TEST_SHARE = 0.07;
/** Validation (early stopping) taken from the thesis' training side, the same share. */
export const THESIS_VAL_SHARE = 0.07;
/** Tag on every image of the thesis preparation (so a project never mixes it with the clean one). */
export const THESIS_TAG = 'seed002-thesis';

/** The copies made of every kept image ('orig' is the image itself). */
export const THESIS_COPIES = ['orig', 'fliph', 'flipv', 'rot90'] as const;
export type ThesisCopy = (typeof THESIS_COPIES)[number];

export interface ThesisEntry {
  /** Name of the copy in the project, e.g. 001-fliph.png. */
  name: string;
  source: string;
  copy: ThesisCopy;
  split: Split;
}

export interface LeakReport {
  /** Test images whose source image also has a copy on the training (or validation) side. */
  testWithTrainCopy: number;
  testImages: number;
  /** Source images with copies on both sides. */
  sourcesOnBothSides: number;
  warning: string;
}

export interface ThesisPlan {
  /** Images in the folder, and those exactly size x size. */
  images: number;
  kept: number;
  size: number;
  entries: ThesisEntry[];
  bySplit: Record<Split, number>;
  leak: LeakReport;
}

const stem = (name: string): string => name.replace(/\.[^.]+$/, '');

/** The copy's name: the source's stem, the copy, always PNG (lossless). */
export function thesisCopyName(source: string, copy: ThesisCopy): string {
  return `${stem(source)}-${copy}.png`;
}

/**
 * The thesis' preparation: keep the size x size images, make every copy of each, THEN split
 * the copies at random (seeded) 93/7 into train+val / test; val is a share of the train side.
 */
export function planThesis(items: readonly Pick<SeedItem, 'name' | 'width' | 'height'>[], seed: number, size = THESIS_SIZE): ThesisPlan {
  const kept = items.filter((it) => it.width === size && it.height === size);
  const copies = kept.flatMap((it) => THESIS_COPIES.map((copy) => ({ name: thesisCopyName(it.name, copy), source: it.name, copy })));
  const order = shuffled(copies, seed);
  const nTest = Math.round(order.length * THESIS_TEST_SHARE);
  const nVal = Math.round((order.length - nTest) * THESIS_VAL_SHARE);
  const entries: ThesisEntry[] = order.map((c, k) => ({ ...c, split: k < nTest ? 'test' : k < nTest + nVal ? 'val' : 'train' }));
  const bySplit: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const e of entries) bySplit[e.split]++;
  return { images: items.length, kept: kept.length, size, entries, bySplit, leak: leakOf(entries) };
}

/** How much of the test side is a flip or rotation of an image the network trained on. */
export function leakOf(entries: readonly ThesisEntry[]): LeakReport {
  const trainSide = new Set(entries.filter((e) => e.split !== 'test').map((e) => e.source));
  const test = entries.filter((e) => e.split === 'test');
  const testWithTrainCopy = test.filter((e) => trainSide.has(e.source)).length;
  const sourcesOnBothSides = new Set(test.filter((e) => trainSide.has(e.source)).map((e) => e.source)).size;
  const warning =
    `LEAK: thesis protocol: ${testWithTrainCopy} of ${test.length} test images are flips/rotations of images the networks trained on ` +
    `(copies made before the split); its scores overstate what the networks do on unseen cells. Use --protocol clean for a leak-free split.`;
  return { testWithTrainCopy, testImages: test.length, sourcesOnBothSides, warning };
}

/** The copy of an image (row-major RGB) or label map. */
export function transformPixels<T extends Uint8Array>(data: T, width: number, height: number, channels: number, copy: ThesisCopy): { data: T; width: number; height: number } {
  if (copy === 'orig') return { data: data.slice() as T, width, height };
  const outW = copy === 'rot90' ? height : width;
  const outH = copy === 'rot90' ? width : height;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      // Source pixel of output (x, y): rot90 turns the image a quarter counter-clockwise.
      const [sx, sy] = copy === 'fliph' ? [width - 1 - x, y] : copy === 'flipv' ? [x, height - 1 - y] : [width - 1 - y, x];
      const s = (sy * width + sx) * channels;
      const d = (y * outW + x) * channels;
      for (let c = 0; c < channels; c++) out[d + c] = data[s + c];
    }
  }
  return { data: out, width: outW, height: outH };
}

export function copyImage(img: RgbImage, copy: ThesisCopy): RgbImage {
  return transformPixels(img.data, img.width, img.height, 3, copy);
}

export function copyMask(mask: LabelMap, copy: ThesisCopy): LabelMap {
  const t = transformPixels(mask.labels, mask.width, mask.height, 1, copy);
  return { width: t.width, height: t.height, labels: t.data };
}

export interface CleanPlan {
  bySplit: Record<Split, number>;
}

/** The clean split: each image's content-hash split. */
export function planClean(items: readonly Pick<SeedItem, 'split'>[]): CleanPlan {
  const bySplit: Record<Split, number> = { train: 0, val: 0, test: 0 };
  for (const it of items) bySplit[it.split]++;
  return { bySplit };
}
