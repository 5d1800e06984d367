// Summaries of per-image metrics: flat metric names, mean ± standard error, tables per
// difficulty class, histograms and worst-N. Main (evaluation, CLI) and renderer (compare,
// gallery) use these same functions on the same stored rows.
import type { ImageMetrics, ImageRow, MeanSe, MetricTable } from './metric-types';

/** Flatten per-image metrics to `iou.nucleus`-style names; nulls are left out. */
export function flatMetrics(m: ImageMetrics): Record<string, number> {
  const out: Record<string, number> = { accuracy: m.accuracy };
  for (const group of ['iou', 'iou_b', 'dice', 'precision', 'recall'] as const) {
    for (const [cls, v] of Object.entries(m[group])) if (v !== null) out[`${group}.${cls}`] = v;
  }
  if (m.seg !== null) out.seg = m.seg;
  return out;
}

/** Mean and standard error of the mean (sample SD / sqrt n); NaN mean and SE for no values. */
export function meanSe(values: readonly number[]): MeanSe {
  const n = values.length;
  if (n === 0) return { mean: NaN, se: NaN, n: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, se: Math.sqrt(variance / n), n };
}

export function metricTable(rows: readonly ImageRow[]): MetricTable {
  const values: Record<string, number[]> = {};
  for (const r of rows) for (const [k, v] of Object.entries(flatMetrics(r.metrics))) (values[k] ??= []).push(v);
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, meanSe(v)]));
}

/** Tables per difficulty class 1-8 ('none' for unclassified images). */
export function byDifficulty(rows: readonly ImageRow[]): Record<string, MetricTable> {
  const groups = new Map<string, ImageRow[]>();
  for (const r of rows) {
    const key = r.difficulty === null ? 'none' : String(r.difficulty);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return Object.fromEntries([...groups.entries()].sort().map(([k, g]) => [k, metricTable(g)]));
}

/**
 * Tables per sequence (keyed by its name), in name order; rows that are no sequence's frame
 * are left out, so the result is empty for a project without sequences.
 */
export function bySequence(rows: readonly ImageRow[]): Record<string, MetricTable> {
  const groups = new Map<string, ImageRow[]>();
  for (const r of rows) {
    if (r.sequence === null || r.sequence === undefined) continue;
    groups.set(r.sequence, [...(groups.get(r.sequence) ?? []), r]);
  }
  return Object.fromEntries([...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, g]) => [k, metricTable(g)]));
}

/** Counts in `bins` equal bins over [lo, hi] (values outside are clamped, non-finite skipped). */
export function histogram(values: readonly number[], bins = 20, lo = 0, hi = 1): { bins: number[]; edges: number[] } {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const k = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[k]++;
  }
  return { bins: counts, edges: Array.from({ length: bins + 1 }, (_, i) => lo + ((hi - lo) * i) / bins) };
}

export function metricOf(row: ImageRow, metric: string): number | null {
  return flatMetrics(row.metrics)[metric] ?? null;
}

/** Metric names present in the rows: IoU_b, IoU, Dice, precision, recall, then SEG and accuracy. */
export function metricNames(rows: readonly ImageRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(flatMetrics(r.metrics))) names.add(k);
  const order = ['iou_b', 'iou', 'dice', 'precision', 'recall', 'seg', 'accuracy'];
  const rank = (n: string): number => {
    const k = order.indexOf(n.split('.')[0]);
    return k < 0 ? order.length : k;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** One metric per image id (images where it is undefined are left out). */
export function metricByImage(rows: readonly ImageRow[], metric: string): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of rows) {
    const v = metricOf(r, metric);
    if (v !== null) m.set(r.imageId, v);
  }
  return m;
}

/**
 * Worst-N of section A: each method's N lowest-scoring images, united; both methods' mean
 * on that union. Images are matched by id; only images both methods scored count.
 */
export function worstN(a: readonly ImageRow[], b: readonly ImageRow[], n: number, metric: string): { n: number; images: number[]; meanA: number; meanB: number } {
  const sa = metricByImage(a, metric), sb = metricByImage(b, metric);
  const common = [...sa.keys()].filter((id) => sb.has(id));
  const worst = (s: Map<number, number>) => [...common].sort((x, y) => s.get(x)! - s.get(y)! || x - y).slice(0, n);
  const union = [...new Set([...worst(sa), ...worst(sb)])].sort((x, y) => x - y);
  const mean = (s: Map<number, number>) => union.reduce((acc, id) => acc + s.get(id)!, 0) / (union.length || 1);
  return { n, images: union, meanA: mean(sa), meanB: mean(sb) };
}
