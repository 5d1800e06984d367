// The edge class for training and prediction, on top of the one definition of a cell
// (shared/core/cells): a network learns the 1-px contour of each cell so it can separate
// touching cells. Masks rarely store edges, so training derives them from the cells.
import { LABEL } from '../../../shared/domain';
import { cellInstances, connectedComponents as components, withContourEdges } from '../../../shared/core/cells';
import { flattenEdges } from '../../../shared/core/labels';

/**
 * Connected components (4-connected) of the pixels whose label satisfies `member`, as
 * Uint16 ids 1..count (0 = not a member); ids above 65535 wrap into the last id. For cells
 * use `cellIds`.
 */
export function connectedComponents(labels: Uint8Array, w: number, h: number, member: (v: number) => boolean): { ids: Uint16Array; count: number } {
  const c = components(w, h, (i) => member(labels[i]));
  return { ids: Uint16Array.from(c.ids, (v) => Math.min(v, 65535)), count: Math.min(c.count, 65535) };
}

/** The cells of a label map (shared/core/cells) as a Uint16 instance map; the mask's own instances are kept. */
export function cellIds(labels: Uint8Array, w: number, h: number, instances?: Uint16Array | null): Uint16Array {
  const { ids } = cellInstances({ width: w, height: h, labels, instances: instances ?? undefined }, { keepIds: true });
  return Uint16Array.from(ids, (v) => Math.min(v, 65535));
}

/**
 * Labels with the edge class added: the contour pixels of every cell (shared/core/cells:
 * the instances when given, else the cells of the labels) become edges. Existing edge
 * pixels stay edges.
 */
export function withDerivedEdges(labels: Uint8Array, w: number, h: number, instances?: Uint16Array | null): Uint8Array {
  return withContourEdges(labels, cellIds(labels, w, h, instances), w, h);
}

/**
 * Turn a predicted label map (possibly with edge pixels) into cells: the cells of
 * shared/core/cells, where edge pixels join the nearest cell inside. Edge pixels take their
 * cell's class (the majority of their cytoplasm/nucleus neighbours, as every convention
 * without an edge class does); edge pixels that reach no cell are stray and become
 * background. With `keepEdgeLabel` the edge value stays in the labels.
 */
export function splitInstances(labels: Uint8Array, w: number, h: number, keepEdgeLabel = false): { labels: Uint8Array; instances: Uint16Array; count: number } {
  const { ids, count } = cellInstances({ width: w, height: h, labels });
  const out = keepEdgeLabel ? new Uint8Array(labels) : flattenEdges({ width: w, height: h, labels });
  for (let p = 0; p < w * h; p++) if (labels[p] === LABEL.edge && ids[p] === 0) out[p] = LABEL.background;
  return { labels: out, instances: Uint16Array.from(ids, (v) => Math.min(v, 65535)), count };
}
