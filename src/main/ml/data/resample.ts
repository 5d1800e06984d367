// Resizing between an image's own size and the network's square input size.
// Images and probabilities use a separable triangle filter whose support widens when
// shrinking (antialiased bilinear, like PIL's), so a 480 px smear shrunk to 128 does not
// alias; growing it is plain bilinear with pixel-centre alignment. Label maps use nearest
// neighbour: a class value is never interpolated.
import type { RgbImage } from '../../../shared/domain';

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  maxTaps: number;
}

function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const support = Math.max(1, scale);
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * maxTaps);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inSize, Math.ceil(centre + support));
    let sum = 0;
    let n = 0;
    for (let j = lo; j < hi && n < maxTaps; j++, n++) {
      const w = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / support));
      weights[i * maxTaps + n] = w;
      sum += w;
    }
    if (sum === 0) {
      // Degenerate (should not happen): take the nearest pixel.
      weights[i * maxTaps] = 1;
      n = 1;
      sum = 1;
    }
    for (let k = 0; k < n; k++) weights[i * maxTaps + k] /= sum;
    start[i] = lo;
    count[i] = n;
  }
  return { start, count, weights, maxTaps };
}

/**
 * Resample an interleaved H x W x C array to outH x outW x C. `src` may be bytes or floats;
 * the result is float (no rounding).
 */
export function resampleChannels(
  src: ArrayLike<number>,
  w: number,
  h: number,
  c: number,
  outW: number,
  outH: number,
): Float32Array {
  if (src.length !== w * h * c) throw new Error(`resample: ${src.length} values for ${w}x${h}x${c}`);
  const tx = taps(w, outW);
  const ty = taps(h, outH);
  // Horizontal pass: h x outW x c.
  const mid = new Float32Array(h * outW * c);
  for (let y = 0; y < h; y++) {
    const row = y * w * c;
    for (let x = 0; x < outW; x++) {
      const s = tx.start[x];
      const n = tx.count[x];
      const base = x * tx.maxTaps;
      const o = (y * outW + x) * c;
      for (let k = 0; k < n; k++) {
        const wt = tx.weights[base + k];
        const p = row + (s + k) * c;
        for (let ch = 0; ch < c; ch++) mid[o + ch] += wt * src[p + ch];
      }
    }
  }
  // Vertical pass: outH x outW x c.
  const out = new Float32Array(outH * outW * c);
  const stride = outW * c;
  for (let y = 0; y < outH; y++) {
    const s = ty.start[y];
    const n = ty.count[y];
    const base = y * ty.maxTaps;
    const o = y * stride;
    for (let k = 0; k < n; k++) {
      const wt = ty.weights[base + k];
      const p = (s + k) * stride;
      for (let i = 0; i < stride; i++) out[o + i] += wt * mid[p + i];
    }
  }
  return out;
}

/** An RGB image resized to size x size, as bytes (what the training set keeps in memory). */
export function rgbToSquare(img: RgbImage, size: number): Uint8Array {
  if (img.width === size && img.height === size) return new Uint8Array(img.data);
  const f = resampleChannels(img.data, img.width, img.height, 3, size, size);
  const out = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(f[i])));
  return out;
}

/** Nearest-neighbour resize of a one-value-per-pixel map (labels or instance ids). */
export function resizeNearest<T extends Uint8Array | Uint16Array>(src: T, w: number, h: number, outW: number, outH: number): T {
  const out = (src instanceof Uint16Array ? new Uint16Array(outW * outH) : new Uint8Array(outW * outH)) as T;
  const xs = new Int32Array(outW);
  for (let x = 0; x < outW; x++) xs[x] = Math.min(w - 1, Math.floor(((x + 0.5) * w) / outW));
  for (let y = 0; y < outH; y++) {
    const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / outH));
    const row = sy * w;
    const o = y * outW;
    for (let x = 0; x < outW; x++) out[o + x] = src[row + xs[x]];
  }
  return out;
}

/** Bytes 0-255 to network input floats in [0, 1]. */
export function bytesToInput(src: Uint8Array, out: Float32Array, offset = 0): void {
  for (let i = 0; i < src.length; i++) out[offset + i] = src[i] / 255;
}
