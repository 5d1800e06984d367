// Which images the simulated technician corrects: a seeded random sample, or the ones the
// starting model is least sure about.
import { LABEL, type LabelMap, type RgbImage } from '../../shared/domain';
import { evaluateImage } from '../metrics/evaluate-image';
import { seededRng, shuffledIndices } from '../ml/data/rng';

export interface Candidate {
  imageId: number;
  name: string;
  /** The starting model's confidence in its prediction (null when none was stored). */
  confidence: number | null;
}

/** N images chosen at random, reproducibly for a seed (order by name first so it does not depend on ids). */
export function pickRandom<T extends { name: string; imageId: number }>(pool: T[], n: number, seed: number): T[] {
  const sorted = [...pool].sort((a, b) => a.name.localeCompare(b.name) || a.imageId - b.imageId);
  const order = shuffledIndices(sorted.length, seededRng(seed));
  return order.slice(0, n).map((i) => sorted[i]);
}

/** The N least confident (ties by name). Every candidate must carry a confidence. */
export function pickLeastConfident<T extends Candidate>(pool: T[], n: number): T[] {
  if (pool.some((c) => c.confidence === null)) throw new Error('pickLeastConfident: a candidate has no confidence');
  return [...pool].sort((a, b) => (a.confidence as number) - (b.confidence as number) || a.name.localeCompare(b.name)).slice(0, n);
}

/**
 * What an image looks like, coarsely: mean optical density of each RGB channel on a 4x4 grid
 * (stain and layout) plus the predicted cell, nucleus and cytoplasm shares of the field (scale
 * and cell type). Used only to tell similar images apart when picking.
 */
export function imageDescriptor(image: RgbImage, predicted: LabelMap | null): number[] {
  const g = 4;
  const sums = new Float64Array(g * g * 3);
  const counts = new Float64Array(g * g);
  const { width: w, height: h, data } = image;
  for (let y = 0; y < h; y++) {
    const gy = Math.min(g - 1, Math.floor((y * g) / h));
    for (let x = 0; x < w; x++) {
      const cell = gy * g + Math.min(g - 1, Math.floor((x * g) / w));
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) sums[cell * 3 + c] += -Math.log10((data[i + c] + 1) / 256);
      counts[cell]++;
    }
  }
  const out = Array.from(sums, (v, k) => v / Math.max(1, counts[Math.floor(k / 3)]));
  if (predicted) {
    let cyto = 0;
    let nucleus = 0;
    for (const v of predicted.labels) {
      if (v === LABEL.nucleus) nucleus++;
      else if (v === LABEL.cytoplasm || v === LABEL.edge) cyto++;
    }
    const n = predicted.labels.length || 1;
    // Weighted up so that shape statistics count about as much as the 48 colour values.
    out.push(4 * ((cyto + nucleus) / n), 4 * (nucleus / n), 4 * (cyto / Math.max(1, cyto + nucleus)));
  }
  return out;
}

/**
 * The least confident images, spread over what the images look like. Naive "N least
 * confident" picks one kind of odd image N times (on wbc-dataset1 a run of consecutive,
 * similar files) and a fine-tune on those drifts away from the typical smear. Here the
 * candidates are the less confident half of the pool, and each next pick maximises
 * uncertainty times the distance to the nearest image already picked (a weighted k-centre
 * greedy), so every pick is both doubtful and unlike the others.
 */
export function pickUncertainDiverse<T extends Candidate & { descriptor: number[] }>(pool: T[], n: number): T[] {
  if (pool.some((c) => c.confidence === null)) throw new Error('pickUncertainDiverse: a candidate has no confidence');
  const ranked = [...pool].sort((a, b) => (a.confidence as number) - (b.confidence as number) || a.name.localeCompare(b.name));
  const cand = ranked.slice(0, Math.min(ranked.length, Math.max(2 * n, Math.ceil(ranked.length / 2))));
  if (cand.length <= n) return cand;
  // Standardise each feature over the candidates so no single one dominates the distance.
  const dims = cand[0].descriptor.length;
  const mean = new Float64Array(dims);
  const sd = new Float64Array(dims);
  for (const c of cand) c.descriptor.forEach((v, d) => (mean[d] += v / cand.length));
  for (const c of cand) c.descriptor.forEach((v, d) => (sd[d] += (v - mean[d]) ** 2 / cand.length));
  const z = cand.map((c) => c.descriptor.map((v, d) => (v - mean[d]) / (Math.sqrt(sd[d]) || 1)));
  const dist = (a: number[], b: number[]): number => Math.sqrt(a.reduce((s, v, d) => s + (v - b[d]) ** 2, 0));
  const picked = [0];
  const nearest = z.map((f) => dist(f, z[0]));
  while (picked.length < n) {
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < cand.length; i++) {
      if (picked.includes(i)) continue;
      const score = (1 - (cand[i].confidence as number)) * nearest[i];
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    picked.push(best);
    for (let i = 0; i < cand.length; i++) nearest[i] = Math.min(nearest[i], dist(z[i], z[best]));
  }
  return picked.map((i) => cand[i]);
}

/**
 * Half the least confident, half at random from the rest. The least confident images of a
 * new lab tend to be one kind of odd image (on wbc-dataset1 a run of consecutive, similar
 * files): trained on those alone, a fine-tune drifts away from the typical smear.
 */
export function pickMixed<T extends Candidate>(pool: T[], n: number, seed: number): T[] {
  const unsure = pickLeastConfident(pool, Math.ceil(n / 2));
  const taken = new Set(unsure.map((c) => c.imageId));
  return [...unsure, ...pickRandom(pool.filter((c) => !taken.has(c.imageId)), n - unsure.length, seed)];
}

/**
 * A stand-in confidence when the predictions carry none: agreement between the model and the
 * classical active contour (mean Dice over cytoplasm and nucleus). Where two unrelated
 * segmenters disagree, at least one is wrong, and on a new lab's smears it is mostly the
 * network (query by committee).
 */
export function committeeAgreement(model: LabelMap, other: LabelMap): number {
  const m = evaluateImage(other, model);
  const d = [m.dice.cytoplasm, m.dice.nucleus].filter((v): v is number => v !== null);
  return d.length ? d.reduce((a, b) => a + b, 0) / d.length : 1;
}
