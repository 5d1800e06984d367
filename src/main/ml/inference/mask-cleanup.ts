// Post-processing of a predicted label map, each step an option (SegmentOptions) whose
// effect is measured in the README: background holes inside a cell filled, stray nucleus
// specks turned into cytoplasm (or dropped when they are all there is), small fragments
// dropped, only the central cell kept. Works on labels 0/1/2 (3 = edge counts as cell) and
// the instance map; removed cells leave their instance ids unused.
import { LABEL, type LabelMap } from '../../../shared/domain';
import { cellIds, connectedComponents } from '../data/edges';

export interface CleanupOptions {
  fillHoles?: boolean;
  nucleusInCell?: boolean;
  /** Fraction of the image area; cells below it are dropped. */
  minCellArea?: number;
  centralCell?: boolean;
}

const isCell = (v: number): boolean => v !== LABEL.background;

function instancesOf(m: LabelMap): Uint16Array {
  return m.instances && m.instances.some((v) => v !== 0) ? new Uint16Array(m.instances) : cellIds(m.labels, m.width, m.height);
}

/** Background regions that do not touch the image border take the class and cell of the pixels around them. */
export function fillHoles(labels: Uint8Array, ids: Uint16Array, w: number, h: number): void {
  const bg = connectedComponents(labels, w, h, (v) => v === LABEL.background);
  const touches = new Uint8Array(bg.count + 1);
  for (let x = 0; x < w; x++) {
    touches[bg.ids[x]] = 1;
    touches[bg.ids[(h - 1) * w + x]] = 1;
  }
  for (let y = 0; y < h; y++) {
    touches[bg.ids[y * w]] = 1;
    touches[bg.ids[y * w + w - 1]] = 1;
  }
  // Votes of the cell pixels bordering each enclosed region: instance and class.
  const inst = new Map<number, Map<number, number>>();
  const cls = new Map<number, [number, number]>();
  for (let p = 0; p < w * h; p++) {
    const r = bg.ids[p];
    if (r === 0 || touches[r]) continue;
    const x = p % w;
    for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, p - w, p + w]) {
      if (q < 0 || q >= w * h || !isCell(labels[q])) continue;
      const mi = inst.get(r) ?? new Map<number, number>();
      mi.set(ids[q], (mi.get(ids[q]) ?? 0) + 1);
      inst.set(r, mi);
      const c = cls.get(r) ?? [0, 0];
      c[labels[q] === LABEL.nucleus ? 1 : 0]++;
      cls.set(r, c);
    }
  }
  const fill = new Map<number, { label: number; id: number }>();
  for (const [r, mi] of inst) {
    const id = [...mi.entries()].sort((a, b) => b[1] - a[1])[0][0];
    const c = cls.get(r) ?? [1, 0];
    fill.set(r, { label: c[1] > c[0] ? LABEL.nucleus : LABEL.cytoplasm, id });
  }
  for (let p = 0; p < w * h; p++) {
    const f = fill.get(bg.ids[p]);
    if (f && bg.ids[p] !== 0) {
      labels[p] = f.label;
      ids[p] = f.id;
    }
  }
}

/**
 * Within each cell, nucleus pieces under 15 % of its largest nucleus piece become cytoplasm
 * (granules, not lobes); a cell of nucleus only, under a quarter of the largest cell, is
 * dropped (a platelet or a dark speck rather than a white cell).
 */
export function nucleusInCell(labels: Uint8Array, ids: Uint16Array, w: number, h: number): void {
  const nuc = connectedComponents(labels, w, h, (v) => v === LABEL.nucleus);
  const pieceArea = new Map<number, number>();
  const pieceCell = new Map<number, number>();
  const cellArea = new Map<number, number>();
  const cellCyto = new Map<number, number>();
  for (let p = 0; p < w * h; p++) {
    if (!isCell(labels[p])) continue;
    cellArea.set(ids[p], (cellArea.get(ids[p]) ?? 0) + 1);
    if (labels[p] === LABEL.cytoplasm) cellCyto.set(ids[p], (cellCyto.get(ids[p]) ?? 0) + 1);
    const n = nuc.ids[p];
    if (n) {
      pieceArea.set(n, (pieceArea.get(n) ?? 0) + 1);
      pieceCell.set(n, ids[p]);
    }
  }
  const largestPiece = new Map<number, number>();
  for (const [n, a] of pieceArea) {
    const c = pieceCell.get(n) ?? 0;
    largestPiece.set(c, Math.max(largestPiece.get(c) ?? 0, a));
  }
  const largestCell = Math.max(0, ...cellArea.values());
  const dropCell = new Set<number>();
  for (const [c, a] of cellArea) if (!cellCyto.get(c) && a < 0.25 * largestCell) dropCell.add(c);
  for (let p = 0; p < w * h; p++) {
    if (!isCell(labels[p])) continue;
    if (dropCell.has(ids[p])) {
      labels[p] = LABEL.background;
      ids[p] = 0;
      continue;
    }
    const n = nuc.ids[p];
    if (n && (pieceArea.get(n) ?? 0) < 0.15 * (largestPiece.get(ids[p]) ?? 0)) labels[p] = LABEL.cytoplasm;
  }
}

function removeCells(labels: Uint8Array, ids: Uint16Array, keep: (id: number) => boolean): void {
  for (let p = 0; p < labels.length; p++) {
    if (isCell(labels[p]) && !keep(ids[p])) {
      labels[p] = LABEL.background;
      ids[p] = 0;
    }
  }
}

/** The cell covering the image centre, else the one with a pixel nearest to it; null without cells. */
export function centralInstance(labels: Uint8Array, ids: Uint16Array, w: number, h: number): number | null {
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  let best: number | null = null;
  let bestD = Infinity;
  for (let p = 0; p < w * h; p++) {
    if (!isCell(labels[p])) continue;
    const d = (p % w - cx) ** 2 + (Math.floor(p / w) - cy) ** 2;
    if (d < bestD) {
      bestD = d;
      best = ids[p];
    }
  }
  return best;
}

/** Apply the chosen steps in a fixed order: holes, nucleus, small cells, central cell. */
export function cleanupMask(m: LabelMap, opts: CleanupOptions): LabelMap {
  if (!opts.fillHoles && !opts.nucleusInCell && !(opts.minCellArea && opts.minCellArea > 0) && !opts.centralCell) return m;
  const { width: w, height: h } = m;
  const labels = new Uint8Array(m.labels);
  const ids = instancesOf(m);
  if (opts.fillHoles) fillHoles(labels, ids, w, h);
  if (opts.nucleusInCell) nucleusInCell(labels, ids, w, h);
  if (opts.minCellArea && opts.minCellArea > 0) {
    const area = new Map<number, number>();
    for (let p = 0; p < w * h; p++) if (isCell(labels[p])) area.set(ids[p], (area.get(ids[p]) ?? 0) + 1);
    const min = opts.minCellArea * w * h;
    removeCells(labels, ids, (id) => (area.get(id) ?? 0) >= min);
  }
  if (opts.centralCell) {
    const c = centralInstance(labels, ids, w, h);
    removeCells(labels, ids, (id) => id === c);
  }
  return { width: w, height: h, labels, instances: ids };
}
