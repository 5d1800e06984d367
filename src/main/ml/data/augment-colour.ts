// Stain and colour augmentation of one training sample (floats in [0, 1], after the
// geometric transform), so a network trained on one lab's smears meets another lab's
// stain strengths, tints, cameras and focus. Order: stain-vector jitter in optical-density
// space (Ruifrok-Johnston H&E-DAB matrix, after Tellez et al. 2018), white balance, hue and
// saturation (one 3x3 matrix in YIQ space), brightness, contrast, gamma, blur, noise.
// Labels never change. Every draw comes from the sample's seeded generator.
import type { Augmentation } from '../../../shared/ml';
import type { Rng } from './rng';

/** Stain optical-density vectors (rows: haematoxylin, eosin, DAB), unit length. */
const HED = ((): number[][] => {
  const rows = [
    [0.65, 0.7, 0.29],
    [0.07, 0.99, 0.11],
    [0.27, 0.57, 0.78],
  ];
  return rows.map((r) => {
    const n = Math.hypot(r[0], r[1], r[2]);
    return r.map((v) => v / n);
  });
})();

function inverse3(m: number[][]): number[][] {
  const [a, b, c] = m[0];
  const [d, e, f] = m[1];
  const [g, h, i] = m[2];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return [
    [(e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det],
    [(f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det],
    [(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det],
  ];
}

function mul3(a: number[][], b: number[][]): number[][] {
  return a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j] + row[1] * b[1][j] + row[2] * b[2][j]));
}

const HED_INV = inverse3(HED);
const RGB_TO_YIQ = [
  [0.299, 0.587, 0.114],
  [0.596, -0.274, -0.322],
  [0.211, -0.523, 0.312],
];
const YIQ_TO_RGB = inverse3(RGB_TO_YIQ);

/** Any colour augmentation switched on? */
export function hasColourAugmentation(a: Augmentation): boolean {
  return [a.stain, a.hue, a.saturation, a.brightness, a.contrast, a.gamma, a.whiteBalance, a.blur, a.noise].some((v) => (v ?? 0) > 0);
}

/** RGB matrix rotating hue by `turns` and scaling saturation by `sat` (column vectors: out = M * rgb). */
export function hueSaturationMatrix(turns: number, sat: number): number[][] {
  const t = 2 * Math.PI * turns;
  const rot = [
    [1, 0, 0],
    [0, sat * Math.cos(t), -sat * Math.sin(t)],
    [0, sat * Math.sin(t), sat * Math.cos(t)],
  ];
  return mul3(YIQ_TO_RGB, mul3(rot, RGB_TO_YIQ));
}

function gaussianKernel(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(2.5 * sigma));
  const k = new Float32Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) s += k[i + r] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= s;
  return k;
}

/** Separable Gaussian blur of a w x h x 3 block at `offset`, mirrored at the borders. */
export function blurInPlace(x: Float32Array, offset: number, w: number, h: number, sigma: number): void {
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const tmp = new Float32Array(w * h * 3);
  const refl = (i: number, n: number): number => (i < 0 ? Math.min(n - 1, -i - 1) : i >= n ? Math.max(0, 2 * n - i - 1) : i);
  for (let y = 0; y < h; y++) {
    for (let xx = 0; xx < w; xx++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let j = -r; j <= r; j++) s += k[j + r] * x[offset + (y * w + refl(xx + j, w)) * 3 + c];
        tmp[(y * w + xx) * 3 + c] = s;
      }
    }
  }
  for (let y = 0; y < h; y++) {
    for (let xx = 0; xx < w; xx++) {
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let j = -r; j <= r; j++) s += k[j + r] * tmp[(refl(y + j, h) * w + xx) * 3 + c];
        x[offset + (y * w + xx) * 3 + c] = s;
      }
    }
  }
}

function gaussian(rng: Rng): number {
  const u = Math.max(1e-12, rng.next());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

const sym = (rng: Rng, a: number | undefined): number => ((a ?? 0) > 0 ? rng.uniform(-(a as number), a as number) : 0);

/** Colour-augment the w x h x 3 floats at `offset` in place; results stay in [0, 1]. */
export function applyColourAugmentation(x: Float32Array, offset: number, w: number, h: number, aug: Augmentation, rng: Rng): void {
  const n = w * h;
  const end = offset + n * 3;
  // 1. Stain amounts in optical-density space: OD = C * HED, each stain scaled and shifted.
  if ((aug.stain ?? 0) > 0) {
    const s = aug.stain as number;
    const scale = [0, 1, 2].map(() => 1 + rng.uniform(-s, s));
    const shift = [0, 1, 2].map(() => rng.uniform(-s, s) * 0.1);
    // Combined OD -> OD' matrix: HED_INV * diag(scale) * HED, plus shift * HED.
    const mid = HED_INV.map((row) => row.map((v, j) => v * scale[j]));
    const m = mul3(mid, HED);
    const off = [0, 1, 2].map((j) => shift[0] * HED[0][j] + shift[1] * HED[1][j] + shift[2] * HED[2][j]);
    const [m0, m1, m2] = m;
    for (let p = offset; p < end; p += 3) {
      const o0 = -Math.log(Math.max(x[p], 1 / 255));
      const o1 = -Math.log(Math.max(x[p + 1], 1 / 255));
      const o2 = -Math.log(Math.max(x[p + 2], 1 / 255));
      for (let j = 0; j < 3; j++) x[p + j] = Math.exp(-Math.max(0, o0 * m0[j] + o1 * m1[j] + o2 * m2[j] + off[j]));
    }
  }
  // 2-3. White balance and hue/saturation: one matrix.
  const wb = [0, 1, 2].map(() => 1 + sym(rng, aug.whiteBalance));
  const hue = sym(rng, aug.hue);
  const sat = 1 + sym(rng, aug.saturation);
  if (wb.some((v) => v !== 1) || hue !== 0 || sat !== 1) {
    const hs = hueSaturationMatrix(hue, sat);
    const m = hs.map((row) => row.map((v, j) => v * wb[j]));
    for (let p = offset; p < end; p += 3) {
      const r = x[p], g = x[p + 1], b = x[p + 2];
      for (let c = 0; c < 3; c++) x[p + c] = m[c][0] * r + m[c][1] * g + m[c][2] * b;
    }
  }
  // 4. Brightness, contrast (about the image mean), gamma.
  const bright = sym(rng, aug.brightness);
  const contrast = 1 + sym(rng, aug.contrast);
  const gamma = Math.exp(sym(rng, aug.gamma));
  if (bright !== 0 || contrast !== 1 || gamma !== 1) {
    let mean = 0;
    for (let p = offset; p < end; p++) mean += x[p];
    mean /= n * 3;
    for (let p = offset; p < end; p++) {
      const v = Math.min(1, Math.max(0, (x[p] - mean) * contrast + mean + bright));
      x[p] = gamma === 1 ? v : v ** gamma;
    }
  }
  // 5. Blur on half of the samples (focus differs between scanners).
  if ((aug.blur ?? 0) > 0 && rng.next() < 0.5) {
    const sigma = rng.uniform(0.3, aug.blur as number);
    blurInPlace(x, offset, w, h, sigma);
  }
  // 6. Noise.
  if ((aug.noise ?? 0) > 0) {
    const sd = rng.uniform(0, aug.noise as number);
    for (let p = offset; p < end; p++) x[p] += sd * gaussian(rng);
  }
  for (let p = offset; p < end; p++) x[p] = Math.min(1, Math.max(0, x[p]));
}
