// Cross-validation folds of `hemaseg experiment seed003` (pure): the learning-rate list, the
// check that the data can hold the folds (before any training), and the partition.
import { shuffled } from '../seed-common/seed-folder';

/** Each fold scores at least this many test images (a mean of one image is no mean). */
export const MIN_TEST_PER_FOLD = 2;
/** Each fold trains on at least this many images besides its validation image. */
export const MIN_TRAIN_PER_FOLD = 2;

/** `1e-3,1e-4,1e-5` -> [0.001, 0.0001, 0.00001]; each in (0, 1), each once. */
export function parseLrs(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (!parts.length || parts.some((s) => s === '')) throw new Error(`--lrs: expected learning rates separated by commas, e.g. 1e-3,1e-4,1e-5, got '${text}'`);
  const lrs = parts.map((s) => {
    const v = Number(s);
    if (!Number.isFinite(v) || v <= 0 || v >= 1) throw new Error(`--lrs: '${s}' is not a learning rate in (0, 1) (e.g. 1e-4)`);
    return v;
  });
  if (new Set(lrs).size !== lrs.length) throw new Error(`--lrs: '${text}' gives a learning rate twice`);
  return lrs;
}

/** Validation images taken from a fold's training side (early stopping keeps the best epoch). */
export function valCount(trainSide: number): number {
  return Math.max(1, Math.round(trainSide * 0.1));
}

/** Whether n images can make k folds: every fold MIN_TEST_PER_FOLD test images, MIN_TRAIN_PER_FOLD + validation to train. */
export function foldsFit(n: number, k: number): boolean {
  if (k < 2) return false;
  const smallestTest = Math.floor(n / k);
  const largestTrainSide = n - Math.ceil(n / k);
  return smallestTest >= MIN_TEST_PER_FOLD && largestTrainSide - valCount(largestTrainSide) >= MIN_TRAIN_PER_FOLD;
}

/**
 * Refuse folds the data cannot hold, before anything trains, saying what would work: the
 * --folds values n images allow, or how many images k folds need.
 */
export function checkFolds(n: number, k: number, what: string): void {
  if (!Number.isInteger(k) || k < 2) throw new Error(`--folds must be a whole number of at least 2, got ${k}`);
  if (foldsFit(n, k)) return;
  let need = k * MIN_TEST_PER_FOLD;
  while (!foldsFit(need, k)) need++;
  const workable: number[] = [];
  for (let j = 2; j <= n; j++) if (foldsFit(n, j)) workable.push(j);
  const alt = workable.length
    ? `; with ${n} images use --folds ${workable.length > 1 ? `${workable[0]} to ${workable[workable.length - 1]}` : workable[0]}`
    : '';
  throw new Error(
    `${what}: ${n} images are too few for ${k} folds: each fold needs at least ${MIN_TEST_PER_FOLD} test images and ${MIN_TRAIN_PER_FOLD} training images plus one for validation, so ${k} folds need at least ${need} images${alt}`,
  );
}

/** k disjoint folds covering `ids`, sizes differing by at most one (seeded shuffle, then round robin). */
export function partitionFolds<T>(ids: readonly T[], k: number, seed: number): T[][] {
  const order = shuffled(ids, seed);
  const folds: T[][] = Array.from({ length: k }, () => []);
  order.forEach((id, i) => folds[i % k].push(id));
  return folds;
}

/** A fold's training side split into train and validation (the first valCount of a seeded order validate). */
export function splitTrainSide<T>(trainSide: readonly T[], seed: number): { train: T[]; val: T[] } {
  const order = shuffled(trainSide, seed);
  const v = valCount(order.length);
  return { val: order.slice(0, v), train: order.slice(v) };
}

/** Learning rate as a short label for model names and tables: 0.001 -> '1e-3'. */
export function lrLabel(lr: number): string {
  const [m, e] = lr.toExponential().split('e');
  return `${Number(m)}e${Number(e)}`;
}
