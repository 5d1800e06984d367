// The targets and weights of the U-LSTM's two losses, and the clip augmentation.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../synth/random';
import { augmentClip, type LabelledSequence } from './augment';
import { BACKGROUND, boundaryWeights, CELL, EDGE, squaredDistance, threeClassTargets, twoClassTargets } from './boundary';

/** Two 4x4 squares touching along x = 5|6, a third far away, on a 16 x 8 image. */
function touchingIds(): Int32Array {
  const w = 16, h = 8;
  const ids = new Int32Array(w * h);
  for (let y = 2; y < 6; y++) {
    for (let x = 2; x < 6; x++) ids[y * w + x] = 1;
    for (let x = 6; x < 10; x++) ids[y * w + x] = 2;
    for (let x = 12; x < 15; x++) ids[y * w + x] = 3;
  }
  return ids;
}

describe('U-LSTM targets and boundary weights', () => {
  it('three classes: each cell\'s 1-px contour is edge, touching cells are apart', () => {
    const t = threeClassTargets(touchingIds(), 16, 8);
    const at = (x: number, y: number): number => t[y * 16 + x];
    expect([at(0, 0), at(2, 2), at(3, 3), at(5, 3), at(6, 3), at(7, 3)]).toEqual([BACKGROUND, EDGE, CELL, EDGE, EDGE, CELL]);
  });

  it('two classes leave the touching line as background; the weights peak there', () => {
    const ids = touchingIds();
    const y2 = twoClassTargets(ids, 16, 8);
    expect([y2[3 * 16 + 4], y2[3 * 16 + 5], y2[3 * 16 + 6], y2[3 * 16 + 7], y2[3 * 16 + 12]]).toEqual([1, 0, 0, 1, 1]);
    const w = boundaryWeights(ids, y2, 16, 8, { w0: 10, sigma: 3 });
    const gap = w[3 * 16 + 5];
    // Between touching cells d1 + d2 is about 1: close to w_c + w0.
    expect(gap).toBeGreaterThan(8);
    // Far from any pair (the far corner) it is nearly the class weight only.
    const fg = y2.reduce((a, b) => a + b, 0);
    const wBg = 128 / (2 * (128 - fg));
    expect(w[7 * 16 + 0]).toBeLessThan(wBg + 0.5);
    expect(w[7 * 16 + 0]).toBeGreaterThanOrEqual(wBg);
    // Inside cell 3, 4 px from cell 2: the extra weight is under half the gap's.
    const wFg = 128 / (2 * fg);
    expect(w[3 * 16 + 13] - wFg).toBeLessThan((gap - wBg) / 2);
    // One cell only: class balance alone.
    const single = new Int32Array(16 * 8);
    single[20] = 1;
    expect(new Set(boundaryWeights(single, twoClassTargets(single, 16, 8), 16, 8)).size).toBe(2);
  });

  it('exact distance transform', () => {
    const d = squaredDistance((i) => i === 0, 5, 4);
    expect(d[3 * 5 + 4]).toBe(9 + 16);
    expect(d[2]).toBe(4);
  });
});

describe('U-LSTM clip augmentation', () => {
  const seq: LabelledSequence = {
    width: 8,
    height: 6,
    frames: Array.from({ length: 9 }, (_, k) => Float32Array.from({ length: 48 }, (_, i) => k * 100 + i)),
    ids: Array.from({ length: 9 }, (_, k) => (k % 2 ? null : Int32Array.from({ length: 48 }, (_, i) => k * 100 + i))),
  };

  it('moves frames and ids together, keeps the frame values, and uses strides 1-2 and reversal', () => {
    const rng = new Rng(1);
    const seenStrides = new Set<number>();
    let reversed = 0;
    for (let r = 0; r < 40; r++) {
      const c = augmentClip(seq, rng, { length: 4, crop: 4, maxStride: 2 });
      expect(c.frames.length).toBe(4);
      const times = c.frames.map((f) => Math.floor(f[0] / 100));
      const step = times[1] - times[0];
      seenStrides.add(Math.abs(step));
      if (step < 0) reversed++;
      for (let k = 0; k < 4; k++) {
        expect(times.every((t, j) => j === 0 || t - times[j - 1] === step)).toBe(true);
        const ids = c.ids[k];
        expect(ids === null).toBe(times[k] % 2 === 1);
        if (ids) expect([...ids]).toEqual([...c.frames[k]]);
        // A crop of a 90-degree rotation / flip: 16 distinct source pixels of that frame.
        expect(new Set(c.frames[k]).size).toBe(16);
      }
    }
    expect(seenStrides).toEqual(new Set([1, 2]));
    expect(reversed).toBeGreaterThan(5);
    expect(reversed).toBeLessThan(35);
  });
});
