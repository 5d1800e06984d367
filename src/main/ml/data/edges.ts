// The edge class of seeds.md E: a 1-px contour of each cell, so a network can learn to
// separate touching cells. Masks rarely store edges, so training derives them on the fly
// from the cell instances (or, without an instance map, the connected cell components).
import { LABEL } from '../../../shared/domain';

const isCell = (v: number): boolean => v === LABEL.cytoplasm || v === LABEL.nucleus || v === LABEL.edge;

/**
 * Connected components (4-connected) of the pixels where `member(labels[i])` holds.
 * Returns ids 1..count (0 = not a member) and the count. Ids above 65535 wrap into the last id.
 */
export function connectedComponents(
  labels: Uint8Array,
  w: number,
  h: number,
  member: (v: number) => boolean = isCell,
): { ids: Uint16Array; count: number } {
  const ids = new Uint16Array(w * h);
  const stack = new Int32Array(w * h);
  let count = 0;
  for (let start = 0; start < w * h; start++) {
    if (ids[start] !== 0 || !member(labels[start])) continue;
    count = Math.min(count + 1, 65535);
    let top = 0;
    stack[top++] = start;
    ids[start] = count;
    const push = (q: number): void => {
      if (ids[q] === 0 && member(labels[q])) {
        ids[q] = count;
        stack[top++] = q;
      }
    };
    while (top > 0) {
      const p = stack[--top];
      const x = p % w;
      const y = (p - x) / w;
      if (x > 0) push(p - 1);
      if (x < w - 1) push(p + 1);
      if (y > 0) push(p - w);
      if (y < h - 1) push(p + w);
    }
  }
  return { ids, count };
}

/**
 * Labels with the edge class added: a cell pixel whose 4-neighbour (inside the image) is
 * background or belongs to another cell becomes an edge. Cells are the instances when
 * given (non-zero ids), else the connected components of cell pixels. Existing edge
 * pixels stay edges.
 */
export function withDerivedEdges(labels: Uint8Array, w: number, h: number, instances?: Uint16Array | null): Uint8Array {
  const ids = instances && instances.some((v) => v !== 0) ? instances : connectedComponents(labels, w, h).ids;
  const out = new Uint8Array(labels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const v = labels[p];
      if (!isCell(v) || v === LABEL.edge) continue;
      const id = ids[p];
      const differs = (q: number): boolean => !isCell(labels[q]) || ids[q] !== id;
      if ((x > 0 && differs(p - 1)) || (x < w - 1 && differs(p + 1)) || (y > 0 && differs(p - w)) || (y < h - 1 && differs(p + w))) {
        out[p] = LABEL.edge;
      }
    }
  }
  return out;
}

/**
 * Turn a predicted label map (possibly with edge pixels) into cells: the connected
 * components of cell pixels minus edges are the instances; every edge pixel joins the
 * nearest instance (breadth-first through edge pixels) and takes the class of the cell
 * pixel it was reached from. Edge pixels that reach no cell become background. With
 * `keepEdgeLabel` the edge value stays in the labels (the instances are still filled in).
 */
export function splitInstances(labels: Uint8Array, w: number, h: number, keepEdgeLabel = false): { labels: Uint8Array; instances: Uint16Array; count: number } {
  const core = (v: number): boolean => v === LABEL.cytoplasm || v === LABEL.nucleus;
  const { ids, count } = connectedComponents(labels, w, h, core);
  const out = new Uint8Array(labels);
  const queue = new Int32Array(w * h);
  let head = 0;
  let tail = 0;
  for (let p = 0; p < w * h; p++) if (ids[p] !== 0) queue[tail++] = p;
  while (head < tail) {
    const p = queue[head++];
    const x = p % w;
    const visit = (q: number): void => {
      if (ids[q] !== 0 || labels[q] !== LABEL.edge) return;
      ids[q] = ids[p];
      if (!keepEdgeLabel) out[q] = out[p];
      queue[tail++] = q;
    };
    if (x > 0) visit(p - 1);
    if (x < w - 1) visit(p + 1);
    if (p >= w) visit(p - w);
    if (p < w * (h - 1)) visit(p + w);
  }
  for (let p = 0; p < w * h; p++) if (labels[p] === LABEL.edge && ids[p] === 0) out[p] = LABEL.background;
  return { labels: out, instances: ids, count };
}
