import { LABEL, type LabelMap } from '../../shared/domain';

/**
 * Cell instances of a mask: its instance map when it has one (cell pixels only), else
 * 4-connected components of non-edge cell pixels. Edge pixels then join a neighbouring
 * component (8-neighbourhood; the first in row-major neighbour order), and edge pixels
 * further inside a thick edge join the component of the edge they touch, so touching cells
 * stay apart but keep their outline. An edge ring with nothing inside is a cell of its own.
 */
export function cellInstances(mask: LabelMap): { ids: Int32Array; count: number } {
  const { width: w, height: h, labels } = mask;
  const n = w * h;
  const ids = new Int32Array(n);
  const inst = mask.instances;
  let hasInstances = false;
  if (inst) for (let i = 0; i < n && !hasInstances; i++) hasInstances = inst[i] !== 0 && labels[i] !== LABEL.background;
  if (inst && hasInstances) {
    const remap = new Int32Array(65536);
    let count = 0;
    for (let i = 0; i < n; i++) {
      const v = inst[i];
      if (!v || labels[i] === LABEL.background) continue;
      if (!remap[v]) remap[v] = ++count;
      ids[i] = remap[v];
    }
    return { ids, count };
  }
  const queue = new Int32Array(n);
  const isEdge = (i: number): boolean => labels[i] === LABEL.edge;
  let count = 0;
  count = flood(ids, queue, labels, w, h, count, false);
  // Edge pixels touching a core pixel take its component.
  let tail = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (labels[i] !== LABEL.edge) continue;
      search: for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= h) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx < 0 || xx >= w) continue;
          const j = yy * w + xx;
          if (ids[j] > 0 && !isEdge(j)) {
            ids[i] = ids[j];
            queue[tail++] = i;
            break search;
          }
        }
      }
    }
  }
  // Deeper edge pixels (thick edges) take the component of the edge they touch.
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const x = i % w, y = (i - x) / w;
    for (let dy = -1; dy <= 1; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= h) continue;
      for (let dx = -1; dx <= 1; dx++) {
        const xx = x + dx;
        if (xx < 0 || xx >= w) continue;
        const j = yy * w + xx;
        if (ids[j] || !isEdge(j)) continue;
        ids[j] = ids[i];
        queue[tail++] = j;
      }
    }
  }
  count = flood(ids, queue, labels, w, h, count, true);
  return { ids, count };
}

/**
 * Label 4-connected components of unlabelled pixels, numbering on from `count`: cytoplasm
 * or nucleus pixels, or (edges = true) edge pixels. Label tests are inlined: this is the
 * hot loop of SEG.
 */
function flood(ids: Int32Array, queue: Int32Array, labels: Uint8Array, w: number, h: number, count: number, edges: boolean): number {
  const n = w * h;
  // cytoplasm 1 and nucleus 2 are the core; edge is 3
  const lo = edges ? 3 : 1, hi = edges ? 3 : 2;
  for (let s = 0; s < n; s++) {
    const ls = labels[s];
    if (ids[s] || ls < lo || ls > hi) continue;
    ids[s] = ++count;
    let head = 0, tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const i = queue[head++];
      const x = i % w;
      let j = i - 1;
      if (x > 0 && !ids[j] && labels[j] >= lo && labels[j] <= hi) { ids[j] = count; queue[tail++] = j; }
      j = i + 1;
      if (x < w - 1 && !ids[j] && labels[j] >= lo && labels[j] <= hi) { ids[j] = count; queue[tail++] = j; }
      j = i - w;
      if (j >= 0 && !ids[j] && labels[j] >= lo && labels[j] <= hi) { ids[j] = count; queue[tail++] = j; }
      j = i + w;
      if (j < n && !ids[j] && labels[j] >= lo && labels[j] <= hi) { ids[j] = count; queue[tail++] = j; }
    }
  }
  return count;
}

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
