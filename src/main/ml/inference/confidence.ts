// How sure a prediction is (PredictionConfidence), from the probabilities at the image's
// own size: per pixel 1 - normalised entropy of the class distribution (1 = one class
// certain, 0 = all equally likely), and with test-time augmentation the share of the
// transformed passes whose argmax agrees with the averaged prediction. Averaged over the
// pixels that matter (predicted cells and everything not confidently background; the whole
// image when nothing is), and per predicted cell over its own pixels.
import type { LabelMap } from '../../../shared/domain';
import type { PredictionConfidence } from '../../../shared/ml';

/** Pixels at or above this non-background probability count for the image's confidence. */
const FOREGROUND_P = 0.1;

/** 1 - normalised entropy per pixel (binary: the 2-class distribution p, 1 - p). */
export function pixelCertainty(probs: Float32Array, channels: number, pixels: number): Float32Array {
  const out = new Float32Array(pixels);
  const k = channels === 1 ? 2 : channels;
  const norm = Math.log(k);
  for (let i = 0; i < pixels; i++) {
    let hsum = 0;
    if (channels === 1) {
      const p = Math.min(1, Math.max(0, probs[i]));
      if (p > 0) hsum -= p * Math.log(p);
      if (p < 1) hsum -= (1 - p) * Math.log(1 - p);
    } else {
      for (let c = 0; c < channels; c++) {
        const p = probs[i * channels + c];
        if (p > 0) hsum -= p * Math.log(p);
      }
    }
    out[i] = Math.max(0, 1 - hsum / norm);
  }
  return out;
}

const round = (v: number): number => Math.round(v * 10000) / 10000;

/**
 * `agreement` (optional): per pixel, the fraction of test-time-augmentation passes whose
 * argmax equals the averaged prediction's.
 */
export function predictionConfidence(probs: Float32Array, channels: number, mask: LabelMap, agreement: Float32Array | null): PredictionConfidence {
  const n = mask.width * mask.height;
  const cert = pixelCertainty(probs, channels, n);
  const region = new Uint8Array(n);
  let regionCount = 0;
  for (let i = 0; i < n; i++) {
    const fg = channels === 1 ? probs[i] : 1 - probs[i * channels];
    if (mask.labels[i] !== 0 || fg >= FOREGROUND_P) {
      region[i] = 1;
      regionCount++;
    }
  }
  if (regionCount === 0) region.fill(1);
  let cSum = 0;
  let aSum = 0;
  let count = 0;
  const cells = new Map<number, { c: number; a: number; n: number }>();
  for (let i = 0; i < n; i++) {
    const a = agreement ? agreement[i] : 1;
    if (region[i]) {
      cSum += cert[i];
      aSum += a;
      count++;
    }
    const id = mask.instances?.[i] ?? 0;
    if (id !== 0 && mask.labels[i] !== 0) {
      const e = cells.get(id) ?? { c: 0, a: 0, n: 0 };
      e.c += cert[i];
      e.a += a;
      e.n++;
      cells.set(id, e);
    }
  }
  const entropy = cSum / count;
  const ttaAgreement = aSum / count;
  return {
    method: agreement ? 'entropy x tta-agreement' : 'entropy',
    image: round(agreement ? entropy * ttaAgreement : entropy),
    cells: [...cells.entries()]
      .sort((x, y) => x[0] - y[0])
      .map(([instance, e]) => ({ instance, confidence: round(agreement ? (e.c / e.n) * (e.a / e.n) : e.c / e.n) })),
    parts: agreement ? { entropy: round(entropy), ttaAgreement: round(ttaAgreement) } : { entropy: round(entropy) },
  };
}
