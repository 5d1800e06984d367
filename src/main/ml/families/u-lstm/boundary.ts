// Training targets of the U-LSTM's two losses, from a stored mask (pure TypeScript, so the
// main side and tests use it without TensorFlow). The cells are shared/core's cells, the same
// ones SEG counts.
//   three classes (the paper's loss): 0 background, 1 cell, 2 edge, the edge being each cell's
//     1-px inner contour (shared/core withContourEdges), so touching cells are apart;
//   two classes (the baseline): 0 background, 1 cell, where the contour pixels a cell shares
//     with another cell are background (the separation gap the network must learn to leave),
//     weighted as in the U-Net paper: w(x) = w_c(x) + w0 * exp(-(d1(x) + d2(x))^2 / (2 sigma^2)),
//     w_c balancing the two classes, d1 / d2 the distances to the nearest and second-nearest
//     cell: the weight peaks in the thin gaps between touching cells.
import { LABEL, type LabelMap } from '../../../../shared/domain';
import { cellInstances, onContour } from '../../../../shared/core/cells';

export const BACKGROUND = 0;
export const CELL = 1;
export const EDGE = 2;

export interface BoundaryWeightOptions {
  /** Peak extra weight between touching cells (U-Net: 10). */
  w0?: number;
  /** Decay of that weight in pixels (U-Net: 5 for its larger cells; 3 here for cells of radius 4..9). */
  sigma?: number;
}

/** Cell ids of a mask (0 = none), as SEG counts them. */
export function maskCellIds(mask: Pick<LabelMap, 'width' | 'height' | 'labels' | 'instances'>): Int32Array {
  return cellInstances(mask).ids;
}

/** Three-class targets (0 background, 1 cell, 2 edge) from cell ids. */
export function threeClassTargets(ids: ArrayLike<number>, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (ids[i] !== 0) out[i] = onContour(ids, w, h, x, y) ? EDGE : CELL;
    }
  }
  return out;
}

/** Whether pixel (x, y) of a cell has a 4-neighbour in another cell. */
function touchesOtherCell(ids: ArrayLike<number>, w: number, h: number, x: number, y: number): boolean {
  const i = y * w + x;
  const id = ids[i];
  const other = (j: number): boolean => ids[j] !== 0 && ids[j] !== id;
  return (x > 0 && other(i - 1)) || (x < w - 1 && other(i + 1)) || (y > 0 && other(i - w)) || (y < h - 1 && other(i + w));
}

/** Two-class targets (0 background, 1 cell), the pixels where two cells touch left as background. */
export function twoClassTargets(ids: ArrayLike<number>, w: number, h: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (ids[i] !== 0 && !touchesOtherCell(ids, w, h, x, y)) out[i] = 1;
    }
  }
  return out;
}

/** Exact squared Euclidean distance transform (Felzenszwalb-Huttenlocher) to the pixels where `seed` is true. */
export function squaredDistance(seed: (i: number) => boolean, w: number, h: number): Float64Array {
  const INF = 1e20;
  const d = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) d[i] = seed(i) ? 0 : INF;
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const pass = (len: number): void => {
    let k = 0;
    v[0] = 0;
    z[0] = -INF;
    z[1] = INF;
    for (let q = 1; q < len; q++) {
      let s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
      while (s <= z[k]) {
        k--;
        s = (f[q] + q * q - (f[v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
      }
      k++;
      v[k] = q;
      z[k] = s;
      z[k + 1] = INF;
    }
    k = 0;
    for (let q = 0; q < len; q++) {
      while (z[k + 1] < q) k++;
      out[q] = (q - v[k]) * (q - v[k]) + f[v[k]];
    }
  };
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) f[y] = d[y * w + x];
    pass(h);
    for (let y = 0; y < h; y++) d[y * w + x] = out[y];
  }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) f[x] = d[y * w + x];
    pass(w);
    for (let x = 0; x < w; x++) d[y * w + x] = out[x];
  }
  return d;
}

/**
 * The U-Net weight map over two-class targets: class balance plus w0 * exp(-(d1 + d2)^2 /
 * (2 sigma^2)) with d1, d2 the distances to the nearest and second-nearest cell (pixels of a
 * cell are at distance 0 from it). With fewer than two cells only the class balance remains.
 */
export function boundaryWeights(ids: ArrayLike<number>, targets: Uint8Array, w: number, h: number, opts: BoundaryWeightOptions = {}): Float32Array {
  const w0 = opts.w0 ?? 10;
  const sigma = opts.sigma ?? 3;
  const n = w * h;
  let fg = 0;
  for (let i = 0; i < n; i++) fg += targets[i];
  // Class balance: each class gets half the total weight (1 each when balanced), capped so a
  // frame with one tiny cell does not explode.
  const wFg = fg > 0 ? Math.min(10, n / (2 * fg)) : 1;
  const wBg = fg < n ? Math.min(10, n / (2 * (n - fg))) : 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = targets[i] ? wFg : wBg;
  let maxId = 0;
  for (let i = 0; i < n; i++) if (ids[i] > maxId) maxId = ids[i];
  if (maxId < 2) return out;
  const d1 = new Float64Array(n).fill(Infinity);
  const d2 = new Float64Array(n).fill(Infinity);
  const present = new Set<number>();
  for (let i = 0; i < n; i++) if (ids[i] !== 0) present.add(ids[i]);
  if (present.size < 2) return out;
  for (const id of present) {
    const sq = squaredDistance((i) => ids[i] === id, w, h);
    for (let i = 0; i < n; i++) {
      const d = Math.sqrt(sq[i]);
      if (d < d1[i]) {
        d2[i] = d1[i];
        d1[i] = d;
      } else if (d < d2[i]) d2[i] = d;
    }
  }
  for (let i = 0; i < n; i++) out[i] += w0 * Math.exp(-((d1[i] + d2[i]) ** 2) / (2 * sigma * sigma));
  return out;
}

/** Cell ids of a label map whose cells are labelled without an instance map (a prediction). */
export function labelsOfClasses(classes: Uint8Array, task: 'multiclass-edge' | 'binary'): Uint8Array {
  const out = new Uint8Array(classes.length);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i];
    out[i] = c === 0 ? LABEL.background : task === 'binary' || c === CELL ? LABEL.cytoplasm : LABEL.edge;
  }
  return out;
}
