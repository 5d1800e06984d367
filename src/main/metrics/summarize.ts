import type { ImageMetrics, ImageRow, MeanSe, MetricTable } from './types';

/** Flatten per-image metrics to `iou.nucleus`-style names; nulls are left out. */
export function flatMetrics(m: ImageMetrics): Record<string, number> {
  const out: Record<string, number> = { accuracy: m.accuracy };
  for (const group of ['iou', 'iou_b', 'dice', 'precision', 'recall'] as const) {
    for (const [cls, v] of Object.entries(m[group])) if (v !== null) out[`${group}.${cls}`] = v;
  }
  if (m.seg !== null) out.seg = m.seg;
  return out;
}

export function meanSe(values: number[]): MeanSe {
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

/**
 * Worst-N of section A: each method's N lowest-scoring images, united; both methods' mean
 * on that union. Images are matched by id; only images both methods scored count.
 */
export function worstN(a: readonly ImageRow[], b: readonly ImageRow[], n: number, metric: string): { n: number; images: number[]; meanA: number; meanB: number } {
  const score = (rows: readonly ImageRow[]) => new Map(rows.flatMap((r) => {
    const v = metricOf(r, metric);
    return v === null ? [] : [[r.imageId, v] as const];
  }));
  const sa = score(a), sb = score(b);
  const common = [...sa.keys()].filter((id) => sb.has(id));
  const worst = (s: Map<number, number>) => [...common].sort((x, y) => s.get(x)! - s.get(y)! || x - y).slice(0, n);
  const union = [...new Set([...worst(sa), ...worst(sb)])].sort((x, y) => x - y);
  const mean = (s: Map<number, number>) => union.reduce((acc, id) => acc + s.get(id)!, 0) / (union.length || 1);
  return { n, images: union, meanA: mean(sa), meanB: mean(sb) };
}
