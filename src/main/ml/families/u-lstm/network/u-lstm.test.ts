// The U-LSTM: the parameter count is the weights built, streaming equals the unrolled clip,
// gradients agree on wasm and cpu, truncated BPTT trains a toy sequence, no tensor leaks.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/initBackend';
import { onBackend, relError } from '../../../kernels/testUtil';
import { Rng } from '../../../../synth/random';
import { familyInfo } from '../../registry';
import { uLstmFamily } from '../index';
import { resolveULstmConfig, uLstmParamCount, type ULstmConfig } from '../config';
import type { LabelledSequence } from '../augment';
import { createULstm } from './u-lstm';
import { createULstmOptimizer, sampleClipBatch, segmentSequenceStreaming, trainClipBatchTbptt, weightedLoss } from './training';

const tiny = (o: Partial<ULstmConfig> = {}): ULstmConfig => resolveULstmConfig({ inputSize: 16, depth: 1, baseFilters: 4, lstmKernel: 3, ...o }, 'new');

function randomClip(n: number, t: number, h: number, w: number, seed: number): tf.Tensor5D {
  const rng = new Rng(seed);
  return tf.tensor5d(Float32Array.from({ length: n * t * h * w }, () => rng.next()), [n, t, h, w, 1]);
}

/** A square that moves one pixel right per frame, with its cell ids. */
function toySequence(frames: number, size: number, seed: number): LabelledSequence {
  const rng = new Rng(seed);
  const seq: LabelledSequence = { width: size, height: size, frames: [], ids: [] };
  for (let k = 0; k < frames; k++) {
    const f = new Float32Array(size * size);
    const ids = new Int32Array(size * size);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const a = x >= 2 + k && x < 8 + k && y >= 3 && y < 9;
        const b = x >= 8 + k && x < 13 + k && y >= 4 && y < 10;
        ids[y * size + x] = a ? 1 : b ? 2 : 0;
        f[y * size + x] = (a || b ? 0.7 : 0.3) + (rng.next() - 0.5) * 0.1 - (x === 7 + k && a ? 0.2 : 0);
      }
    }
    seq.frames.push(f);
    seq.ids.push(ids);
  }
  return seq;
}

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

beforeAll(async () => {
  await initBackend('wasm');
});

describe('U-LSTM family', () => {
  it('counts the parameters it builds, both tasks, several shapes', () => {
    for (const c of [tiny(), tiny({ task: 'binary' }), tiny({ depth: 2, baseFilters: 3, lstmKernel: 7 }), resolveULstmConfig({}, 'new')]) {
      const net = createULstm(c, 1);
      expect(net.paramCount()).toBe(uLstmParamCount(c));
      net.dispose();
    }
    // By hand, depth 1, base 4, k 3, 1 channel, 3 classes:
    // down 9*1*4 + 8 + 9*4*8 + 16 = 348; lstm1 9*(8+8)*32 + 32 = 4640; lstm0 9*(8+4+4)*16 + 16 = 2320; out 4*3 + 3 = 15.
    expect(uLstmParamCount(tiny())).toBe(348 + 4640 + 2320 + 15);
    const info = familyInfo(uLstmFamily);
    expect(info.inputKind).toBe('clip');
    expect(info.paramCount).toBe(uLstmParamCount(uLstmFamily.defaults));
    expect(info.variants.find((v) => v.name === 'u-lstm-paper')?.paramCount).toBeGreaterThan(4_000_000);
  });

  it('refuses sizes not divisible by the poolings, even kernels and other tasks', () => {
    expect(() => resolveULstmConfig({ inputSize: 60, depth: 3 }, 'new')).toThrow(/multiple of 2\^depth = 8.*--size 64/);
    expect(() => resolveULstmConfig({ lstmKernel: 4 }, 'new')).toThrow(/odd/);
    expect(() => resolveULstmConfig({ task: 'multiclass' }, 'new')).toThrow(/multiclass-edge/);
  });

  it('is fully convolutional and outputs the project layout (4 channels, nucleus never)', () => {
    const net = createULstm(tiny(), 2);
    const clip = tf.reshape<tf.Rank.R4>(randomClip(1, 3, 12, 20, 3), [3, 12, 20, 1]);
    const p = net.predictProbs(clip);
    expect(p.shape).toEqual([3, 12, 20, 4]);
    const nucleus = tf.slice(p, [0, 0, 0, 2], [3, 12, 20, 1]);
    expect(tf.max(nucleus).dataSync()[0]).toBe(0);
    tf.dispose([clip, p, nucleus]);
    expect(() => net.apply(tf.zeros([2, 9, 12, 1]))).toThrow(/multiple of 2/);
    net.dispose();
  });

  it('streaming step by step equals the unrolled clip forward, and the state carries the past', () => {
    const net = createULstm(tiny({ depth: 2, inputSize: 16 }), 4);
    const clips = randomClip(2, 6, 16, 16, 5);
    const unrolled = net.forwardClips(clips);
    let state = net.initialState(2, 16, 16);
    let worst = 0;
    for (let k = 0; k < 6; k++) {
      const frame = tf.reshape<tf.Rank.R4>(tf.slice(clips, [0, k, 0, 0, 0], [2, 1, 16, 16, 1]), [2, 16, 16, 1]);
      const r = net.step(state, frame);
      net.disposeState(state);
      state = r.state;
      const want = net.toProjectLogits(tf.reshape(tf.slice(unrolled.logits, [0, k, 0, 0, 0], [2, 1, 16, 16, 3]), [2, 16, 16, 3]));
      worst = Math.max(worst, maxAbsDiff(r.logits, want));
      tf.dispose([frame, r.logits, want]);
    }
    expect(worst).toBeLessThan(1e-4);
    // The last frame alone (zero state) differs from the last frame after five others.
    const last = net.forwardClips(tf.slice(clips, [0, 5, 0, 0, 0], [2, 1, 16, 16, 1]));
    expect(maxAbsDiff(last.logits, tf.slice(unrolled.logits, [0, 5, 0, 0, 0], [2, 1, 16, 16, 3]))).toBeGreaterThan(1e-4);
    net.disposeState(state);
    net.disposeState(unrolled.state);
    net.disposeState(last.state);
    tf.dispose([clips, unrolled.logits, last.logits]);
    net.dispose();
  });

  it('variable gradients through the unrolled cells agree on wasm and on the cpu backend', async () => {
    const grads = (): tf.Tensor[] => {
      const net = createULstm(tiny({ depth: 1, lstmKernel: 3 }), 6);
      const clips = randomClip(1, 3, 8, 8, 7);
      const y = tf.tensor4d(Int32Array.from({ length: 3 * 64 }, (_, i) => i % 3), [1, 3, 8, 8], 'int32');
      const w = tf.ones([1, 3, 8, 8]);
      const { value, grads: g } = tf.variableGrads(() => weightedLoss(net.forwardClips(clips, { training: true }).logits, y, w, 'multiclass-edge'), net.trainableVariables());
      const out = [value, ...net.trainableVariables().map((v) => g[v.name])];
      net.dispose();
      return out;
    };
    const wasm = await onBackend('wasm', grads);
    const cpu = await onBackend('cpu', grads);
    expect(wasm.length).toBe(cpu.length);
    for (let i = 0; i < wasm.length; i++) {
      expect(wasm[i].every(Number.isFinite)).toBe(true);
      expect(relError(wasm[i], cpu[i]), `tensor ${i}`).toBeLessThan(2e-3);
    }
    expect(wasm.slice(1).every((g) => g.some((v) => v !== 0))).toBe(true);
  });

  it('truncated BPTT (unroll 5) over a 10-frame toy batch: finite losses that decrease', () => {
    const net = createULstm(tiny({ unroll: 5 }), 8);
    const seqs = [toySequence(10, 16, 1), toySequence(10, 16, 2)];
    const rng = new Rng(3);
    // A higher rate than the paper's 1e-4 so a few steps show the trend.
    const opt = createULstmOptimizer(3e-3);
    const batch = sampleClipBatch(seqs, rng, 'multiclass-edge', 3, { length: 10, crop: 16, maxStride: 1 });
    const losses: number[] = [];
    for (let s = 0; s < 12; s++) losses.push(trainClipBatchTbptt(net, opt, batch));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.8);
    opt.dispose();
    net.dispose();
  });

  it('the binary task trains with the boundary weights, and streaming segmentation leaves no tensor', () => {
    const before = tf.memory().numTensors;
    const net = createULstm(tiny({ task: 'binary' }), 9);
    const seqs = [toySequence(6, 16, 4)];
    const opt = createULstmOptimizer(3e-3);
    const batch = sampleClipBatch(seqs, new Rng(5), 'binary', 2, { length: 6, crop: 16 });
    expect(Math.max(...batch.weights)).toBeGreaterThan(3);
    const l0 = trainClipBatchTbptt(net, opt, batch);
    for (let s = 0; s < 8; s++) trainClipBatchTbptt(net, opt, batch);
    expect(trainClipBatchTbptt(net, opt, batch)).toBeLessThan(l0);
    const classes = segmentSequenceStreaming(net, seqs[0].frames, 16, 16);
    expect(classes.length).toBe(6);
    expect(classes.every((c) => c.length === 256 && c.every((v) => v === 0 || v === 1))).toBe(true);
    opt.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
