import { describe, expect, it } from 'vitest';
import { LABEL } from '../../../shared/domain';
import type { Augmentation } from '../../../shared/ml';
import { applyTransform, drawTransform, isIdentityAugmentation } from './augment';
import { applyColourAugmentation, hueSaturationMatrix } from './augment-colour';
import { parseAugmentationSpec, ROBUST_AUGMENTATION } from './augment-spec';
import { centralCellDiameter } from './cell-size';
import { makeBatch, toExampleSize, type Example } from './dataset';
import { seededRng } from './rng';
import { normaliseStain } from './stain-norm';
import { largerField, labStats, reinhardTransfer } from './transfer-proxies';

const GEO: Augmentation = { flips: true, rotate90: true, shift: 0.05, zoom: 0.05, shear: 0 };

/** A size x size sample: pale yellow background, a red square labelled nucleus, a grey ring of cytoplasm. */
function sample(size: number): Example {
  const rgb = new Uint8Array(size * size * 3);
  const labels = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.max(Math.abs(x + 0.5 - size / 2), Math.abs(y + 0.5 - size / 2));
      const p = y * size + x;
      const [c, l] = d < size * 0.12 ? [[220, 20, 20], LABEL.nucleus] : d < size * 0.25 ? [[120, 120, 160], LABEL.cytoplasm] : [[250, 245, 200], LABEL.background];
      rgb.set(c, p * 3);
      labels[p] = l;
    }
  }
  return { imageId: 1, maskVersionId: 1, name: 's', rgb, labels, instances: null };
}

describe('scale and colour augmentation', () => {
  it('colour augmentation leaves labels alone and keeps values in [0, 1]', () => {
    const e = sample(32);
    for (let seed = 1; seed < 6; seed++) {
      const a = makeBatch([e], [0], 32, 'multiclass', GEO, seededRng(seed));
      const b = makeBatch([e], [0], 32, 'multiclass', { ...GEO, ...ROBUST_AUGMENTATION, scaleRange: null }, seededRng(seed));
      expect([...b.y]).toEqual([...a.y]);
      expect(Math.min(...b.x)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...b.x)).toBeLessThanOrEqual(1);
      expect(b.x.some((v, i) => Math.abs(v - a.x[i]) > 0.01)).toBe(true);
    }
  });

  it('switched-off colour steps are the identity', () => {
    const m = hueSaturationMatrix(0, 1);
    m.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 3)));
    const x = Float32Array.from({ length: 16 * 3 }, (_, i) => (i % 7) / 7);
    const y = new Float32Array(x);
    applyColourAugmentation(y, 0, 4, 4, { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0, stain: 0, hue: 0 }, seededRng(1));
    expect([...y]).toEqual([...x]);
  });

  it('stain jitter keeps white white and changes stained pixels', () => {
    const x = Float32Array.from([1, 1, 1, 0.5, 0.2, 0.6]);
    applyColourAugmentation(x, 0, 2, 1, { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0, stain: 0.3 }, seededRng(4));
    for (let c = 0; c < 3; c++) expect(x[c]).toBeGreaterThan(0.9);
    expect(Math.abs(x[3] - 0.5) + Math.abs(x[4] - 0.2) + Math.abs(x[5] - 0.6)).toBeGreaterThan(0.01);
  });

  it('zooming out moves image and labels together and pads with background', () => {
    const size = 40;
    const e = sample(size);
    const aug: Augmentation = { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0, scaleRange: [0.5, 0.5], scalePad: 'background' };
    const t = drawTransform(size, aug, seededRng(1));
    const img = new Float32Array(size * size * 3);
    const r = applyTransform(e, size, t, img, 0, 'background');
    const count = (l: Uint8Array, v: number): number => l.filter((x) => x === v).length;
    // Half the side: a quarter of the area.
    expect(count(r.labels, LABEL.nucleus) / count(e.labels, LABEL.nucleus)).toBeGreaterThan(0.15);
    expect(count(r.labels, LABEL.nucleus) / count(e.labels, LABEL.nucleus)).toBeLessThan(0.4);
    for (let p = 0; p < size * size; p++) {
      const y = Math.floor(p / size), x = p % size;
      const inner = x > 0 && y > 0 && x < size - 1 && y < size - 1 && [p - 1, p + 1, p - size, p + size].every((q) => r.labels[q] === r.labels[p]);
      if (!inner) continue;
      if (r.labels[p] === LABEL.nucleus) expect(img[p * 3]).toBeGreaterThan(0.8);
      if (r.labels[p] === LABEL.background) expect(img[p * 3 + 2]).toBeGreaterThan(0.7);
    }
    // The corners are padding: background colour, background label.
    expect(r.labels[0]).toBe(LABEL.background);
    expect(img[0]).toBeCloseTo(250 / 255, 1);
  });

  it('the text form parses presets and keys, refuses bad values, and old requests stay valid', () => {
    expect(parseAugmentationSpec('none')).toEqual({ flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 });
    const r = parseAugmentationSpec('robust,hue=0.1,scale=0.5-1.2,pad=background');
    expect(r.hue).toBe(0.1);
    expect(r.scaleRange).toEqual([0.5, 1.2]);
    expect(r.scalePad).toBe('background');
    expect(parseAugmentationSpec('flips,shift').shift).toBe(0.1);
    expect(() => parseAugmentationSpec('scale=2-1')).toThrow(/scale range/);
    expect(() => parseAugmentationSpec('sparkle')).toThrow(/unknown augmentation/);
    expect(() => parseAugmentationSpec('noise=3')).toThrow(/noise/);
    // A request stored before the new fields existed: no colour, no scale.
    expect(isIdentityAugmentation({ flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 })).toBe(true);
    const old = makeBatch([sample(16)], [0], 16, 'multiclass', { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 }, seededRng(1));
    expect(old.x[0]).toBeCloseTo(250 / 255, 5);
  });
});

describe('input placement, stain normalisation and transfer proxies', () => {
  it("'fit' keeps a non-square image's aspect ratio and aligns labels", () => {
    const w = 60, h = 30;
    const data = new Uint8Array(w * h * 3).fill(240);
    const labels = new Uint8Array(w * h);
    for (let y = 10; y < 20; y++) for (let x = 25; x < 35; x++) {
      labels[y * w + x] = LABEL.nucleus;
      data.set([200, 0, 0], (y * w + x) * 3);
    }
    const ex = toExampleSize({ width: w, height: h, data }, { width: w, height: h, labels }, 32, false, 'fit');
    // The image fills rows 8-23 (32 x 16); outside them the padding mirrors it.
    const n = ex.labels.filter((v, p) => v === LABEL.nucleus && p >= 8 * 32 && p < 24 * 32).length;
    // A 10x10 square at 32/60 scale stays square (about 5x5), not squashed to 5x11.
    expect(n).toBeGreaterThan(16);
    expect(n).toBeLessThan(40);
    ex.labels.forEach((v, p) => {
      if (v === LABEL.nucleus) expect(ex.rgb[p * 3 + 1]).toBeLessThan(140);
    });
  });

  it('stain normalisation maps two tints of one image close together', () => {
    const base = sample(24);
    const tint = (k: number[]) => ({ width: 24, height: 24, data: Uint8Array.from(base.rgb, (v, i) => Math.min(255, Math.round(v * k[i % 3]))) });
    const a = normaliseStain(tint([1, 1, 1]), 'od-scale');
    const b = normaliseStain(tint([0.9, 1, 0.8]), 'od-scale');
    let diff = 0;
    let raw = 0;
    const ra = tint([1, 1, 1]).data, rb = tint([0.9, 1, 0.8]).data;
    for (let i = 0; i < a.data.length; i++) {
      diff += Math.abs(a.data[i] - b.data[i]);
      raw += Math.abs(ra[i] - rb[i]);
    }
    expect(diff).toBeLessThan(raw * 0.5);
  });

  it('the larger-field proxy keeps image and mask aligned and shrinks the cell', () => {
    const e = sample(40);
    const before = centralCellDiameter({ width: 40, height: 40, labels: e.labels });
    const r = largerField({ width: 40, height: 40, data: e.rgb }, { width: 40, height: 40, labels: e.labels }, 2, 100);
    expect([r.image.width, r.mask.width]).toEqual([100, 100]);
    expect(centralCellDiameter(r.mask)).toBeCloseTo(before / 2, 1);
    const c = 50 * 100 + 50;
    expect(r.mask.labels[c]).toBe(LABEL.nucleus);
    expect(r.image.data[c * 3]).toBeGreaterThan(180);
    const stats = labStats([r.image]);
    const moved = reinhardTransfer(r.image, { mean: [stats.mean[0], stats.mean[1] + 0.05, stats.mean[2]], sd: stats.sd });
    expect(labStats([moved]).mean[1]).toBeCloseTo(stats.mean[1] + 0.05, 1);
  });
});
