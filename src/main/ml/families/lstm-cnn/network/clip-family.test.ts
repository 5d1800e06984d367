// The LSTM-CNN's clip seam: a CNN's evaluation of a clip (only the last frame computed) equals
// the full clip forward's last frame; the LSTM's stream equals step() from the zero state;
// a stored model loads back as a clip network with the same outputs.
import { familyOf } from '../../registry';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/initBackend';
import { createRng } from '../../../model/random';
import { resolveLstmCnnConfig } from '../config';
import { lastFrameOnly, lstmCnnClipTraining } from './clip-family';
import { createLstmCnn } from './lstm-cnn';
import type { ClipBatch } from '../../../training/clip/clip-seam';

beforeAll(async () => {
  await initBackend('wasm');
});

function batch(n: number, t: number, s: number, seed: number): ClipBatch {
  const rng = createRng(seed);
  return { x: Float32Array.from({ length: n * t * s * s }, () => rng()), n, t, h: s, w: s, c: 1, y: Uint8Array.from({ length: n * s * s }, () => (rng() > 0.5 ? 1 : 0)) };
}

describe('the LSTM-CNN clip network', () => {
  it("a CNN's clip evaluation is the full forward's last frame", async () => {
    const config = resolveLstmCnnConfig({ arch: 'en-t', recurrence: 'none', inputSize: 16 }, 'new');
    const net = lstmCnnClipTraining.create(config, 5, { learningRate: 0.001 });
    const raw = createLstmCnn(config, 5);
    try {
      const b = batch(2, 3, 16, 1);
      const e = net.evaluate(b);
      const full = tf.tidy(() => tf.sigmoid(tf.slice(raw.forwardClips(tf.tensor5d(b.x, [2, 3, 16, 16, 1])), [0, 2, 0, 0, 0], [2, 1, 16, 16, 1])).dataSync());
      expect(Array.from(e.probs).map((v, i) => Math.abs(v - full[i])).reduce((a, v) => Math.max(a, v), 0)).toBeLessThan(1e-6);
      expect(lastFrameOnly(b).x).toEqual(Float32Array.from([...b.x.subarray(2 * 256, 3 * 256), ...b.x.subarray(5 * 256, 6 * 256)]));
    } finally {
      net.dispose();
      raw.dispose();
    }
  });

  it('leaks no tensor across train steps (with clipping), evaluations and streamed frames', () => {
    for (const recurrence of ['lstm', 'none'] as const) {
      const net = lstmCnnClipTraining.create(resolveLstmCnnConfig({ arch: 'en-p', recurrence, inputSize: 8 }, 'new'), 3, { learningRate: 0.01 });
      try {
        const b = batch(2, 3, 8, 4);
        net.trainStep(b, 1e-3); // the optimiser's slots exist after the first step
        const before = tf.memory().numTensors;
        for (let k = 0; k < 3; k++) {
          net.trainStep(b, k === 0 ? 1e-3 : null);
          net.evaluate(b);
        }
        const s = net.stream(8, 8);
        for (let k = 0; k < 3; k++) s.next(b.x.subarray(k * 64, (k + 1) * 64));
        s.dispose();
        expect(tf.memory().numTensors).toBe(before);
      } finally {
        net.dispose();
      }
    }
  });

  it('streams like step() and reloads from its serialised form', async () => {
    const config = resolveLstmCnnConfig({ arch: 'slim-t', recurrence: 'lstm', dilation: 2, inputSize: 8 }, 'new');
    const net = lstmCnnClipTraining.create(config, 9, { learningRate: 0.001 });
    const { modelJson, weights } = await net.serialize();
    const again = await lstmCnnClipTraining.load(modelJson, weights, { learningRate: 0.001 });
    try {
      const b = batch(1, 4, 8, 2);
      const s1 = net.stream(8, 8);
      const s2 = again.stream(8, 8);
      let last: Float32Array = new Float32Array();
      for (let k = 0; k < 4; k++) {
        const f = b.x.subarray(k * 64, (k + 1) * 64);
        last = s1.next(f);
        expect(Array.from(s2.next(f))).toEqual(Array.from(last));
      }
      s1.dispose();
      s2.dispose();
      // The clip evaluation (state from zero at the clip's first frame) ends where the stream does.
      const e = net.evaluate(b);
      expect(Array.from(e.probs).map((v, i) => Math.abs(v - last[i])).reduce((a, v) => Math.max(a, v), 0)).toBeLessThan(1e-5);
      expect(familyOf('lstm-cnn').defaultLearningRate?.(config)).toBe(0.005);
    } finally {
      net.dispose();
      again.dispose();
    }
  });
});
