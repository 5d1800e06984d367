// Training-set augmentation at the network's input size: flips, 90-degree rotations and a
// random affine (shift, zoom, shear), each switchable. One inverse mapping per sample is
// applied to the image (bilinear) and to the labels and instance ids (nearest neighbour),
// with reflection at the borders so no black wedges appear that real smears never have.
// Scale augmentation zooms the whole field over a wide range (a 300 px field from another
// scanner shows cells far smaller than a 120 px crop); zooming out fills the border by
// mirroring or with the sample's background colour. Colour augmentation is in
// augment-colour.ts and runs after this.
import type { Augmentation } from '../../../shared/ml';
import type { Rng } from './rng';

export const NO_AUGMENTATION: Augmentation = { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 };
export const DEFAULT_AUGMENTATION: Augmentation = { flips: true, rotate90: true, shift: 0.05, zoom: 0.05, shear: 0 };

/** True when the geometric part does nothing (colour augmentation is checked separately). */
export function isIdentityAugmentation(a: Augmentation): boolean {
  return !a.flips && !a.rotate90 && a.shift <= 0 && a.zoom <= 0 && a.shear <= 0 && !hasScale(a);
}

const hasScale = (a: Augmentation): boolean => !!a.scaleRange && (a.scaleRange[0] !== 1 || a.scaleRange[1] !== 1);

/** Checks the optional fields (old requests lack them: off); throws a clear message on bad values. */
export function checkAugmentation(a: Augmentation): void {
  if (a.scaleRange) {
    const [lo, hi] = a.scaleRange;
    if (!(lo > 0.1 && hi >= lo && hi <= 4)) throw new Error(`augmentation: scale range must satisfy 0.1 < min <= max <= 4, got ${lo}-${hi}`);
  }
  if (a.scalePad !== undefined && a.scalePad !== 'reflect' && a.scalePad !== 'background') throw new Error(`augmentation: scalePad must be reflect or background, got ${String(a.scalePad)}`);
  const limits: [keyof Augmentation, number][] = [['stain', 1], ['hue', 0.5], ['saturation', 1], ['brightness', 1], ['contrast', 1], ['gamma', 2], ['whiteBalance', 1], ['blur', 5], ['noise', 0.5]];
  for (const [k, max] of limits) {
    const v = a[k];
    if (v !== undefined && !(typeof v === 'number' && v >= 0 && v <= max)) throw new Error(`augmentation: ${k} must be a number from 0 to ${max}, got ${String(v)}`);
  }
}

/** A 2x2 linear part plus translation, mapping output pixel centres to source pixel centres. */
interface InverseMap {
  a: number;
  b: number;
  c: number;
  d: number;
  tx: number;
  ty: number;
  exact: boolean; // integer permutation (flips/rotations only): no interpolation needed
}

export function drawTransform(size: number, aug: Augmentation, rng: Rng): InverseMap {
  // Forward linear map F = D4 * zoom * shear about the centre, then a shift.
  let [fa, fb, fc, fd] = [1, 0, 0, 1];
  const mul = (a: number, b: number, c: number, d: number): void => {
    [fa, fb, fc, fd] = [fa * a + fb * c, fa * b + fb * d, fc * a + fd * c, fc * b + fd * d];
  };
  if (aug.flips) {
    if (rng.next() < 0.5) mul(-1, 0, 0, 1);
    if (rng.next() < 0.5) mul(1, 0, 0, -1);
  }
  if (aug.rotate90) {
    const k = rng.int(4);
    for (let i = 0; i < k; i++) mul(0, -1, 1, 0);
  }
  let exact = true;
  if (aug.scaleRange && hasScale(aug)) {
    const [lo, hi] = aug.scaleRange;
    const s = Math.exp(rng.uniform(Math.log(lo), Math.log(hi)));
    mul(s, 0, 0, s);
    exact = false;
  }
  if (aug.zoom > 0) {
    const s = rng.uniform(1 - aug.zoom, 1 + aug.zoom);
    mul(s, 0, 0, s);
    exact = false;
  }
  if (aug.shear > 0) {
    const t = rng.uniform(-aug.shear, aug.shear);
    mul(1, -Math.sin(t), 0, Math.cos(t));
    exact = false;
  }
  let sx = 0;
  let sy = 0;
  if (aug.shift > 0) {
    sx = Math.round(rng.uniform(-aug.shift, aug.shift) * size);
    sy = Math.round(rng.uniform(-aug.shift, aug.shift) * size);
  }
  const det = fa * fd - fb * fc;
  const [ia, ib, ic, id] = [fd / det, -fb / det, -fc / det, fa / det];
  // src = c + F^-1 (out - c - shift), in pixel-centre coordinates (centre c = size/2).
  const c = size / 2;
  const ox = -c - sx;
  const oy = -c - sy;
  return { a: ia, b: ib, c: ic, d: id, tx: c + ia * ox + ib * oy, ty: c + ic * ox + id * oy, exact };
}

const reflect = (i: number, n: number): number => {
  if (n === 1) return 0;
  const period = 2 * n;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - 1 - m;
  return m;
};

export interface SampleBuffers {
  rgb: Uint8Array; // size*size*3
  labels: Uint8Array; // size*size
  instances: Uint16Array | null;
}

/**
 * Apply `t` to one sample. Returns the image as floats in [0, 1] written into `outImage` at
 * `offset`, and new label/instance arrays.
 */
export function applyTransform(
  src: SampleBuffers,
  size: number,
  t: InverseMap,
  outImage: Float32Array,
  offset: number,
  pad: 'reflect' | 'background' = 'reflect',
): { labels: Uint8Array; instances: Uint16Array | null } {
  const n = size * size;
  const labels = new Uint8Array(n);
  const instances = src.instances ? new Uint16Array(n) : null;
  const bg = pad === 'background' ? backgroundColour(src) : null;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Pixel centre (x + 0.5, y + 0.5) mapped to the source, back to index space.
      const px = x + 0.5;
      const py = y + 0.5;
      const fx = t.a * px + t.b * py + t.tx - 0.5;
      const fy = t.c * px + t.d * py + t.ty - 0.5;
      const o = y * size + x;
      if (bg && (fx < -0.5 || fy < -0.5 || fx > size - 0.5 || fy > size - 0.5)) {
        // Outside the sample: plain background (labels stay 0).
        for (let ch = 0; ch < 3; ch++) outImage[offset + o * 3 + ch] = bg[ch];
        continue;
      }
      const nx = reflect(Math.round(fx), size);
      const ny = reflect(Math.round(fy), size);
      const q = ny * size + nx;
      labels[o] = src.labels[q];
      if (instances && src.instances) instances[o] = src.instances[q];
      if (t.exact) {
        for (let ch = 0; ch < 3; ch++) outImage[offset + o * 3 + ch] = src.rgb[q * 3 + ch] / 255;
        continue;
      }
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const wx = fx - x0;
      const wy = fy - y0;
      const xa = reflect(x0, size);
      const xb = reflect(x0 + 1, size);
      const ya = reflect(y0, size) * size;
      const yb = reflect(y0 + 1, size) * size;
      for (let ch = 0; ch < 3; ch++) {
        const v =
          (1 - wy) * ((1 - wx) * src.rgb[(ya + xa) * 3 + ch] + wx * src.rgb[(ya + xb) * 3 + ch]) +
          wy * ((1 - wx) * src.rgb[(yb + xa) * 3 + ch] + wx * src.rgb[(yb + xb) * 3 + ch]);
        outImage[offset + o * 3 + ch] = v / 255;
      }
    }
  }
  return { labels, instances };
}

/** Mean colour of the brighter half of a sample's background pixels (plasma, not red cells), in [0, 1]. */
export function backgroundColour(src: SampleBuffers): [number, number, number] {
  const bright: number[] = [];
  for (let i = 0; i < src.labels.length; i++) if (src.labels[i] === 0) bright.push(src.rgb[i * 3] + src.rgb[i * 3 + 1] + src.rgb[i * 3 + 2]);
  if (!bright.length) return [0.9, 0.9, 0.9];
  const cut = [...bright].sort((a, b) => a - b)[Math.floor(bright.length / 2)];
  const sum = [0, 0, 0];
  let k = 0;
  for (let i = 0; i < src.labels.length; i++) {
    if (src.labels[i] !== 0 || src.rgb[i * 3] + src.rgb[i * 3 + 1] + src.rgb[i * 3 + 2] < cut) continue;
    for (let c = 0; c < 3; c++) sum[c] += src.rgb[i * 3 + c];
    k++;
  }
  return [sum[0] / k / 255, sum[1] / k / 255, sum[2] / k / 255];
}
