// SEG of the Cell Tracking Challenge over the cells of shared/core/cells (the one definition
// of a cell the CNR report and the editor use too).
import type { LabelMap } from '../../shared/domain';
import { cellInstances } from '../../shared/core/cells';

export interface SegDetail {
  /** Mean Jaccard over ground-truth cells; null when the truth has no cell. */
  seg: number | null;
  truthObjects: number;
  predObjects: number;
  /** Sum of the per-object scores (for SEG pooled over a whole set). */
  jaccardSum: number;
}

/**
 * SEG of the Cell Tracking Challenge: for each ground-truth cell A, the predicted cell B
 * covering more than half of A is its match (at most one can), scored |A n B| / |A u B|;
 * unmatched cells score 0. The mean over ground-truth cells; null when the truth has no
 * cell (the challenge defines SEG over ground-truth objects only).
 */
export function segDetail(truth: LabelMap, pred: LabelMap): SegDetail {
  const a = cellInstances(truth);
  const b = cellInstances(pred);
  if (a.count === 0) return { seg: null, truthObjects: 0, predObjects: b.count, jaccardSum: 0 };
  const areaA = new Float64Array(a.count + 1);
  const areaB = new Float64Array(b.count + 1);
  const pairs = (a.count + 1) * (b.count + 1);
  // Dense overlap table for the usual few cells, a map for pathological counts.
  const dense = pairs <= 1 << 20 ? new Float64Array(pairs) : null;
  const sparse = dense ? null : new Map<number, number>();
  const stride = b.count + 1;
  for (let i = 0; i < a.ids.length; i++) {
    const ia = a.ids[i], ib = b.ids[i];
    areaA[ia]++;
    areaB[ib]++;
    if (ia && ib) {
      const key = ia * stride + ib;
      if (dense) dense[key]++;
      else sparse!.set(key, (sparse!.get(key) ?? 0) + 1);
    }
  }
  const score = new Float64Array(a.count + 1);
  const visit = (key: number, inter: number): void => {
    const ia = Math.floor(key / stride), ib = key % stride;
    if (inter > 0.5 * areaA[ia]) score[ia] = inter / (areaA[ia] + areaB[ib] - inter);
  };
  if (dense) {
    for (let key = 0; key < dense.length; key++) if (dense[key] > 0) visit(key, dense[key]);
  } else {
    for (const [key, inter] of sparse!) visit(key, inter);
  }
  let sum = 0;
  for (let k = 1; k <= a.count; k++) sum += score[k];
  return { seg: sum / a.count, truthObjects: a.count, predObjects: b.count, jaccardSum: sum };
}

/** SEG of one image (see segDetail); null when the truth has no cell. */
export function segScore(truth: LabelMap, pred: LabelMap): number | null {
  return segDetail(truth, pred).seg;
}
