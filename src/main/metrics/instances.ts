import { LABEL, type LabelMap } from '../../shared/domain';

/**
 * Cell instances of a mask: its instance map when it has one, else 4-connected components
 * of non-edge cell pixels, with edge pixels then given to a neighbouring component so that
 * touching cells stay apart but keep their outline.
 */
export function cellInstances(mask: LabelMap): { ids: Int32Array; count: number } {
  const { width: w, height: h, labels } = mask;
  const n = w * h;
  const ids = new Int32Array(n);
  if (mask.instances) {
    const remap = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const v = mask.instances[i];
      if (!v || labels[i] === LABEL.background) continue;
      if (!remap.has(v)) remap.set(v, remap.size + 1);
      ids[i] = remap.get(v)!;
    }
    return { ids, count: remap.size };
  }
  let count = 0;
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    if (ids[s] || labels[s] === LABEL.background || labels[s] === LABEL.edge) continue;
    ids[s] = ++count;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
        if (j < 0 || j >= n || ids[j] || labels[j] === LABEL.background || labels[j] === LABEL.edge) continue;
        ids[j] = count;
        stack.push(j);
      }
    }
  }
  // Give edge pixels to an adjacent cell; repeat so 2-px-thick edges are reached too.
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      if (ids[i] || labels[i] !== LABEL.edge) continue;
      const x = i % w, y = Math.floor(i / w);
      for (let dy = -1; dy <= 1 && !ids[i]; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const v = ids[yy * w + xx];
          if (v > 0 && labels[yy * w + xx] !== LABEL.edge) {
            ids[i] = v;
            changed = true;
            break;
          }
        }
      }
    }
    if (!changed) break;
  }
  // An edge ring with nothing inside (a tiny cell) is still a cell.
  for (let s = 0; s < n; s++) {
    if (ids[s] || labels[s] !== LABEL.edge) continue;
    ids[s] = ++count;
    stack.push(s);
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % w;
      for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
        if (j < 0 || j >= n || ids[j] || labels[j] !== LABEL.edge) continue;
        ids[j] = count;
        stack.push(j);
      }
    }
  }
  return { ids, count };
}

/**
 * SEG of the Cell Tracking Challenge: for each ground-truth cell A, the predicted cell B
 * covering more than half of A is its match, scored |A n B| / |A u B|; unmatched cells
 * score 0. The mean over ground-truth cells; null when the truth has no cell.
 */
export function segScore(truth: LabelMap, pred: LabelMap): number | null {
  const a = cellInstances(truth);
  if (a.count === 0) return null;
  const b = cellInstances(pred);
  const areaA = new Float64Array(a.count + 1);
  const areaB = new Float64Array(b.count + 1);
  const overlap = new Map<number, number>();
  for (let i = 0; i < a.ids.length; i++) {
    const ia = a.ids[i], ib = b.ids[i];
    if (ia) areaA[ia]++;
    if (ib) areaB[ib]++;
    if (ia && ib) {
      const key = ia * 65536 + ib;
      overlap.set(key, (overlap.get(key) ?? 0) + 1);
    }
  }
  const score = new Float64Array(a.count + 1);
  for (const [key, inter] of overlap) {
    const ia = Math.floor(key / 65536), ib = key % 65536;
    if (inter > 0.5 * areaA[ia]) score[ia] = inter / (areaA[ia] + areaB[ib] - inter);
  }
  let sum = 0;
  for (let k = 1; k <= a.count; k++) sum += score[k];
  return sum / a.count;
}
