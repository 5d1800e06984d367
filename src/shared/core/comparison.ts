// N-way comparison of mask sources on ONE image set: the result type runComparison returns and
// the API carries, and the pure shaping both the CLI and the renderer use (tables per metric,
// per class, per difficulty class, worst-N over all sources, per-image values). No Node here.
import type { EvaluationResult, ImageRow, MeanSe } from './metric-types';
import { metricByImage } from './summary';

/** An image a source's evaluation could not use, and why (e.g. `no unet@2 mask`). */
export interface DroppedImage {
  imageId: number;
  name: string;
  reason: string;
}

export interface ComparisonSource {
  /** As asked for (`unet`, `unet@2`, `active-contour`). */
  asked: string;
  /** Resolved once for the whole comparison (`unet` -> `unet@2`). */
  label: string;
  evaluationId: number | null;
  /**
   * Images of the split with a truth mask that this source's column leaves out: those it has no
   * mask for, and those it has but another source lacks (the set must be the same for all).
   */
  dropped: DroppedImage[];
  /** Of `dropped`, how many for lack of this source's own mask. */
  missingOwn: number;
  result: EvaluationResult;
}

export interface ComparisonSettings {
  truth: string;
  split: string;
  borderPx: number | null;
  metric: string;
  worst: number[];
}

/** What runComparison returns, comparisons.get serves and a stored comparison reopens as. */
export interface Comparison {
  id: number | null;
  label: string | null;
  createdAt: string;
  settings: ComparisonSettings;
  /** The one image set every source was evaluated on (ascending ids). */
  imageIds: number[];
  /** Images of the split without a truth mask (out for every source). */
  noTruth: number;
  sources: ComparisonSource[];
}

/** A stored comparison in a list. */
export interface ComparisonInfo {
  id: number;
  createdAt: string;
  label: string | null;
  truth: string;
  split: string;
  sources: string[];
  images: number;
  evaluationIds: number[];
}

/** One row of a table: a metric (or difficulty class) across the sources, in source order. */
export interface ComparisonRow {
  key: string;
  values: (MeanSe | null)[];
}

export interface WorstNAll {
  n: number;
  /** Union of each source's N worst images by the metric (ascending ids). */
  images: number[];
  /** Each source's mean of the metric on that union (NaN for an empty union). */
  means: number[];
}

export interface PerImageValues {
  imageId: number;
  name: string;
  difficulty: number | null;
  /** The metric per source, in source order (null where undefined). */
  values: (number | null)[];
  /** Each source's predicted mask version (for the grid). */
  predMaskIds: (number | null)[];
  truthMaskId: number | null;
}

export interface ComparisonTables {
  sources: string[];
  /** Rows metrics, columns sources. */
  metrics: ComparisonRow[];
  /** One table per class: IoU, IoU_b, Dice. */
  perClass: { cls: string; rows: ComparisonRow[] }[];
  /** `metric` per difficulty class ('none' last), with the image count of each class. */
  byDifficulty: { difficulty: string; n: number; values: (MeanSe | null)[] }[];
  worst: WorstNAll[];
  /** Every image of the set, lowest worst-source value of `metric` first. */
  perImage: PerImageValues[];
}

export const COMPARISON_METRICS = [
  'iou.cell', 'iou_b.cell', 'dice.cell', 'iou.cytoplasm', 'iou_b.cytoplasm', 'dice.cytoplasm', 'iou.nucleus', 'iou_b.nucleus', 'dice.nucleus',
  'precision.cell', 'recall.cell', 'accuracy', 'seg',
] as const;
export const COMPARISON_CLASSES = ['cytoplasm', 'nucleus', 'cell'] as const;
const CLASS_GROUPS = [['iou', 'IoU'], ['iou_b', 'IoU_b'], ['dice', 'Dice']] as const;

/**
 * Worst-N over any number of sources: the union of each source's N lowest-scoring images by
 * `metric`, and every source's mean on that union. Only images every source scored count
 * (on a comparison's single image set that is all of them unless the metric is undefined).
 */
export function worstNAll(rowsPerSource: readonly (readonly ImageRow[])[], n: number, metric: string): WorstNAll {
  const scores = rowsPerSource.map((rows) => metricByImage(rows, metric));
  if (!scores.length) return { n, images: [], means: [] };
  const common = [...scores[0].keys()].filter((id) => scores.every((s) => s.has(id)));
  const worst = (s: Map<number, number>): number[] => [...common].sort((x, y) => s.get(x)! - s.get(y)! || x - y).slice(0, n);
  const union = [...new Set(scores.flatMap(worst))].sort((x, y) => x - y);
  const means = scores.map((s) => (union.length ? union.reduce((acc, id) => acc + s.get(id)!, 0) / union.length : NaN));
  return { n, images: union, means };
}

const rank = (d: string): number => (d === 'none' ? 99 : Number(d));

/** The comparison's tables: what `hemaseg compare` prints and the Compare view shows. */
export function comparisonTables(c: Pick<Comparison, 'sources' | 'settings'>): ComparisonTables {
  const { metric, worst } = c.settings;
  const results = c.sources.map((s) => s.result);
  const row = (key: string): ComparisonRow => ({ key, values: results.map((r) => r.means[key] ?? null) });
  const present = (key: string): boolean => results.some((r) => r.means[key]);
  const metrics = COMPARISON_METRICS.filter(present).map(row);
  const perClass = COMPARISON_CLASSES.map((cls) => ({
    cls,
    rows: CLASS_GROUPS.map(([g, title]) => ({ ...row(`${g}.${cls}`), key: title })),
  }));
  const classes = [...new Set(results.flatMap((r) => Object.keys(r.byDifficulty)))].sort((a, b) => rank(a) - rank(b));
  const byDifficulty = classes.map((d) => {
    const values = results.map((r) => r.byDifficulty[d]?.[metric] ?? null);
    const n = results[0]?.perImage.filter((p) => (p.difficulty === null ? 'none' : String(p.difficulty)) === d).length ?? 0;
    return { difficulty: d, n, values };
  });
  const rows = results.map((r) => r.perImage);
  const worstTables = worst.map((n) => worstNAll(rows, n, metric));
  const byId = results.map((r) => new Map(r.perImage.map((p) => [p.imageId, p])));
  const scores = rows.map((r) => metricByImage(r, metric));
  const first = results[0]?.perImage ?? [];
  const perImage: PerImageValues[] = first.map((p) => ({
    imageId: p.imageId, name: p.name, difficulty: p.difficulty, truthMaskId: p.truthMaskId,
    values: scores.map((s) => s.get(p.imageId) ?? null),
    predMaskIds: byId.map((m) => m.get(p.imageId)?.predMaskId ?? null),
  }));
  const low = (v: PerImageValues): number => Math.min(...v.values.map((x) => x ?? Infinity));
  perImage.sort((a, b) => low(a) - low(b) || a.imageId - b.imageId);
  return { sources: c.sources.map((s) => s.label), metrics, perClass, byDifficulty, worst: worstTables, perImage };
}

/** Parse `10,30,50` into worst-N sizes; throws on anything but positive whole numbers. */
export function parseWorstList(text: string): number[] {
  const ns = text.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!ns.length || ns.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`worst-N sizes must be positive whole numbers, got '${text}'`);
  return ns;
}

/** runComparison's result, and what comparisons.get serves: the comparison and its tables. */
export interface ComparisonRun {
  comparison: Comparison;
  tables: ComparisonTables;
}
