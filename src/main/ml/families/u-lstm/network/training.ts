// Training and streaming inference of the U-LSTM after the paper: truncated back-propagation
// through time (the clip is cut into windows of `unroll` frames; the state crosses a window
// boundary as a constant, so gradients stay inside a window), RMSProp at 1e-4, batches of 3
// sequences, the augmentation of ../augment.ts, and the two losses of ../boundary.ts:
// softmax cross-entropy over background / cell / edge (class-balanced per batch, since edges
// are rare) or the boundary-weighted sigmoid cross-entropy of the two-class baseline.
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../../../synth/random';
import { augmentClip, type AugmentOptions, type LabelledSequence } from '../augment';
import { boundaryWeights, threeClassTargets, twoClassTargets, type BoundaryWeightOptions } from '../boundary';
import type { ULstmNetwork, ULstmState } from './u-lstm';
import { PAPER_LEARNING_RATE } from '../config';

export { PAPER_LEARNING_RATE };

export const PAPER_BATCH = 3;

export function createULstmOptimizer(learningRate = PAPER_LEARNING_RATE): tf.Optimizer {
  return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
}

/** A batch of clips as flat arrays: frames [N, T, S, S, 1], class targets and per-pixel weights [N, T, S, S] (weight 0: unlabelled). */
export interface ClipBatch {
  n: number;
  t: number;
  size: number;
  frames: Float32Array;
  targets: Uint8Array;
  weights: Float32Array;
}

/** Per-pixel weights of three-class targets: each present class gets an equal share (median-frequency style balance). */
export function classBalance(targets: Uint8Array, labelled: Uint8Array, classes: number): Float32Array {
  const counts = new Array<number>(classes).fill(0);
  for (let i = 0; i < targets.length; i++) if (labelled[i]) counts[targets[i]]++;
  const total = counts.reduce((a, b) => a + b, 0);
  const present = counts.filter((c) => c > 0).length;
  const w = counts.map((c) => (c > 0 ? Math.min(20, total / (present * c)) : 0));
  const out = new Float32Array(targets.length);
  for (let i = 0; i < targets.length; i++) out[i] = labelled[i] ? w[targets[i]] : 0;
  return out;
}

/** A training batch of `n` augmented clips, each from a random sequence, with the task's targets and weights. */
export function sampleClipBatch(seqs: readonly LabelledSequence[], rng: Rng, task: 'multiclass-edge' | 'binary', n: number, aug: AugmentOptions, weightOptions: BoundaryWeightOptions = {}): ClipBatch {
  const s = aug.crop;
  const t = aug.length;
  const px = s * s;
  const frames = new Float32Array(n * t * px);
  const targets = new Uint8Array(n * t * px);
  let weights: Float32Array = new Float32Array(n * t * px);
  const labelled = new Uint8Array(n * t * px);
  for (let b = 0; b < n; b++) {
    const clip = augmentClip(seqs[rng.int(0, seqs.length - 1)], rng, aug);
    for (let k = 0; k < t; k++) {
      const off = (b * t + k) * px;
      frames.set(clip.frames[k], off);
      const ids = clip.ids[k];
      if (!ids) continue;
      labelled.fill(1, off, off + px);
      if (task === 'binary') {
        const y = twoClassTargets(ids, s, s);
        targets.set(y, off);
        weights.set(boundaryWeights(ids, y, s, s, weightOptions), off);
      } else {
        targets.set(threeClassTargets(ids, s, s), off);
      }
    }
  }
  if (task !== 'binary') weights = classBalance(targets, labelled, 3);
  return { n, t, size: s, frames, targets, weights };
}

/** Gradients scaled by min(1, clipNorm / ||g||) (global norm); new tensors when scaled, the caller disposes both maps. */
function clipByGlobalNorm(grads: tf.NamedTensorMap, clipNorm: number): tf.NamedTensorMap {
  const norm = Math.sqrt(Object.values(grads).reduce((s, g) => s + tf.tidy(() => tf.sum(tf.square(g)).dataSync()[0]), 0));
  if (!(norm > clipNorm)) return grads;
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, clipNorm / norm)]));
}

/** Weighted mean cross-entropy of raw logits [.., K] against class targets (sum of w * ce / sum of w). */
export function weightedLoss(raw: tf.Tensor, targets: tf.Tensor, weights: tf.Tensor, task: 'multiclass-edge' | 'binary'): tf.Scalar {
  return tf.tidy(() => {
    let ce: tf.Tensor;
    if (task === 'binary') {
      const z = tf.reshape(raw, targets.shape);
      const y = tf.cast(targets, 'float32');
      ce = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    } else {
      const k = raw.shape[raw.rank - 1];
      const flat = tf.reshape(raw, [-1, k]);
      // log-softmax through elementary ops with registered gradients.
      const m = tf.max(flat, 1, true);
      const shifted = tf.sub(flat, m);
      const lse = tf.log(tf.sum(tf.exp(shifted), 1, true));
      const logp = tf.sub(shifted, lse);
      const onehot = tf.oneHot(tf.cast(tf.reshape(targets, [-1]), 'int32'), k);
      ce = tf.reshape(tf.neg(tf.sum(tf.mul(logp, onehot), 1)), targets.shape);
    }
    const wsum = tf.sum(weights);
    return tf.div(tf.sum(tf.mul(ce, weights)), tf.maximum(wsum, 1e-6)) as tf.Scalar;
  });
}

/**
 * One batch by truncated back-propagation through time: windows of `unroll` frames, one
 * optimiser step per window, the state carried across windows without gradient. Returns
 * the mean loss over windows (each measured before its step).
 */
export function trainClipBatchTbptt(net: ULstmNetwork, optimizer: tf.Optimizer, batch: ClipBatch, unroll = net.config.unroll, clipNorm: number | null = null): number {
  const { n, t, size } = batch;
  const task = net.config.task === 'binary' ? 'binary' : 'multiclass-edge';
  const frames = tf.tensor5d(batch.frames, [n, t, size, size, 1]);
  const targets = tf.tensor4d(Int32Array.from(batch.targets), [n, t, size, size], 'int32');
  const weights = tf.tensor4d(batch.weights, [n, t, size, size]);
  let state: ULstmState | null = null;
  let total = 0;
  let windows = 0;
  try {
    for (let t0 = 0; t0 < t; t0 += unroll) {
      const len = Math.min(unroll, t - t0);
      const win = tf.slice(frames, [0, t0, 0, 0, 0], [n, len, size, size, 1]);
      const y = tf.slice(targets, [0, t0, 0, 0], [n, len, size, size]);
      const w = tf.slice(weights, [0, t0, 0, 0], [n, len, size, size]);
      let nextState: ULstmState | null = null;
      const start = state;
      const { value, grads } = tf.variableGrads(() => {
        const r = net.forwardClips(win, { training: true, ...(start ? { state: start } : {}) });
        nextState = r.state.map((l) => ({ h: tf.keep(l.h), c: tf.keep(l.c) }));
        return weightedLoss(r.logits, y, w, task);
      }, net.trainableVariables());
      const applied = clipNorm === null ? grads : clipByGlobalNorm(grads, clipNorm);
      optimizer.applyGradients(applied);
      total += value.dataSync()[0];
      windows++;
      tf.dispose([value, win, y, w, ...Object.values(grads), ...Object.values(applied)]);
      if (start) net.disposeState(start);
      state = nextState;
    }
  } finally {
    if (state) net.disposeState(state);
    tf.dispose([frames, targets, weights]);
  }
  return total / Math.max(1, windows);
}

/**
 * Streaming inference: a sequence segmented frame by frame, the state carried from one frame
 * to the next (never recomputing a window). Frames are width * height grey values in [0, 1];
 * returns one class map per frame (0 background, 1 cell, 2 edge; binary 0 / 1).
 */
export function segmentSequenceStreaming(net: ULstmNetwork, frames: readonly Float32Array[], width: number, height: number, onFrame?: (done: number) => void): Uint8Array[] {
  const out: Uint8Array[] = [];
  let state = net.initialState(1, height, width);
  for (const f of frames) {
    const x = tf.tensor4d(f, [1, height, width, 1]);
    const r = net.step(state, x);
    net.disposeState(state);
    state = r.state;
    const projectLogits = r.logits;
    // Back from the project's layout to classes: channels [bg, cell, nucleus(absent), edge].
    const classes = tf.tidy(() => {
      if (projectLogits.shape[3] === 1) return tf.cast(tf.greater(projectLogits, 0), 'int32');
      const idx = tf.argMax(projectLogits, 3);
      // 3 (edge) -> 2; the nucleus channel never wins.
      return tf.where(tf.equal(idx, 3), tf.fill(idx.shape, 2, 'int32'), idx);
    });
    out.push(Uint8Array.from(classes.dataSync()));
    tf.dispose([x, projectLogits, classes]);
    onFrame?.(out.length);
  }
  net.disposeState(state);
  return out;
}
