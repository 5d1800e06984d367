// The report's training pieces on a tiny moving-disk film: the loss is the cross-entropy,
// Adam at the report's rate (with clipping on) lowers it, metrics at threshold 0.7.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/initBackend';
import { createRng } from '../../../model/random';
import { resolveLstmCnnConfig } from '../config';
import { REPORT_LEARNING_RATES, clipLoss, createClipOptimizer, sigmoidCrossEntropy, thresholdMetrics, trainClipStep } from './clip-training';
import { createLstmCnn } from './lstm-cnn';

/** n clips of t frames: a bright disk drifting up on a noisy darker background; labels of the last frame. */
function movingDisks(n: number, t: number, size: number, seed: number): { clips: tf.Tensor5D; last: tf.Tensor4D } {
  const rng = createRng(seed);
  const x = new Float32Array(n * t * size * size);
  const y = new Float32Array(n * size * size);
  for (let s = 0; s < n; s++) {
    const cx = 4 + rng() * (size - 8);
    const cy0 = size - 5 - rng() * 3;
    const r = 2.5 + rng() * 1.5;
    for (let k = 0; k < t; k++) {
      const cy = cy0 - 0.8 * k;
      for (let py = 0; py < size; py++) {
        for (let px = 0; px < size; px++) {
          const inside = (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
          x[((s * t + k) * size + py) * size + px] = (inside ? 0.35 : 0.25) + (rng() - 0.5) * 0.02;
          if (k === t - 1) y[(s * size + py) * size + px] = inside ? 1 : 0;
        }
      }
    }
  }
  return { clips: tf.tensor5d(x, [n, t, size, size, 1]), last: tf.tensor4d(y, [n, size, size, 1]) };
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('LSTM-CNN training pieces', () => {
  it('cross-entropy from logits matches the definition', () => {
    const z = tf.tensor1d([-3, 0, 2, 40]);
    const y = tf.tensor1d([0, 1, 1, 0]);
    const expected = [Math.log(1 + Math.exp(-3)), Math.log(2), Math.log(1 + Math.exp(-2)), 40].reduce((a, b) => a + b) / 4;
    expect(sigmoidCrossEntropy(z, y).dataSync()[0]).toBeCloseTo(expected, 5);
    tf.dispose([z, y]);
  });

  it('metrics at threshold 0.7', () => {
    const m = thresholdMetrics([0.9, 0.69, 0.8, 0.1], [1, 1, 0, 0]);
    expect(m).toEqual({ accuracy: 0.5, recall: 0.5, precision: 0.5 });
  });

  it('Adam at the report\'s rate lowers the loss of a small LSTM-CNN on moving disks', () => {
    const net = createLstmCnn(resolveLstmCnnConfig({ arch: 'en-t', dilation: 2, inputSize: 16 }, 'new'), 21);
    const { clips, last } = movingDisks(4, 5, 16, 3);
    const opt = createClipOptimizer(REPORT_LEARNING_RATES['en-t'].lstm);
    const before = clipLoss(net, clips, last);
    const first = before.dataSync()[0];
    for (let i = 0; i < 40; i++) trainClipStep(net, opt, clips, last, 5);
    const after = clipLoss(net, clips, last).dataSync()[0];
    expect(after).toBeLessThan(first * 0.6);
    const probs = tf.tidy(() => tf.sigmoid(tf.slice(net.forwardClips(clips), [0, 4, 0, 0, 0], [4, 1, 16, 16, 1])));
    expect(thresholdMetrics(probs.dataSync(), last.dataSync()).accuracy).toBeGreaterThan(0.85);
    tf.dispose([clips, last, before, probs]);
    opt.dispose();
    net.dispose();
  });
});
