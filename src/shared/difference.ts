// Colours of the per-class difference image (served as `diff/...?style=classes`), shared so
// the Compare view's legend shows exactly what the server paints. Okabe-Ito colours, which
// stay apart for the common colour-vision deficiencies; edges count as part of their cell.

export type RgbTriple = readonly [number, number, number];

export interface DifferenceLegendEntry {
  key: 'fp-cytoplasm' | 'fp-nucleus' | 'fn-cytoplasm' | 'fn-nucleus' | 'cytoplasm-as-nucleus' | 'nucleus-as-cytoplasm';
  /** Label in the truth and in the prediction (0 background, 1 cytoplasm, 2 nucleus). */
  truth: 0 | 1 | 2;
  pred: 0 | 1 | 2;
  label: string;
  rgb: RgbTriple;
}

export const DIFFERENCE_LEGEND: readonly DifferenceLegendEntry[] = [
  { key: 'fp-cytoplasm', truth: 0, pred: 1, label: 'false positive cytoplasm', rgb: [0xe6, 0x9f, 0x00] },
  { key: 'fp-nucleus', truth: 0, pred: 2, label: 'false positive nucleus', rgb: [0xcc, 0x79, 0xa7] },
  { key: 'fn-cytoplasm', truth: 1, pred: 0, label: 'false negative cytoplasm', rgb: [0x56, 0xb4, 0xe9] },
  { key: 'fn-nucleus', truth: 2, pred: 0, label: 'false negative nucleus', rgb: [0x00, 0x72, 0xb2] },
  { key: 'cytoplasm-as-nucleus', truth: 1, pred: 2, label: 'cytoplasm predicted as nucleus', rgb: [0xf0, 0xe4, 0x42] },
  { key: 'nucleus-as-cytoplasm', truth: 2, pred: 1, label: 'nucleus predicted as cytoplasm', rgb: [0x00, 0x9e, 0x73] },
];

/** Correct pixels: black background, dark grey cytoplasm, mid grey nucleus (the cell stays readable). */
export const DIFFERENCE_CORRECT: Readonly<Record<0 | 1 | 2, RgbTriple>> = {
  0: [0, 0, 0],
  1: [64, 64, 64],
  2: [112, 112, 112],
};
