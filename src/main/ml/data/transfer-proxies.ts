// Honest stand-ins for "another lab's smears", built from images whose truth we have:
// a larger field (the crop pasted on its own background estimate, then enlarged, so the
// cell is a smaller part of a bigger image, as on a 300 px CellaVision-style field), and
// a stain change (Reinhard colour transfer in l-alpha-beta space towards another palette's
// statistics). Used by scripts/eval-transfer.ts; never for training.
import type { LabelMap, RgbImage } from '../../../shared/domain';
import { backgroundColour } from './augment';
import { resampleChannels, resizeNearest } from './resample';
import { seededRng } from './rng';

/**
 * The image and mask on a field `fieldFactor` times wider (background around, blended over
 * a few pixels), resampled to `outSize` px.
 */
export function largerField(img: RgbImage, mask: LabelMap, fieldFactor: number, outSize: number, seed = 1): { image: RgbImage; mask: LabelMap } {
  const W = Math.round(img.width * fieldFactor);
  const H = Math.round(img.height * fieldFactor);
  const x0 = Math.floor((W - img.width) / 2);
  const y0 = Math.floor((H - img.height) / 2);
  const bg = backgroundColour({ rgb: img.data, labels: mask.labels, instances: null });
  const rng = seededRng(seed);
  const data = new Float32Array(W * H * 3);
  const labels = new Uint8Array(W * H);
  const feather = 4;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = y * W + x;
      const ix = x - x0;
      const iy = y - y0;
      const inside = ix >= 0 && iy >= 0 && ix < img.width && iy < img.height;
      const noise = (rng.next() - 0.5) * 6;
      const d = inside ? Math.min(ix, iy, img.width - 1 - ix, img.height - 1 - iy) : -1;
      const t = inside ? Math.min(1, (d + 1) / feather) : 0;
      for (let c = 0; c < 3; c++) {
        const b = bg[c] * 255 + noise;
        data[o * 3 + c] = inside ? t * img.data[(iy * img.width + ix) * 3 + c] + (1 - t) * b : b;
      }
      if (inside) labels[o] = mask.labels[iy * img.width + ix];
    }
  }
  const out = resampleChannels(data, W, H, 3, outSize, outSize);
  return {
    image: { width: outSize, height: outSize, data: Uint8Array.from(out, (v) => Math.max(0, Math.min(255, Math.round(v)))) },
    mask: { width: outSize, height: outSize, labels: resizeNearest(labels, W, H, outSize, outSize) },
  };
}

// RGB -> LMS -> log -> l-alpha-beta (Reinhard et al. 2001).
const RGB2LMS = [
  [0.3811, 0.5783, 0.0402],
  [0.1967, 0.7244, 0.0782],
  [0.0241, 0.1288, 0.8444],
];
const LMS2RGB = [
  [4.4679, -3.5873, 0.1193],
  [-1.2186, 2.3809, -0.1624],
  [0.0497, -0.2439, 1.2045],
];
const S3 = 1 / Math.sqrt(3), S6 = 1 / Math.sqrt(6), S2 = 1 / Math.sqrt(2);

function toLab(r: number, g: number, b: number): [number, number, number] {
  const lms = RGB2LMS.map((row) => Math.log10(Math.max(1e-3, row[0] * r + row[1] * g + row[2] * b)));
  return [S3 * (lms[0] + lms[1] + lms[2]), S6 * (lms[0] + lms[1] - 2 * lms[2]), S2 * (lms[0] - lms[1])];
}

function fromLab(l: number, a: number, bb: number): [number, number, number] {
  const L = l / S3 / 3, A = a / S6 / 6, B = bb / S2 / 2;
  const lms = [L + A + B, L + A - B, L - 2 * A].map((v) => 10 ** v);
  return LMS2RGB.map((row) => row[0] * lms[0] + row[1] * lms[1] + row[2] * lms[2]) as [number, number, number];
}

export interface LabStats {
  mean: [number, number, number];
  sd: [number, number, number];
}

/** Mean and standard deviation of l, alpha, beta over all pixels of the images. */
export function labStats(images: RgbImage[]): LabStats {
  const s = [0, 0, 0], q = [0, 0, 0];
  let n = 0;
  for (const img of images) {
    for (let i = 0; i < img.width * img.height; i++) {
      const v = toLab(img.data[i * 3] + 1, img.data[i * 3 + 1] + 1, img.data[i * 3 + 2] + 1);
      for (let c = 0; c < 3; c++) {
        s[c] += v[c];
        q[c] += v[c] * v[c];
      }
      n++;
    }
  }
  const mean = s.map((v) => v / n) as [number, number, number];
  const sd = q.map((v, c) => Math.sqrt(Math.max(1e-12, v / n - mean[c] ** 2))) as [number, number, number];
  return { mean, sd };
}

/** The image recoloured so its l-alpha-beta statistics match `target`. */
export function reinhardTransfer(img: RgbImage, target: LabStats): RgbImage {
  const src = labStats([img]);
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < img.width * img.height; i++) {
    const v = toLab(img.data[i * 3] + 1, img.data[i * 3 + 1] + 1, img.data[i * 3 + 2] + 1);
    const t = v.map((x, c) => ((x - src.mean[c]) / src.sd[c]) * target.sd[c] + target.mean[c]) as [number, number, number];
    const rgb = fromLab(t[0], t[1], t[2]);
    for (let c = 0; c < 3; c++) out[i * 3 + c] = Math.max(0, Math.min(255, Math.round(rgb[c] - 1)));
  }
  return { width: img.width, height: img.height, data: out };
}
