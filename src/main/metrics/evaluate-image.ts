import type { LabelMap } from '../../shared/domain';
import { borderBand, defaultBorderPx } from './border-band';
import { classPlanes, inClass } from './label-classes';
import { segScore } from './instances';
import { METRIC_CLASSES, type Counts, type ImageMetrics, type MetricClass } from './types';

export interface EvaluateOptions {
  /** Border band for IoU_b in pixels; default: 1 px per 128 px of image side. */
  borderPx?: number;
  borderPer128?: number;
}

/** Conventions for empty sets (documented in README "Metrics"): both empty scores 1, one empty scores 0. */
export function ratios(c: Counts): { iou: number; dice: number; precision: number; recall: number } {
  const { tp, fp, fn } = c;
  const union = tp + fp + fn;
  return {
    iou: union === 0 ? 1 : tp / union,
    dice: union === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn),
    precision: tp + fp === 0 ? (fn === 0 ? 1 : 0) : tp / (tp + fp),
    recall: tp + fn === 0 ? (fp === 0 ? 1 : 0) : tp / (tp + fn),
  };
}

export function evaluateImage(truth: LabelMap, pred: LabelMap, opts: EvaluateOptions = {}): ImageMetrics {
  if (truth.width !== pred.width || truth.height !== pred.height) {
    throw new Error(`prediction is ${pred.width}x${pred.height} but the truth is ${truth.width}x${truth.height}`);
  }
  const { width: w, height: h } = truth;
  const n = w * h;
  const t = classPlanes(truth);
  const p = classPlanes(pred);
  const band = borderBand(t.flat, w, h, opts.borderPx ?? defaultBorderPx(w, h, opts.borderPer128 ?? 1));
  const all = Object.fromEntries(METRIC_CLASSES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<MetricClass, Counts>;
  const inner = Object.fromEntries(METRIC_CLASSES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<MetricClass, Counts>;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    if (t.flat[i] === p.flat[i]) correct++;
    for (const cls of METRIC_CLASSES) {
      const a = inClass(t, cls, i), b = inClass(p, cls, i);
      if (!a && !b) continue;
      const k = a && b ? 'tp' : a ? 'fn' : 'fp';
      all[cls][k]++;
      if (!band[i]) inner[cls][k]++;
    }
  }
  // Edge scores only mean something when the truth marks edges.
  const defined = (cls: MetricClass): boolean => cls !== 'edge' || t.hasEdges;
  const pick = (src: Record<MetricClass, Counts>, key: 'iou' | 'dice' | 'precision' | 'recall') =>
    Object.fromEntries(METRIC_CLASSES.map((c) => [c, defined(c) ? ratios(src[c])[key] : null])) as Record<MetricClass, number | null>;
  return {
    accuracy: correct / n,
    iou: pick(all, 'iou'),
    iou_b: pick(inner, 'iou'),
    dice: pick(all, 'dice'),
    precision: pick(all, 'precision'),
    recall: pick(all, 'recall'),
    seg: segScore(truth, pred),
  };
}
