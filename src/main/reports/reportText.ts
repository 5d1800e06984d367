// Wording and table layout shared by the PDF and HTML reports, so both say the same thing.
// Only characters of the PDF standard fonts' WinAnsi set are used (no pi, no >=).
import {
  DEFAULT_MIN_LOBE_FRACTION,
  DEFAULT_SMUDGE_CYTOPLASM_FRACTION,
} from './analyzeCells';
import type { ReportModel } from './model';
import type { CnrStats } from './types';
import type { OUTLINE_COLOURS } from './thumbnail';

export const reportTitle = 'Cytoplasm-to-nucleus ratio report';

export const CARD_LEGEND: { colour: keyof typeof OUTLINE_COLOURS; label: string }[] = [
  { colour: 'centred', label: 'reported (centred) cell' },
  { colour: 'other', label: 'other cell / fragment' },
  { colour: 'nucleus', label: 'nucleus' },
];

const pct = (f: number): string => `${+(100 * f).toFixed(2)}%`;

export function methodNotes(model: ReportModel): string[] {
  const a = model.meta.analysis ?? {};
  const smudge = a.smudgeCytoplasmFraction ?? DEFAULT_SMUDGE_CYTOPLASM_FRACTION;
  const lobe = a.minLobeFraction ?? DEFAULT_MIN_LOBE_FRACTION;
  const minCell = a.minCellPx !== undefined ? `${a.minCellPx} px` : '0.2% of the image area (at least 16 px)';
  const gap = a.mergeGapPx !== undefined ? `${a.mergeGapPx} px` : '2% of the shorter image side';
  return [
    'CNR = cytoplasm area / nucleus area and N:C = nucleus area / cell area, measured on the centred cell of each ' +
      'image: the cell whose centroid is nearest the image centre. Other cells are listed but not reported.',
    'Areas are exact pixel counts of the mask; cell = cytoplasm + nucleus. Edge-class pixels are never counted into ' +
      `an area. Square micrometres = pixels / ${model.meta.calibration}².`,
    'Cells are taken from the instance map when the mask has one, otherwise they are the 4-connected regions of ' +
      'cytoplasm and nucleus (cells touching only at a corner, or split by an edge line, are two cells), the same ' +
      `cells the segmentation scores count. A piece smaller than ${minCell} within ${gap} of a cell is joined ` +
      'to that cell; a farther one is listed as a fragment.',
    `No CNR is given (the image is flagged) when the centred cell touches the image border (partial), its cytoplasm is ` +
      `under ${pct(smudge)} of the cell (smudge), it has no nucleus, the mask has no white blood cell, or only ` +
      'corrected masks were requested and the mask is an uncorrected prediction.',
    `Lobes: 8-connected nucleus parts of at least ${pct(lobe)} of the nucleus area (lobes joined by a thin strand ` +
      'count as one). Circularity = 4·pi·area / perimeter² (1 for a disc), perimeter from the chain code of the outline.',
    'Summary statistics are over images (one CNR per image); quartiles by linear interpolation.',
  ];
}

export type SummaryGroup =
  | { kind: 'all'; key: 'all'; stats: CnrStats }
  | { kind: 'section'; label: string }
  | { kind: 'difficulty' | 'type' | 'sequence'; key: string; stats: CnrStats };

/** Rows of the summary table: all images, then difficulty classes, then type tags (when present). */
export function summaryGroups(model: ReportModel): SummaryGroup[] {
  const s = model.summary;
  const out: SummaryGroup[] = [{ kind: 'all', key: 'all', stats: s.overall }];
  const diff = Object.keys(s.byDifficulty);
  if (diff.some((k) => k !== 'none')) {
    out.push({ kind: 'section', label: 'By difficulty class' });
    for (const k of diff) out.push({ kind: 'difficulty', key: k, stats: s.byDifficulty[k] });
  }
  const types = Object.keys(s.byType);
  if (types.length > 0) {
    out.push({ kind: 'section', label: 'By WBC type' });
    for (const k of types) out.push({ kind: 'type', key: k, stats: s.byType[k] });
  }
  // Time-lapse projects: one row per sequence (older summaries have no bySequence).
  const seqs = Object.keys(s.bySequence ?? {});
  if (seqs.length > 0) {
    out.push({ kind: 'section', label: 'By sequence' });
    for (const k of seqs) out.push({ kind: 'sequence', key: k, stats: s.bySequence[k] });
  }
  return out;
}
