// Validation after each epoch: the same cross-entropy the optimiser minimises (with the same
// class weights), computed from the inference-mode probabilities, and the per-image mean
// Dice of every non-background class at the input size.
import type { ModelTask } from '../../../shared/domain';
import type { Rng } from '../data/rng';
import { makeBatch, type Example } from '../data/dataset';
import { classNames } from '../data/targets';
import type { SegmentationNetwork } from './network';

export interface ValidationResult {
  loss: number;
  /** Class name -> per-image mean Dice (an image where the class is absent in both counts 1). */
  dice: Record<string, number>;
}

const EPS = 1e-7;

/** Class index per pixel from probabilities (binary: threshold 0.5 on the cell probability). */
export function argmaxClasses(probs: Float32Array, pixels: number, channels: number, threshold = 0.5): Uint8Array {
  const out = new Uint8Array(pixels);
  if (channels === 1) {
    for (let i = 0; i < pixels; i++) out[i] = probs[i] >= threshold ? 1 : 0;
    return out;
  }
  for (let i = 0; i < pixels; i++) {
    let best = 0;
    let bv = probs[i * channels];
    for (let c = 1; c < channels; c++) {
      const v = probs[i * channels + c];
      if (v > bv) {
          bv = v;
          best = c;
        }
    }
    out[i] = best;
  }
  return out;
}

/** Dice of class `c` between two class maps; 1 when both lack it. */
export function diceOf(pred: Uint8Array, truth: Uint8Array, c: number, offset = 0, length = pred.length): number {
  let inter = 0;
  let p = 0;
  let t = 0;
  for (let i = offset; i < offset + length; i++) {
    const a = pred[i] === c;
    const b = truth[i] === c;
    if (a) p++;
    if (b) t++;
    if (a && b) inter++;
  }
  return p + t === 0 ? 1 : (2 * inter) / (p + t);
}

export function validate(
  net: SegmentationNetwork,
  examples: Example[],
  task: ModelTask,
  batchSize: number,
  classWeights: number[] | null,
  rng: Rng,
): ValidationResult {
  const size = net.config.inputSize;
  const px = size * size;
  const channels = net.channels;
  const names = classNames(task);
  const diceSum = new Array<number>(names.length).fill(0);
  let lossSum = 0;
  let weightSum = 0;
  for (let start = 0; start < examples.length; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, examples.length - start) }, (_, k) => start + k);
    const b = makeBatch(examples, idx, size, task, null, rng);
    const probs = net.predictProbs(b.x, b.n);
    for (let i = 0; i < b.n * px; i++) {
      const y = b.y[i];
      const w = classWeights ? classWeights[y] : 1;
      const p = channels === 1 ? (y === 1 ? probs[i] : 1 - probs[i]) : probs[i * channels + y];
      lossSum += -Math.log(Math.max(p, EPS)) * w;
      weightSum += w;
    }
    const pred = argmaxClasses(probs, b.n * px, channels);
    for (let k = 0; k < b.n; k++) {
      for (let c = 1; c < names.length; c++) diceSum[c] += diceOf(pred, b.y, c, k * px, px);
    }
  }
  const dice: Record<string, number> = {};
  for (let c = 1; c < names.length; c++) dice[names[c]] = examples.length ? diceSum[c] / examples.length : 0;
  return { loss: weightSum ? lossSum / weightSum : 0, dice };
}
