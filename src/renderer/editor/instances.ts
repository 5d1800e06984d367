// Cell instances: one id per white blood cell so touching cells stay apart, and the edge
// class derived from them (edge = the 1-px contour of each instance). Which pixels make a
// cell is shared/core/cells, the definition SEG and the CNR report use too.
import { cellInstances, onContour } from '../../shared/core/cells';
import { fullRect, maxInstance, type MaskBuffer, type Rect } from './mask-buffer';
import { linePixels } from './raster';

function writeIds(buf: MaskBuffer, ids: Int32Array): void {
  for (let i = 0; i < ids.length; i++) buf.instances[i] = ids[i];
}

/**
 * Number the cells from the labels alone (shared/core/cells: 4-connected cytoplasm and
 * nucleus, edge pixels joining their nearest cell), ignoring the current instance map.
 * Returns the number of cells.
 */
export function instancesFromComponents(buf: MaskBuffer): number {
  const { ids, count } = cellInstances({ width: buf.width, height: buf.height, labels: buf.labels });
  writeIds(buf, ids);
  return count;
}

/**
 * Take a loaded mask's instance map (when it has one of the right size) and complete it the
 * way shared/core/cells reads it: cell pixels it leaves at 0 get cells of their own, ids on
 * background are dropped. Returns true when every cell came from the labels (no map).
 */
export function loadInstances(buf: MaskBuffer, instances: Uint16Array | undefined): boolean {
  const usable = instances && instances.length === buf.labels.length && instances.some((v) => v !== 0) ? instances : undefined;
  const { ids } = cellInstances({ width: buf.width, height: buf.height, labels: buf.labels, instances: usable }, { keepIds: true });
  writeIds(buf, ids);
  return !usable;
}

/**
 * Re-derive the edge class from the instance map: a pixel of instance i > 0 with a
 * 4-neighbour of another instance (or background) becomes edge; an edge pixel that is no
 * longer on a contour goes back to cytoplasm (inside a cell) or background. The image
 * border is not a contour: a cell cut by the border keeps its cytoplasm there.
 * Returns the changed rectangle or null.
 */
export function deriveEdges(buf: MaskBuffer, within: Rect = fullRect(buf)): Rect | null {
  const { width: w, height: h, labels, instances } = buf;
  const x0 = Math.max(0, within.x0);
  const y0 = Math.max(0, within.y0);
  const x1 = Math.min(w, within.x1);
  const y1 = Math.min(h, within.y1);
  let cx0 = Infinity;
  let cy0 = Infinity;
  let cx1 = -Infinity;
  let cy1 = -Infinity;
  // Decide from the instance map only, so the result does not depend on scan order.
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      const id = instances[i];
      let next: number;
      if (id === 0) {
        next = labels[i] === 3 ? 0 : labels[i];
      } else {
        next = onContour(instances, w, h, x, y) ? 3 : labels[i] === 3 ? 1 : labels[i];
      }
      if (next !== labels[i]) {
        labels[i] = next;
        if (x < cx0) cx0 = x;
        if (x > cx1) cx1 = x;
        if (y < cy0) cy0 = y;
        if (y > cy1) cy1 = y;
      }
    }
  }
  return cx1 >= cx0 ? { x0: cx0, y0: cy0, x1: cx1 + 1, y1: cy1 + 1 } : null;
}

/** Most frequent non-zero instance among the given pixels and their 4-neighbours (0 if none). */
export function dominantInstance(buf: MaskBuffer, indices: ArrayLike<number>, withNeighbours = true): number {
  const { width: w, height: h, instances } = buf;
  const counts = new Map<number, number>();
  const add = (j: number): void => {
    const id = instances[j];
    if (id) counts.set(id, (counts.get(id) ?? 0) + 1);
  };
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    add(i);
    if (withNeighbours) {
      const x = i % w;
      if (x > 0) add(i - 1);
      if (x < w - 1) add(i + 1);
      if (i >= w) add(i - w);
      if (i < w * (h - 1)) add(i + w);
    }
  }
  let best = 0;
  let bestCount = 0;
  for (const [id, c] of counts) {
    if (c > bestCount || (c === bestCount && id < best)) {
      best = id;
      bestCount = c;
    }
  }
  return best;
}

function rectOfInstance(buf: MaskBuffer, ids: Set<number>): Rect | null {
  const { width: w, instances } = buf;
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < instances.length; i++) {
    if (!ids.has(instances[i])) continue;
    const x = i % w;
    const y = (i - x) / w;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return x1 >= x0 ? { x0, y0, x1: x1 + 1, y1: y1 + 1 } : null;
}

/** Move every pixel of instance `from` into instance `into`. */
export function mergeInstances(buf: MaskBuffer, into: number, from: number): Rect | null {
  if (!into || !from || into === from) return null;
  const rect = rectOfInstance(buf, new Set([from]));
  const inst = buf.instances;
  for (let i = 0; i < inst.length; i++) if (inst[i] === from) inst[i] = into;
  return rect;
}

/** Erase one instance: its pixels become background. */
export function deleteInstance(buf: MaskBuffer, id: number): Rect | null {
  if (!id) return null;
  const rect = rectOfInstance(buf, new Set([id]));
  for (let i = 0; i < buf.instances.length; i++) {
    if (buf.instances[i] === id) {
      buf.instances[i] = 0;
      buf.labels[i] = 0;
    }
  }
  return rect;
}

export interface SplitResult {
  /** The instance that was cut. */
  id: number;
  /** Ids of the pieces (the largest piece keeps `id`). */
  pieces: number[];
  rect: Rect;
}

/**
 * Cut an instance along the line a-b (a polyline of points [x0,y0,x1,y1,...]). The cut
 * pixels act as a barrier; the 4-connected pieces on either side become separate
 * instances (the largest keeps the old id) and each cut pixel joins a neighbouring piece.
 * Returns null when the line does not separate the instance.
 */
export function splitInstance(buf: MaskBuffer, polyline: readonly number[], target?: number): SplitResult | null {
  const { width: w, height: h, instances } = buf;
  const cut: number[] = [];
  for (let k = 0; k + 3 < polyline.length; k += 2) {
    for (const [x, y] of linePixels(polyline[k], polyline[k + 1], polyline[k + 2], polyline[k + 3])) {
      if (x >= 0 && y >= 0 && x < w && y < h) cut.push(y * w + x);
    }
  }
  const id = target || dominantInstance(buf, cut, false);
  if (!id) return null;
  const barrier = new Uint8Array(w * h);
  for (const i of cut) if (instances[i] === id) barrier[i] = 1;
  // Label the pieces of `id` without the barrier.
  const piece = new Int32Array(w * h);
  const sizes: number[] = [0];
  const stack = new Int32Array(w * h);
  for (let s = 0; s < instances.length; s++) {
    if (instances[s] !== id || barrier[s] || piece[s]) continue;
    const p = sizes.length;
    sizes.push(0);
    let top = 0;
    stack[top++] = s;
    piece[s] = p;
    while (top > 0) {
      const i = stack[--top];
      sizes[p]++;
      const x = i % w;
      const push = (j: number): void => {
        if (!piece[j] && !barrier[j] && instances[j] === id) {
          piece[j] = p;
          stack[top++] = j;
        }
      };
      if (x > 0) push(i - 1);
      if (x < w - 1) push(i + 1);
      if (i >= w) push(i - w);
      if (i < w * (h - 1)) push(i + w);
    }
  }
  if (sizes.length <= 2) return null;
  // Barrier pixels join the first neighbouring piece, spreading along the cut.
  let pending = true;
  while (pending) {
    pending = false;
    let progressed = false;
    for (const i of cut) {
      if (!barrier[i] || piece[i]) continue;
      const x = i % w;
      const p = (x > 0 && piece[i - 1]) || (x < w - 1 && piece[i + 1]) || (i >= w && piece[i - w]) || (i < w * (h - 1) && piece[i + w]) || 0;
      if (p) {
        piece[i] = p;
        progressed = true;
      } else pending = true;
    }
    if (!progressed) break;
  }
  let largest = 1;
  for (let p = 2; p < sizes.length; p++) if (sizes[p] > sizes[largest]) largest = p;
  let next = maxInstance(buf);
  const ids = new Map<number, number>();
  for (let p = 1; p < sizes.length; p++) ids.set(p, p === largest ? id : ++next);
  for (let i = 0; i < instances.length; i++) if (piece[i]) instances[i] = ids.get(piece[i]) ?? id;
  const rect = rectOfInstance(buf, new Set(ids.values()));
  return rect ? { id, pieces: [...ids.values()], rect } : null;
}

/** Ids present in the instance map with their pixel counts. */
export function instanceSizes(buf: MaskBuffer): Map<number, number> {
  const m = new Map<number, number>();
  for (const id of buf.instances) if (id) m.set(id, (m.get(id) ?? 0) + 1);
  return m;
}
