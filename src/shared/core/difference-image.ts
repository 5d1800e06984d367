// Difference images between a ground truth and a prediction, and the counts under them.
// One implementation for the evaluation files, the web host's `diff/` images and the
// Compare view, so all three show the same pixels. Edges count as part of their cell
// (folded like every convention without an edge class).
import type { DifferenceStyle } from '../api';
import type { LabelMap, RgbImage } from '../domain';
import { DIFFERENCE_CORRECT, DIFFERENCE_LEGEND, type DifferenceLegendEntry } from '../difference';
import { flattenEdges } from './labels';

function checkSizes(truth: LabelMap, pred: LabelMap): void {
  if (truth.width !== pred.width || truth.height !== pred.height) {
    throw new Error(`difference image: truth is ${truth.width}x${truth.height}, prediction ${pred.width}x${pred.height}`);
  }
}

/**
 * Binary (section A of the seeds): correct black, false positive white, false negative grey
 * (cell vs background). Multiclass: correct black, wrong white. Classes: every kind of error
 * in its own colour (false positive / false negative cytoplasm and nucleus, and the two
 * confusions between them; DIFFERENCE_LEGEND), correct pixels in greys by class so the cell
 * stays readable.
 */
export function differenceImage(truth: LabelMap, pred: LabelMap, mode: DifferenceStyle): RgbImage {
  checkSizes(truth, pred);
  const t = flattenEdges(truth), p = flattenEdges(pred);
  const data = new Uint8Array(t.length * 3);
  // Colour per (truth, pred) pair, 3x3, for the classes style.
  const table: (readonly [number, number, number])[] = [];
  for (let a = 0; a < 3; a++) {
    for (let b = 0; b < 3; b++) {
      table.push(a === b ? DIFFERENCE_CORRECT[a as 0 | 1 | 2] : DIFFERENCE_LEGEND.find((e) => e.truth === a && e.pred === b)!.rgb);
    }
  }
  for (let i = 0; i < t.length; i++) {
    if (mode === 'classes') {
      const c = table[Math.min(t[i], 2) * 3 + Math.min(p[i], 2)];
      data[i * 3] = c[0];
      data[i * 3 + 1] = c[1];
      data[i * 3 + 2] = c[2];
      continue;
    }
    let v = 0;
    if (mode === 'binary') {
      const a = t[i] !== 0, b = p[i] !== 0;
      v = a === b ? 0 : b ? 255 : 128;
    } else if (t[i] !== p[i]) v = 255;
    data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = v;
  }
  return { width: truth.width, height: truth.height, data };
}

/** Confusion of the folded labels: counts[t * 3 + p] for truth class t and predicted class p (0-2). */
export function labelConfusion(truth: LabelMap, pred: LabelMap): Int32Array {
  checkSizes(truth, pred);
  const t = flattenEdges(truth), p = flattenEdges(pred);
  const n = new Int32Array(9);
  for (let i = 0; i < t.length; i++) n[Math.min(t[i], 2) * 3 + Math.min(p[i], 2)]++;
  return n;
}

/** Pixels of each error kind of the classes style, keyed like DIFFERENCE_LEGEND. */
export function differenceCounts(truth: LabelMap, pred: LabelMap): Record<DifferenceLegendEntry['key'], number> {
  const n = labelConfusion(truth, pred);
  return Object.fromEntries(DIFFERENCE_LEGEND.map((e) => [e.key, n[e.truth * 3 + e.pred]])) as Record<DifferenceLegendEntry['key'], number>;
}

/** What the binary and multiclass difference images show, counted: false positive / negative cell pixels and wrong-class pixels. */
export function differenceSummary(confusion: Int32Array): { fp: number; fn: number; wrong: number; total: number } {
  let fp = 0, fn = 0, wrong = 0, total = 0;
  for (let t = 0; t < 3; t++) {
    for (let p = 0; p < 3; p++) {
      const v = confusion[t * 3 + p];
      total += v;
      if (t !== p) wrong += v;
      if (t === 0 && p !== 0) fp += v;
      if (t !== 0 && p === 0) fn += v;
    }
  }
  return { fp, fn, wrong, total };
}

/** IoU of a class from a confusion (edges folded into their cell, as the metrics do); null when neither mask has it. */
export function confusionIoU(confusion: Int32Array, cls: 'cell' | 'cytoplasm' | 'nucleus'): number | null {
  const inSet = (c: number): boolean => (cls === 'cell' ? c !== 0 : c === (cls === 'cytoplasm' ? 1 : 2));
  let inter = 0, union = 0;
  for (let t = 0; t < 3; t++) {
    for (let p = 0; p < 3; p++) {
      const a = inSet(t), b = inSet(p);
      if (a && b) inter += confusion[t * 3 + p];
      if (a || b) union += confusion[t * 3 + p];
    }
  }
  return union === 0 ? null : inter / union;
}
