// The one definition of a cell and its instances. SEG, the CNR report, the editor, training
// targets and prediction post-processing all count cells with `cellInstances`, so they
// count the same cells on the same mask. Pure TypeScript: main, worker and renderer use it.
//
// The rule (README "Definitions"):
// - A cell's inside is its cytoplasm and nucleus pixels, joined 4-connected. Two cells that
//   touch only at a corner (diagonally) are two cells, and an edge line drawn with diagonal
//   steps (8-connected) still keeps the cells on either side apart: a 4-connected inside
//   and 8-connected separators are the pairing that never leaks through a corner.
// - Edge pixels (the 1-px inner contour) belong to the nearest cell inside, reached through
//   4-connected edge pixels (ties go to the cell met first in raster order). Edge pixels
//   that reach no cytoplasm or nucleus belong to no cell: a cell has an inside.
// - A mask with an instance map keeps its ids; cell pixels the map leaves at 0 get cells by
//   the rule above. Instance ids on background pixels are ignored.
import { LABEL, type LabelMap } from '../domain';

export type Connectivity = 4 | 8;

export interface Components {
  /** Component id per pixel, 1..count in raster order of first pixel; 0 = not in the set. */
  ids: Int32Array;
  count: number;
  /** sizes[id] = pixel count (sizes[0] = 0). */
  sizes: number[];
}

/**
 * Connected components of the pixels where `inSet(i)` holds. Generic (the active-contour
 * baseline labels stain regions with it, 8-connected); cells are `cellInstances`.
 */
export function connectedComponents(
  width: number,
  height: number,
  inSet: (i: number) => boolean,
  connectivity: Connectivity = 4,
): Components {
  const n = width * height;
  const ids = new Int32Array(n);
  const sizes = [0];
  const stack = new Int32Array(n);
  // Membership once per pixel (-1 = member not yet labelled), so the flood needs no calls.
  for (let i = 0; i < n; i++) if (inSet(i)) ids[i] = -1;
  const eight = connectivity === 8;
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (ids[s] !== -1) continue;
    const id = ++count;
    let size = 0;
    let top = 0;
    stack[top++] = s;
    ids[s] = id;
    while (top > 0) {
      const i = stack[--top];
      size++;
      const x = i % width;
      const left = x > 0, right = x < width - 1, up = i >= width, down = i < n - width;
      if (left && ids[i - 1] === -1) { ids[i - 1] = id; stack[top++] = i - 1; }
      if (right && ids[i + 1] === -1) { ids[i + 1] = id; stack[top++] = i + 1; }
      if (up && ids[i - width] === -1) { ids[i - width] = id; stack[top++] = i - width; }
      if (down && ids[i + width] === -1) { ids[i + width] = id; stack[top++] = i + width; }
      if (eight) {
        let j = i - width - 1;
        if (up && left && ids[j] === -1) { ids[j] = id; stack[top++] = j; }
        j = i - width + 1;
        if (up && right && ids[j] === -1) { ids[j] = id; stack[top++] = j; }
        j = i + width - 1;
        if (down && left && ids[j] === -1) { ids[j] = id; stack[top++] = j; }
        j = i + width + 1;
        if (down && right && ids[j] === -1) { ids[j] = id; stack[top++] = j; }
      }
    }
    sizes.push(size);
  }
  return { ids, count, sizes };
}

export interface CellInstances {
  /** Cell id per pixel; 0 = no cell (background, or edge pixels reaching no cell inside). */
  ids: Int32Array;
  /** Number of cells. */
  count: number;
  /**
   * Ids up to this value came from the mask's instance map (only with `keepIds`; 0 when
   * every cell was derived from the labels).
   */
  largestMapId: number;
}

export interface CellInstanceOptions {
  /**
   * Keep the instance map's ids (cells it does not cover are numbered after its largest id).
   * Without it ids are 1..count in raster order of each cell's first pixel.
   */
  keepIds?: boolean;
}

/** The cells of a mask (see the rule at the top of this file). */
export function cellInstances(mask: Pick<LabelMap, 'width' | 'height' | 'labels' | 'instances'>, opts: CellInstanceOptions = {}): CellInstances {
  const { width: w, height: h, labels, instances } = mask;
  const n = w * h;
  if (labels.length !== n) throw new Error(`label map ${w}x${h} has ${labels.length} labels, expected ${n}`);
  if (instances && instances.length !== n) throw new Error(`instance map has ${instances.length} ids, expected ${n}`);
  const ids = new Int32Array(n);
  const queue = new Int32Array(n);
  // Label values are inlined below (cytoplasm 1, nucleus 2, edge 3): this is the hot loop of SEG.
  let next = 0;
  if (instances) {
    for (let i = 0; i < n; i++) {
      const v = instances[i];
      if (v !== 0 && labels[i] !== LABEL.background && labels[i] <= LABEL.edge) {
        ids[i] = v;
        if (v > next) next = v;
      }
    }
  }
  const largestMapId = next;
  // 1. Insides: 4-connected cytoplasm/nucleus pixels the instance map leaves unassigned.
  for (let s = 0; s < n; s++) {
    const ls = labels[s];
    if (ids[s] !== 0 || ls < 1 || ls > 2) continue;
    const id = ++next;
    ids[s] = id;
    let head = 0, tail = 0;
    queue[tail++] = s;
    while (head < tail) {
      const i = queue[head++];
      const x = i % w;
      let j = i - 1;
      if (x > 0 && ids[j] === 0 && labels[j] >= 1 && labels[j] <= 2) { ids[j] = id; queue[tail++] = j; }
      j = i + 1;
      if (x < w - 1 && ids[j] === 0 && labels[j] >= 1 && labels[j] <= 2) { ids[j] = id; queue[tail++] = j; }
      j = i - w;
      if (j >= 0 && ids[j] === 0 && labels[j] >= 1 && labels[j] <= 2) { ids[j] = id; queue[tail++] = j; }
      j = i + w;
      if (j < n && ids[j] === 0 && labels[j] >= 1 && labels[j] <= 2) { ids[j] = id; queue[tail++] = j; }
    }
  }
  // 2. Edge pixels: breadth-first from every assigned pixel (raster order) through
  //    unassigned 4-connected edge pixels, so each joins its nearest cell.
  let tail = 0;
  for (let i = 0; i < n; i++) if (ids[i] !== 0) queue[tail++] = i;
  for (let head = 0; head < tail; head++) {
    const i = queue[head];
    const id = ids[i];
    const x = i % w;
    let j = i - 1;
    if (x > 0 && ids[j] === 0 && labels[j] === 3) { ids[j] = id; queue[tail++] = j; }
    j = i + 1;
    if (x < w - 1 && ids[j] === 0 && labels[j] === 3) { ids[j] = id; queue[tail++] = j; }
    j = i - w;
    if (j >= 0 && ids[j] === 0 && labels[j] === 3) { ids[j] = id; queue[tail++] = j; }
    j = i + w;
    if (j < n && ids[j] === 0 && labels[j] === 3) { ids[j] = id; queue[tail++] = j; }
  }
  // 3. A cell has an inside: ids carried only by edge pixels are dropped. Renumber unless
  //    the map's ids are kept.
  const hasInside = new Uint8Array(next + 1);
  for (let i = 0; i < n; i++) if (labels[i] === 1 || labels[i] === 2) hasInside[ids[i]] = 1;
  let count = 0;
  if (opts.keepIds) {
    for (let id = 1; id <= next; id++) count += hasInside[id];
    for (let i = 0; i < n; i++) if (ids[i] !== 0 && !hasInside[ids[i]]) ids[i] = 0;
    return { ids, count, largestMapId };
  }
  const remap = new Int32Array(next + 1);
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id === 0) continue;
    if (!hasInside[id]) {
      ids[i] = 0;
      continue;
    }
    if (remap[id] === 0) remap[id] = ++count;
    ids[i] = remap[id];
  }
  return { ids, count, largestMapId: 0 };
}

/**
 * The edge class: a pixel of cell `ids[i]` (non-zero) is on its cell's contour when a
 * 4-neighbour inside the image belongs to another cell or to none. The image border is not
 * a contour, so a cell cut by the border keeps its inside there.
 */
export function onContour(ids: ArrayLike<number>, w: number, h: number, x: number, y: number): boolean {
  const i = y * w + x;
  const id = ids[i];
  return (x > 0 && ids[i - 1] !== id) || (x < w - 1 && ids[i + 1] !== id) || (y > 0 && ids[i - w] !== id) || (y < h - 1 && ids[i + w] !== id);
}

/**
 * Labels with the edge class drawn from cell ids: every contour pixel of a cell (id > 0)
 * becomes edge; other pixels keep their label. Decided from the ids only, so the result
 * does not depend on scan order.
 */
export function withContourEdges(labels: Uint8Array, ids: ArrayLike<number>, w: number, h: number): Uint8Array {
  const out = new Uint8Array(labels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (ids[i] !== 0 && labels[i] !== LABEL.background && onContour(ids, w, h, x, y)) out[i] = LABEL.edge;
    }
  }
  return out;
}
