// CSV export: one row per cell (every cell, centred or not, fragments included) plus one row
// with empty cell columns for each image without any cell, so every image appears.
// CNR and N:C are written at full double precision (shortest round-trip form) so they equal
// count(cytoplasm)/count(nucleus) computed from the mask exactly; other derived values are rounded.
import { stringify } from 'csv-stringify/sync';
import { escapeCsvText } from './csv-safe';
import type { ReportModel } from './model';
import type { CellMeasurement } from './types';

export const CSV_COLUMNS = [
  'image', 'hash', 'split', 'difficulty', 'type_tag',
  'cell_id', 'centred', 'touches_border',
  'nucleus_px', 'cytoplasm_px', 'cell_px', 'edge_px',
  'nucleus_um2', 'cytoplasm_um2', 'cell_um2',
  'cnr', 'nc_ratio', 'lobes', 'perimeter_px', 'perimeter_um', 'circularity',
  'centroid_x', 'centroid_y', 'bbox_x0', 'bbox_y0', 'bbox_x1', 'bbox_y1', 'fragments_merged',
  'flags', 'image_flags', 'flag_reasons',
  'mask_kind', 'mask_source', 'model_version', 'mask_version_time', 'px_per_um',
  // Appended last so readers of the older columns by position are unaffected.
  'sequence', 'frame',
] as const;

type Column = (typeof CSV_COLUMNS)[number];
type Row = Partial<Record<Column, string | number>>;

const r4 = (v: number): number => Number(v.toFixed(4));

export function renderCsv(model: ReportModel): string {
  const rows: Row[] = [];
  for (const img of model.images) {
    const i = img.input;
    const imageFlags = img.analysis.flags;
    const common: Row = {
      image: i.name,
      hash: i.hash,
      split: i.split,
      difficulty: i.difficulty ?? '',
      type_tag: i.typeTag ?? '',
      image_flags: imageFlags.map((f) => f.code).join(';'),
      mask_kind: i.maskKind,
      mask_source: i.maskSource,
      model_version: i.modelVersion ?? '',
      mask_version_time: i.maskVersionTime,
      px_per_um: model.meta.calibration,
      sequence: i.sequence ?? '',
      frame: i.frameIndex ?? '',
    };
    const reasons = (c: CellMeasurement | null): string =>
      [...imageFlags, ...(c?.flags ?? []).filter((f) => !imageFlags.some((g) => g.code === f.code))]
        .map((f) => f.reason)
        .join(' | ');
    if (img.analysis.cells.length === 0) rows.push({ ...common, flag_reasons: reasons(null) });
    for (const c of img.analysis.cells) {
      rows.push({
        ...common,
        cell_id: c.id,
        centred: c.centred ? 'yes' : 'no',
        touches_border: c.touchesBorder ? 'yes' : 'no',
        nucleus_px: c.nucleusPx,
        cytoplasm_px: c.cytoplasmPx,
        cell_px: c.cellPx,
        edge_px: c.edgePx,
        nucleus_um2: r4(c.nucleusUm2),
        cytoplasm_um2: r4(c.cytoplasmUm2),
        cell_um2: r4(c.cellUm2),
        cnr: c.cnr ?? '',
        nc_ratio: c.ncRatio ?? '',
        lobes: c.lobes,
        perimeter_px: r4(c.perimeterPx),
        perimeter_um: r4(c.perimeterUm),
        circularity: r4(c.circularity),
        centroid_x: r4(c.centroid.x),
        centroid_y: r4(c.centroid.y),
        bbox_x0: c.bbox.x0,
        bbox_y0: c.bbox.y0,
        bbox_x1: c.bbox.x1,
        bbox_y1: c.bbox.y1,
        fragments_merged: c.fragmentsMerged,
        flags: c.flags.map((f) => f.code).join(';'),
        flag_reasons: reasons(c),
      });
    }
  }
  // String(number) is the shortest form that parses back to the same double; text cells are
  // escaped against formula injection (names and sources come from users).
  return stringify(rows, { header: true, columns: [...CSV_COLUMNS], cast: { number: (v) => String(v), string: escapeCsvText } });
}
