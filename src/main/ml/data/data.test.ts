import { describe, expect, it } from 'vitest';
import { LABEL } from '../../../shared/domain';
import { applyTransform, drawTransform } from './augment';
import { cellIds, splitInstances, withDerivedEdges } from './edges';
import { resampleChannels, resizeNearest } from './resample';
import { seededRng } from './rng';
import { classTargets } from './targets';
import { decodeCheckpoint, encodeCheckpoint } from '../training/checkpoint';
import { probsToLabelMap } from '../inference/postprocess';

/** Two touching squares (instances 1 and 2) on background, 10x6. */
function touching(): { labels: Uint8Array; instances: Uint16Array; w: number; h: number } {
  const w = 10, h = 6;
  const labels = new Uint8Array(w * h);
  const instances = new Uint16Array(w * h);
  for (let y = 1; y < 5; y++) {
    for (let x = 1; x < 9; x++) {
      labels[y * w + x] = x === 4 && y === 2 ? LABEL.nucleus : LABEL.cytoplasm;
      instances[y * w + x] = x < 5 ? 1 : 2;
    }
  }
  return { labels, instances, w, h };
}

describe('resampling', () => {
  it('keeps a constant image constant at any size and maps sizes exactly', () => {
    const src = new Float32Array(37 * 53 * 2).fill(0.25);
    const out = resampleChannels(src, 37, 53, 2, 128, 128);
    expect(out.length).toBe(128 * 128 * 2);
    for (const v of out) expect(v).toBeCloseTo(0.25, 5);
    const back = resampleChannels(out, 128, 128, 2, 200, 150);
    expect(back.length).toBe(200 * 150 * 2);
  });

  it('is the identity at the same size, and nearest neighbour never invents labels', () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i);
    expect([...resampleChannels(src, 4, 4, 1, 4, 4)]).toEqual([...src]);
    const labels = Uint8Array.from({ length: 35 }, (_, i) => i % 3);
    const r = resizeNearest(labels, 7, 5, 13, 11);
    expect(r.length).toBe(143);
    expect(new Set(r)).toEqual(new Set([0, 1, 2]));
  });
});

describe('edges and instances', () => {
  it('derives a 1-px contour per cell, separating touching instances', () => {
    const t = touching();
    const e = withDerivedEdges(t.labels, t.w, t.h, t.instances);
    // Both sides of the contact line are edges; interiors are not.
    expect(e[2 * t.w + 4]).toBe(LABEL.edge);
    expect(e[2 * t.w + 5]).toBe(LABEL.edge);
    expect(e[2 * t.w + 2]).toBe(LABEL.cytoplasm);
    expect(e[1 * t.w + 2]).toBe(LABEL.edge); // outer contour
    // Without instances the two squares are one component: no edge between them.
    const merged = withDerivedEdges(t.labels, t.w, t.h, null);
    expect(merged[2 * t.w + 4]).toBe(LABEL.nucleus);
    expect(Math.max(...cellIds(t.labels, t.w, t.h))).toBe(1);
  });

  it('splits cells at predicted edges and gives edge pixels to the nearest cell', () => {
    const t = touching();
    const pred = withDerivedEdges(t.labels, t.w, t.h, t.instances);
    const s = splitInstances(pred, t.w, t.h);
    expect(s.count).toBe(2);
    expect(s.labels.includes(LABEL.edge)).toBe(false);
    expect(s.instances[2 * t.w + 4]).not.toBe(s.instances[2 * t.w + 5]);
    expect(s.instances[1 * t.w + 1]).toBe(s.instances[2 * t.w + 2]);
    expect(s.labels[1 * t.w + 1]).toBe(LABEL.cytoplasm);
  });

  it('turns labels into class targets per task', () => {
    const t = touching();
    const withEdge = withDerivedEdges(t.labels, t.w, t.h, t.instances);
    expect(Math.max(...classTargets(withEdge, null, t.w, t.h, 'binary'))).toBe(1);
    expect(classTargets(withEdge, null, t.w, t.h, 'multiclass').includes(LABEL.edge)).toBe(false);
    expect(classTargets(t.labels, t.instances, t.w, t.h, 'multiclass-edge').includes(LABEL.edge)).toBe(true);
  });
});

describe('augmentation', () => {
  it('flips and 90-degree rotations move image and labels together, exactly', () => {
    const size = 8;
    const rgb = new Uint8Array(size * size * 3);
    const labels = new Uint8Array(size * size);
    rgb[0] = 255; // red pixel at (0, 0)
    labels[0] = 2;
    const rng = seededRng(3);
    for (let k = 0; k < 20; k++) {
      const t = drawTransform(size, { flips: true, rotate90: true, shift: 0, zoom: 0, shear: 0 }, rng);
      const img = new Float32Array(size * size * 3);
      const r = applyTransform({ rgb, labels, instances: null }, size, t, img, 0);
      const li = r.labels.indexOf(2);
      expect([0, size - 1, size * (size - 1), size * size - 1]).toContain(li);
      expect(img[li * 3]).toBe(1);
      expect(img.reduce((a, b) => a + b, 0)).toBe(1);
    }
  });

  it('shift/zoom/shear keep the label set and stay in range', () => {
    const size = 16;
    const rgb = Uint8Array.from({ length: size * size * 3 }, (_, i) => i % 256);
    const labels = Uint8Array.from({ length: size * size }, (_, i) => (i % size < 8 ? 1 : 2));
    const t = drawTransform(size, { flips: false, rotate90: false, shift: 0.2, zoom: 0.2, shear: 0.2 }, seededRng(9));
    const img = new Float32Array(size * size * 3);
    const r = applyTransform({ rgb, labels, instances: null }, size, t, img, 0);
    expect(new Set(r.labels)).toEqual(new Set([1, 2]));
    expect(Math.min(...img)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...img)).toBeLessThanOrEqual(1);
  });
});

describe('checkpoint and post-processing', () => {
  it('a checkpoint round-trips weights, optimizer state and bookkeeping', () => {
    const w = [{ name: 'a', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }];
    const o = [{ name: 'iter', shape: [], data: Float32Array.from([7]) }];
    const bytes = encodeCheckpoint({
      state: { epoch: 3, rngState: 12345, trainingSeconds: 9.5, bestEpoch: 2, bestValLoss: 0.3, bestMetrics: { 'dice.nucleus': 0.9 }, epochsWithoutImprovement: 1, curves: [], stepsDone: 30 },
      weights: w, optimizer: o, best: null,
    });
    const c = decodeCheckpoint(bytes);
    expect(c.state.epoch).toBe(3);
    expect(c.state.rngState).toBe(12345);
    expect([...c.weights[0].data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(c.weights[0].shape).toEqual([2, 3]);
    expect([...c.optimizer[0].data]).toEqual([7]);
    expect(c.best).toBeNull();
    expect(() => decodeCheckpoint(new Uint8Array(20))).toThrow(/not a HemaSeg training checkpoint/);
  });

  it('probabilities are resized to the image size before argmax / threshold', () => {
    const s = 4;
    const probs = new Float32Array(s * s * 3);
    for (let i = 0; i < s * s; i++) probs[i * 3 + (i % s < 2 ? 1 : 2)] = 1;
    const m = probsToLabelMap(probs, s, 3, 37, 53, { task: 'multiclass', threshold: 0.5 });
    expect([m.width, m.height, m.labels.length]).toEqual([37, 53, 37 * 53]);
    expect(m.labels[0]).toBe(1);
    expect(m.labels[36]).toBe(2);
    const bin = probsToLabelMap(new Float32Array(s * s).fill(0.6), s, 1, 5, 7, { task: 'binary', threshold: 0.7 });
    expect(bin.labels.every((v) => v === 0)).toBe(true);
  });
});
