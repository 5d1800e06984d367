// Where an image's pixels land in the network's input ("canvas") and back. 'squash' resizes
// the image to a square (old models); 'fit' scales its longer side to the input size and
// pads the rest, so cells keep their shape. A scale factor on top zooms the image (scale
// normalisation); a canvas larger than the input size runs fully convolutionally, since
// the U-Net accepts any multiple of 2^depth. Padding mirrors the image: a smear's
// continuation looks more like a mirrored smear than like a flat colour.
import type { RgbImage } from '../../../shared/domain';
import type { InputMode } from '../families/common-config';
import { resampleChannels } from '../data/resample';

export interface Placement {
  /** Canvas size (multiples of the engine's size multiple, at least the input size). */
  canvasW: number;
  canvasH: number;
  /** The resampled image inside the canvas. */
  x0: number;
  y0: number;
  w: number;
  h: number;
  /** Canvas pixels per image pixel (x and y; equal in 'fit' mode). */
  fx: number;
  fy: number;
}

const ceilTo = (v: number, m: number): number => Math.ceil(v / m) * m;

/** Where an image of width x height goes for a given input size, mode and extra zoom. */
export function placeImage(width: number, height: number, inputSize: number, mode: InputMode, multiple: number, zoom = 1): Placement {
  let w: number;
  let h: number;
  if (mode === 'squash') {
    w = Math.max(1, Math.round(inputSize * zoom));
    h = w;
  } else {
    const f = (inputSize / Math.max(width, height)) * zoom;
    w = Math.max(1, Math.round(width * f));
    h = Math.max(1, Math.round(height * f));
  }
  const canvasW = Math.max(inputSize, ceilTo(w, multiple));
  const canvasH = Math.max(inputSize, ceilTo(h, multiple));
  return { canvasW, canvasH, x0: Math.floor((canvasW - w) / 2), y0: Math.floor((canvasH - h) / 2), w, h, fx: w / width, fy: h / height };
}

export const reflectIndex = (i: number, n: number): number => {
  if (n === 1) return 0;
  const period = 2 * n;
  let m = ((i % period) + period) % period;
  if (m >= n) m = period - 1 - m;
  return m;
};

/** The canvas as network input: floats in [0, 1], NHWC with n = 1. */
export function imageToCanvas(img: RgbImage, p: Placement): Float32Array {
  const small = p.w === img.width && p.h === img.height ? img.data : resampleChannels(img.data, img.width, img.height, 3, p.w, p.h);
  const out = new Float32Array(p.canvasW * p.canvasH * 3);
  for (let y = 0; y < p.canvasH; y++) {
    const sy = reflectIndex(y - p.y0, p.h);
    for (let x = 0; x < p.canvasW; x++) {
      const sx = reflectIndex(x - p.x0, p.w);
      const s = (sy * p.w + sx) * 3;
      const o = (y * p.canvasW + x) * 3;
      out[o] = small[s] / 255;
      out[o + 1] = small[s + 1] / 255;
      out[o + 2] = small[s + 2] / 255;
    }
  }
  return out;
}

/** The image's part of a canvas-sized, c-channel map, resampled to the image's own size. */
export function canvasToImage(map: Float32Array, c: number, p: Placement, width: number, height: number): Float32Array {
  const crop = new Float32Array(p.w * p.h * c);
  for (let y = 0; y < p.h; y++) {
    const from = ((y + p.y0) * p.canvasW + p.x0) * c;
    crop.set(map.subarray(from, from + p.w * c), y * p.w * c);
  }
  return p.w === width && p.h === height ? crop : resampleChannels(crop, p.w, p.h, c, width, height);
}
