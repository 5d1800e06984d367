// Finds the white blood cells of one label map and measures them (areas, CNR, N:C, lobes,
// outline). Rules, chosen so the numbers equal plain pixel counts of the mask:
// - Cell pixels are cytoplasm (1) and nucleus (2). Edge pixels (3) are never counted into any
//   area; they separate touching cells and are reported separately.
// - Cells: the one definition of shared/core/cells (the instance map when present, else
//   4-connected cytoplasm/nucleus, so diagonal contact and 1-px edge lines always split), the
//   same cells SEG and the editor count.
// - Components smaller than `minCellPx` are fragments (specks). A fragment at most `mergeGapPx`
//   background pixels from a cell joins that cell (it is most likely a detached piece of it);
//   a farther one is listed with the 'fragment' flag and never becomes the centred cell.
// - The centred cell is the non-fragment cell whose centroid is nearest the image centre.
// - CNR and N:C are withheld (null) whenever a cell carries a flag.
import { LABEL, type LabelMap } from '../../shared/domain';
import { cellInstances } from '../../shared/core/cells';
import { labelComponents, nearestOwner, outerPerimeter } from './components';
import type { AnalysisOptions, BBox, CellFlag, CellMeasurement, ImageAnalysis, ImageFlag } from './types';

export const DEFAULT_SMUDGE_CYTOPLASM_FRACTION = 0.05;
export const DEFAULT_MIN_LOBE_FRACTION = 0.05;

/** Minimum cell size: 0.2% of the image (29 px at 120x120, 461 px at 480x480), at least 16. */
export function defaultMinCellPx(width: number, height: number): number {
  return Math.max(16, Math.round(0.002 * width * height));
}

/** Merge distance: 2% of the shorter side (2 px at 120, 10 px at 480), at least 1. */
export function defaultMergeGapPx(width: number, height: number): number {
  return Math.max(1, Math.round(0.02 * Math.min(width, height)));
}

export function analyzeCells(mask: LabelMap, opts: AnalysisOptions): CellMeasurement[] {
  return analyzeImage(mask, opts).cells;
}

interface Acc {
  id: number;
  fromInstance: boolean;
  nucleus: number;
  cytoplasm: number;
  sumX: number;
  sumY: number;
  bbox: BBox;
  touchesBorder: boolean;
  edge: number;
  perimeter: number;
  lobeSizes: number[];
  fragment: boolean;
  fragmentsMerged: number;
}

export function analyzeImage(mask: LabelMap, opts: AnalysisOptions): ImageAnalysis {
  const { width, height, labels, instances } = mask;
  const n = width * height;
  if (!(width > 0 && height > 0) || labels.length !== n) {
    throw new Error(`label map ${width}x${height} has ${labels.length} labels, expected ${n}`);
  }
  if (instances && instances.length !== n) {
    throw new Error(`instance map has ${instances.length} ids, expected ${n}`);
  }
  if (!(opts.pixelsPerMicrometre > 0)) throw new Error(`calibration must be > 0 px/um, got ${opts.pixelsPerMicrometre}`);
  const smudgeFraction = opts.smudgeCytoplasmFraction ?? DEFAULT_SMUDGE_CYTOPLASM_FRACTION;
  const minCellPx = opts.minCellPx ?? defaultMinCellPx(width, height);
  const mergeGapPx = opts.mergeGapPx ?? defaultMergeGapPx(width, height);
  const minLobeFraction = opts.minLobeFraction ?? DEFAULT_MIN_LOBE_FRACTION;
  const umPerPx2 = 1 / (opts.pixelsPerMicrometre * opts.pixelsPerMicrometre);

  const isCell = (i: number): boolean => labels[i] === LABEL.cytoplasm || labels[i] === LABEL.nucleus;
  const isEdge = (i: number): boolean => labels[i] === LABEL.edge;

  // 1. Candidate groups: the cells (instance ids kept, derived cells numbered after the
  //    largest of them so keys never collide); only their cytoplasm and nucleus pixels count.
  const found = cellInstances(mask, { keepIds: true });
  const maxInstance = found.largestMapId;
  const group = new Int32Array(n);
  const fromInstance = new Set<number>();
  for (let i = 0; i < n; i++) {
    const g = found.ids[i];
    if (g === 0 || !isCell(i)) continue;
    group[i] = g;
    if (g <= maxInstance) fromInstance.add(g);
  }

  // 2. Fragments: small component groups join the nearest cell within the merge gap.
  const size = new Map<number, number>();
  for (let i = 0; i < n; i++) if (group[i] !== 0) size.set(group[i], (size.get(group[i]) ?? 0) + 1);
  const isFragment = (g: number): boolean => (size.get(g) ?? 0) < minCellPx;
  const mergedInto = new Map<number, number>();
  const fragmentGroups = [...size.keys()].filter((g) => isFragment(g) && !fromInstance.has(g));
  if (fragmentGroups.length > 0 && [...size.keys()].some((g) => !isFragment(g))) {
    const seeds = new Int32Array(n);
    for (let i = 0; i < n; i++) if (group[i] !== 0 && !isFragment(group[i])) seeds[i] = group[i];
    const { owner, distance } = nearestOwner(width, height, seeds, mergeGapPx + 1);
    const best = new Map<number, { d: number; owner: number }>();
    for (let i = 0; i < n; i++) {
      const g = group[i];
      if (g === 0 || !isFragment(g) || fromInstance.has(g) || distance[i] < 0) continue;
      const cur = best.get(g);
      if (!cur || distance[i] < cur.d) best.set(g, { d: distance[i], owner: owner[i] });
    }
    for (const [g, b] of best) if (b.d - 1 <= mergeGapPx) mergedInto.set(g, b.owner);
    if (mergedInto.size > 0) for (let i = 0; i < n; i++) if (mergedInto.has(group[i])) group[i] = mergedInto.get(group[i]) ?? 0;
  }

  // 3. Final ids in raster order of first pixel; accumulate per-cell sums.
  const idOfGroup = new Map<number, number>();
  const cellIds = new Int32Array(n);
  const accs: Acc[] = [];
  const byId = new Map<number, Acc>();
  let nextId = maxInstance;
  for (let i = 0; i < n; i++) {
    const g = group[i];
    if (g === 0) continue;
    let id = idOfGroup.get(g);
    if (id === undefined) {
      id = fromInstance.has(g) ? g : ++nextId;
      idOfGroup.set(g, id);
      const acc: Acc = {
        id,
        fromInstance: fromInstance.has(g),
        nucleus: 0,
        cytoplasm: 0,
        sumX: 0,
        sumY: 0,
        bbox: { x0: width, y0: height, x1: -1, y1: -1 },
        touchesBorder: false,
        edge: 0,
        perimeter: 0,
        lobeSizes: [],
        fragment: isFragment(g),
        fragmentsMerged: 0,
      };
      accs.push(acc);
      byId.set(id, acc);
    }
    cellIds[i] = id;
    const acc = byId.get(id) as Acc;
    const x = i % width;
    const y = (i - x) / width;
    if (labels[i] === LABEL.nucleus) acc.nucleus++;
    else acc.cytoplasm++;
    acc.sumX += x;
    acc.sumY += y;
    if (x < acc.bbox.x0) acc.bbox.x0 = x;
    if (x > acc.bbox.x1) acc.bbox.x1 = x;
    if (y < acc.bbox.y0) acc.bbox.y0 = y;
    if (y > acc.bbox.y1) acc.bbox.y1 = y;
    if (x === 0 || y === 0 || x === width - 1 || y === height - 1) acc.touchesBorder = true;
  }
  for (const target of mergedInto.values()) {
    const acc = byId.get(idOfGroup.get(target) ?? -1);
    if (acc) acc.fragmentsMerged++;
  }

  // 4. Edge pixels next to each cell (an edge pixel between two cells counts for both).
  let edgePx = 0;
  for (let i = 0; i < n; i++) {
    if (!isEdge(i)) continue;
    edgePx++;
    const x = i % width;
    const y = (i - x) / width;
    const seen: number[] = [];
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const nx = x + dx;
        const ny = y + dy;
        if ((dx === 0 && dy === 0) || nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const c = cellIds[ny * width + nx];
        if (c !== 0 && !seen.includes(c)) seen.push(c);
      }
    }
    for (const c of seen) (byId.get(c) as Acc).edge++;
  }

  // 5. Nucleus lobes (8-connected nucleus parts within one cell) and outline of each cell part.
  const lobes = labelComponents(width, height, (i) => labels[i] === LABEL.nucleus && cellIds[i] !== 0, {
    blocksDiagonal: isEdge,
    partition: cellIds,
  });
  for (let k = 1; k <= lobes.count; k++) (byId.get(cellIds[lobes.firsts[k]]) as Acc).lobeSizes.push(lobes.sizes[k]);
  const parts = labelComponents(width, height, (i) => cellIds[i] !== 0, { blocksDiagonal: isEdge, partition: cellIds });
  for (let k = 1; k <= parts.count; k++) {
    const first = parts.firsts[k];
    (byId.get(cellIds[first]) as Acc).perimeter += outerPerimeter(width, height, (i) => parts.ids[i] === k, first);
  }

  // 6. Measurements, centred cell, flags.
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const um = 1 / opts.pixelsPerMicrometre;
  const cells: CellMeasurement[] = accs.map((a) => {
    const cellPx = a.nucleus + a.cytoplasm;
    const centroid = { x: a.sumX / cellPx, y: a.sumY / cellPx };
    const minLobe = minLobeFraction * a.nucleus;
    return {
      id: a.id,
      nucleusPx: a.nucleus,
      cytoplasmPx: a.cytoplasm,
      cellPx,
      edgePx: a.edge,
      nucleusUm2: a.nucleus * umPerPx2,
      cytoplasmUm2: a.cytoplasm * umPerPx2,
      cellUm2: cellPx * umPerPx2,
      cnr: null,
      ncRatio: null,
      lobes: a.lobeSizes.filter((s) => s >= minLobe).length,
      perimeterPx: a.perimeter,
      perimeterUm: a.perimeter * um,
      circularity: Math.min(1, (4 * Math.PI * cellPx) / (a.perimeter * a.perimeter)),
      centroid,
      centreDistance: Math.hypot(centroid.x - cx, centroid.y - cy),
      bbox: a.bbox,
      touchesBorder: a.touchesBorder,
      centred: false,
      fragmentsMerged: a.fragmentsMerged,
      flags: cellFlags(a, cellPx, { minCellPx, mergeGapPx, smudgeFraction }),
    };
  });
  let centred: CellMeasurement | null = null;
  for (const c of cells) {
    if (c.flags.some((f) => f.code === 'fragment')) continue;
    if (
      !centred ||
      c.centreDistance < centred.centreDistance ||
      (c.centreDistance === centred.centreDistance && c.cellPx > centred.cellPx)
    ) {
      centred = c;
    }
  }
  if (centred) centred.centred = true;

  const flags: ImageFlag[] = [];
  if (!centred) {
    const specks = cells.length > 0 ? ` (only ${cells.length} fragment${cells.length > 1 ? 's' : ''} below ${minCellPx} px)` : '';
    flags.push({ code: 'no-wbc', reason: `No white blood cell in the mask${specks}: no CNR.` });
  }
  if (opts.predictionOnly) {
    flags.push({
      code: 'prediction-only',
      reason: 'The mask is an uncorrected prediction and only corrected masks were requested: no CNR.',
    });
  }
  for (const c of cells) {
    if (opts.predictionOnly && !c.flags.some((f) => f.code === 'fragment')) {
      c.flags.push({ code: 'prediction-only', reason: 'Uncorrected prediction (corrected masks only were requested).' });
    }
    if (c.flags.length === 0) {
      c.cnr = c.cytoplasmPx / c.nucleusPx;
      c.ncRatio = c.nucleusPx / c.cellPx;
    }
  }
  return { width, height, cells, centredCellId: centred ? centred.id : null, flags, edgePx, cellIds };
}

function cellFlags(
  a: Acc,
  cellPx: number,
  t: { minCellPx: number; mergeGapPx: number; smudgeFraction: number },
): CellFlag[] {
  if (a.fragment) {
    const where = a.fromInstance ? '' : ` and more than ${t.mergeGapPx} px from any cell`;
    return [{ code: 'fragment', reason: `Fragment of ${cellPx} px, below the ${t.minCellPx} px minimum cell size${where}: not counted as a cell.` }];
  }
  const flags: CellFlag[] = [];
  if (a.touchesBorder) {
    flags.push({ code: 'partial', reason: 'Touches the image border: the cell is cut off, so its areas are incomplete.' });
  }
  if (a.nucleus === 0) {
    flags.push({ code: 'no-nucleus', reason: 'No nucleus pixels: the CNR is undefined.' });
  } else if (a.cytoplasm / cellPx < t.smudgeFraction) {
    flags.push({
      code: 'smudge',
      reason: `Cytoplasm is ${pct(a.cytoplasm / cellPx)} of the cell (threshold ${pct(t.smudgeFraction)}): smudge cell, nucleus with negligible cytoplasm.`,
    });
  }
  return flags;
}

function pct(v: number): string {
  return `${(100 * v).toFixed(1)}%`;
}
