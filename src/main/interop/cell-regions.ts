// The per-cell regions the annotation formats (COCO, GeoJSON) carry, and their assembly
// back into a label map. A cell region is all pixels of one cell instance; cytoplasm and
// nucleus have the cell's edge pixels folded in (the class most common around each edge
// pixel), so other tools see complete classes; HemaSeg's 1-px edge class travels as a region
// of its own, painted last on import, so a round trip keeps every label.
import { LABEL, type LabelMap } from '../../shared/domain';
import { flattenEdges } from '../../shared/core/labels';
import { cellInstances, connectedComponents } from '../../shared/core/cells';

export const REGION_CLASSES = ['cell', 'cytoplasm', 'nucleus', 'edge'] as const;
export type RegionClass = (typeof REGION_CLASSES)[number];

export interface CellRegion {
  /** 1..n in the order cells are found (row-major first pixel). */
  instance: number;
  cls: RegionClass;
  /** 0/1, row-major over the whole image. */
  mask: Uint8Array;
  area: number;
}

/**
 * One instance id per cell pixel: the mask's instances (or its 4-connected cell components),
 * and cell pixels those leave without an id get components of their own.
 */
export function completeInstances(mask: LabelMap): { ids: Int32Array; count: number } {
  const { ids, count } = cellInstances(mask);
  const n = mask.width * mask.height;
  let orphan = false;
  for (let i = 0; i < n && !orphan; i++) orphan = mask.labels[i] !== LABEL.background && ids[i] === 0;
  if (!orphan) return { ids, count };
  const left = new Uint8Array(n);
  for (let i = 0; i < n; i++) left[i] = mask.labels[i] !== LABEL.background && ids[i] === 0 ? 1 : 0;
  const extra = connectedComponents(mask.width, mask.height, (i) => left[i] === 1);
  for (let i = 0; i < n; i++) if (extra.ids[i]) ids[i] = count + extra.ids[i];
  return { ids, count: count + extra.count };
}

/** Regions of every cell: cell, cytoplasm, nucleus, and edge when the mask marks edges. Empty regions are left out. */
export function cellRegions(mask: LabelMap): CellRegion[] {
  const n = mask.width * mask.height;
  const { ids, count } = completeInstances(mask);
  const flat = flattenEdges(mask);
  // Renumber in row-major order of first pixel so exports are stable.
  const order = new Int32Array(count + 1);
  let next = 0;
  for (let i = 0; i < n; i++) if (ids[i] && !order[ids[i]]) order[ids[i]] = ++next;
  const out: CellRegion[] = [];
  const byInstance = Array.from({ length: next + 1 }, () => null as null | Record<RegionClass, Uint8Array>);
  const areas = Array.from({ length: next + 1 }, () => ({ cell: 0, cytoplasm: 0, nucleus: 0, edge: 0 }));
  for (let i = 0; i < n; i++) {
    const k = ids[i] ? order[ids[i]] : 0;
    if (!k) continue;
    const r = (byInstance[k] ??= { cell: new Uint8Array(n), cytoplasm: new Uint8Array(n), nucleus: new Uint8Array(n), edge: new Uint8Array(n) });
    r.cell[i] = 1;
    areas[k].cell++;
    if (flat[i] === LABEL.nucleus) {
      r.nucleus[i] = 1;
      areas[k].nucleus++;
    } else {
      r.cytoplasm[i] = 1;
      areas[k].cytoplasm++;
    }
    if (mask.labels[i] === LABEL.edge) {
      r.edge[i] = 1;
      areas[k].edge++;
    }
  }
  for (let k = 1; k <= next; k++) {
    const r = byInstance[k];
    if (!r) continue;
    for (const cls of REGION_CLASSES) if (areas[k][cls] > 0) out.push({ instance: k, cls, mask: r[cls], area: areas[k][cls] });
  }
  return out;
}

/** A region read from an annotation file, before assembly. */
export interface ParsedRegion {
  cls: RegionClass;
  /** Regions with the same key belong to one cell; null when the file does not say. */
  cellKey: string | null;
  mask: Uint8Array;
}

/**
 * Label map from regions: cells first (as cytoplasm), then cytoplasm, nucleus and edge on
 * top. Instances come from the cell regions (in order) when there are any.
 */
export function assembleLabelMap(width: number, height: number, regions: ParsedRegion[]): LabelMap {
  const n = width * height;
  const labels = new Uint8Array(n);
  const cells = regions.filter((r) => r.cls === 'cell');
  let instances: Uint16Array | undefined;
  if (cells.length) {
    instances = new Uint16Array(n);
    cells.forEach((r, k) => {
      for (let i = 0; i < n; i++) {
        if (!r.mask[i]) continue;
        labels[i] = LABEL.cytoplasm;
        instances![i] = Math.min(k + 1, 65535);
      }
    });
  }
  const paint = (cls: RegionClass, value: number): void => {
    for (const r of regions) {
      if (r.cls !== cls) continue;
      for (let i = 0; i < n; i++) if (r.mask[i]) labels[i] = value;
    }
  };
  paint('cytoplasm', LABEL.cytoplasm);
  paint('nucleus', LABEL.nucleus);
  paint('edge', LABEL.edge);
  return instances ? { width, height, labels, instances } : { width, height, labels };
}

/** Which region class a category or classification name means (case-insensitive), or null. */
export function regionClassOf(name: string): RegionClass | null {
  const t = name.trim().toLowerCase();
  if (t === 'cell' || t === 'wbc' || t === 'white blood cell' || t === 'leukocyte') return 'cell';
  if (t === 'cytoplasm' || t === 'cyto') return 'cytoplasm';
  if (t === 'nucleus' || t === 'nuclei') return 'nucleus';
  if (t === 'edge' || t === 'cell edge' || t === 'boundary') return 'edge';
  return null;
}
