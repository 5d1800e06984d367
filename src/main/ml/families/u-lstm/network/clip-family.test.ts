// The U-LSTM through the clip-training seam: last-frame batches train (RMSProp by default),
// evaluation gives the project's 4-channel probabilities, streaming carries the state, and a
// serialised model loads back to the same predictions.
import { familyOf } from '../../registry';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/initBackend';
import type { ClipBatch } from '../../../training/clip/clip-seam';
import { resolveULstmConfig } from '../config';
import { fromSeamBatch, uLstmClipTraining } from './clip-family';

/** n clips of t frames: a bright square drifting right; the last frame's classes (0 bg, 1 cytoplasm, 3 edge). */
function batch(n: number, t: number, s: number): ClipBatch {
  const x = new Float32Array(n * t * s * s);
  const y = new Uint8Array(n * s * s);
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < t; k++) {
      for (let py = 0; py < s; py++) {
        for (let px = 0; px < s; px++) {
          const x0 = 2 + k + b;
          const inside = px >= x0 && px < x0 + 6 && py >= 4 && py < 10;
          x[((b * t + k) * s + py) * s + px] = inside ? 0.7 : 0.3;
          if (k === t - 1 && inside) y[(b * s + py) * s + px] = px === x0 || px === x0 + 5 || py === 4 || py === 9 ? 3 : 1;
        }
      }
    }
  }
  return { x, n, t, h: s, w: s, c: 1, y };
}

beforeAll(async () => {
  await initBackend('wasm');
});

describe('U-LSTM clip seam', () => {
  it('maps the seam\'s last-frame classes to the paper\'s and the binary mask to weighted targets', () => {
    const b = batch(1, 3, 16);
    const three = fromSeamBatch(b, 'multiclass-edge');
    const last = three.targets.subarray(2 * 256);
    expect(last[4 * 16 + 4]).toBe(2);
    expect(last[6 * 16 + 6]).toBe(1);
    expect(three.weights.subarray(0, 512).every((w) => w === 0)).toBe(true);
    const bin = fromSeamBatch({ ...b, y: Uint8Array.from(b.y, (v) => (v ? 1 : 0)) }, 'binary');
    expect(Math.max(...bin.weights.subarray(512))).toBeGreaterThan(0);
  });

  it('trains, evaluates, streams and round-trips through serialize/load', async () => {
    const config = resolveULstmConfig({ inputSize: 16, depth: 1, baseFilters: 4, lstmKernel: 3, unroll: 2 }, 'new');
    const net = uLstmClipTraining.create(config, 3, { learningRate: 3e-3 });
    expect(net.channels).toBe(4);
    expect(net.sizeMultiple).toBe(2);
    expect(familyOf('u-lstm').defaultLearningRate?.(config)).toBe(1e-4);
    const b = batch(2, 4, 16);
    const first = net.trainStep(b, null);
    let last = first;
    for (let i = 0; i < 6; i++) last = net.trainStep(b, 1);
    expect(Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first);
    const ev = net.evaluate(b);
    expect(ev.probs.length).toBe(2 * 256 * 4);
    for (let p = 0; p < 256; p += 37) expect(ev.probs[4 * p] + ev.probs[4 * p + 1] + ev.probs[4 * p + 2] + ev.probs[4 * p + 3]).toBeCloseTo(1, 5);
    const stream = net.stream(16, 16);
    const frames = Array.from({ length: 4 }, (_, k) => b.x.slice(k * 256, (k + 1) * 256));
    const outs = frames.map((f) => stream.next(f));
    stream.dispose();
    // The stream's last frame equals the evaluation of the same clip (state from zero at its first frame).
    let worst = 0;
    for (let i = 0; i < outs[3].length; i++) worst = Math.max(worst, Math.abs(outs[3][i] - ev.probs[i]));
    expect(worst).toBeLessThan(1e-4);
    const { modelJson, weights } = await net.serialize();
    const back = await uLstmClipTraining.load(modelJson, weights, { learningRate: 1e-4 });
    const s2 = back.stream(16, 16);
    const again = frames.map((f) => s2.next(f))[3];
    s2.dispose();
    expect(Math.max(...again.map((v, i) => Math.abs(v - outs[3][i])))).toBeLessThan(1e-5);
    back.dispose();
    net.dispose();
  });
});
