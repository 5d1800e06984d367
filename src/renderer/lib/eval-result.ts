// Reading stored evaluation results without depending on their exact JSON shape (the
// result of eval.get is `unknown` in the contract). We look for per-image rows — objects
// with a numeric image id — anywhere in the result and flatten their numeric fields into
// metric names like "iou.nucleus". Everything else (per-difficulty tables, histograms,
// worst-N) is computed from those rows, so the UI works with any result that has them.

export interface PerImageRow {
  imageId: number;
  name: string | null;
  difficulty: number | null;
  metrics: Record<string, number>;
}

const ID_KEYS = ['imageId', 'image_id', 'imageID'];
const NON_METRIC = new Set(['imageId', 'image_id', 'imageID', 'id', 'difficulty', 'width', 'height', 'index', 'maskId', 'predMaskId', 'truthMaskId', 'versionId']);
const WRAPPERS = new Set(['metrics', 'scores', 'values', 'perClass', 'classes']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function flatten(obj: Record<string, unknown>, prefix: string, out: Record<string, number>, depth: number): void {
  for (const [k, v] of Object.entries(obj)) {
    if (!prefix && NON_METRIC.has(k)) continue;
    const key = WRAPPERS.has(k) ? prefix : prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'number' && Number.isFinite(v)) out[key] = v;
    else if (isObject(v) && depth < 3) flatten(v, key, out, depth + 1);
  }
}

function rowId(o: Record<string, unknown>): number | null {
  for (const k of ID_KEYS) if (typeof o[k] === 'number') return o[k] as number;
  return null;
}

function toRow(o: Record<string, unknown>): PerImageRow | null {
  const imageId = rowId(o);
  if (imageId === null) return null;
  const metrics: Record<string, number> = {};
  flatten(o, '', metrics, 0);
  const name = typeof o.name === 'string' ? o.name : typeof o.imageName === 'string' ? o.imageName : null;
  const difficulty = typeof o.difficulty === 'number' ? o.difficulty : null;
  return { imageId, name, difficulty, metrics };
}

/** Find the per-image rows of an evaluation result (the largest matching array wins). */
export function perImageRows(result: unknown): PerImageRow[] {
  let best: PerImageRow[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 4) return;
    if (Array.isArray(v)) {
      const rows = v.filter(isObject).map(toRow).filter((r): r is PerImageRow => r !== null);
      if (rows.length > best.length) best = rows;
      if (rows.length === 0) v.slice(0, 5).forEach((x) => visit(x, depth + 1));
    } else if (isObject(v)) {
      for (const x of Object.values(v)) visit(x, depth + 1);
    }
  };
  visit(result, 0);
  return best;
}

/** Metric names present in the rows, most useful first (IoU_b, IoU, Dice, then the rest). */
export function metricNames(rows: readonly PerImageRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r.metrics)) names.add(k);
  const rank = (n: string): number => {
    const l = n.toLowerCase();
    if (l.includes('iou_b') || l.includes('ioub')) return 0;
    if (l.includes('iou') || l.includes('jaccard')) return 1;
    if (l.includes('dice')) return 2;
    if (l.includes('seg')) return 3;
    if (l.includes('acc')) return 4;
    return 5;
  };
  return [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface MeanSe {
  mean: number;
  se: number;
  n: number;
}

export function meanSe(values: readonly number[]): MeanSe | null {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return null;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.length > 1 ? v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1) : 0;
  return { mean, se: Math.sqrt(variance / v.length), n: v.length };
}

/** Split "iou.nucleus" / "iou_b.cell" into metric and class for a metric-by-class table. */
export function splitMetricName(name: string): { metric: string; cls: string } {
  const i = name.lastIndexOf('.');
  return i > 0 ? { metric: name.slice(0, i), cls: name.slice(i + 1) } : { metric: name, cls: '' };
}

export interface ClassTable {
  metrics: string[];
  classes: string[];
  cell: (metric: string, cls: string) => MeanSe | null;
}

export function classTable(rows: readonly PerImageRow[]): ClassTable {
  const names = metricNames(rows);
  const metrics: string[] = [];
  const classes: string[] = [];
  for (const n of names) {
    const { metric, cls } = splitMetricName(n);
    if (!metrics.includes(metric)) metrics.push(metric);
    if (!classes.includes(cls)) classes.push(cls);
  }
  const cache = new Map<string, MeanSe | null>();
  return {
    metrics,
    classes,
    cell(metric, cls) {
      const key = cls ? `${metric}.${cls}` : metric;
      if (!cache.has(key)) cache.set(key, meanSe(rows.map((r) => r.metrics[key]).filter((x): x is number => x !== undefined)));
      return cache.get(key) ?? null;
    },
  };
}

/** Mean of one metric per difficulty class (0 = unclassified). */
export function byDifficulty(rows: readonly PerImageRow[], metric: string, difficultyOf: (id: number) => number | null): Map<number, MeanSe> {
  const groups = new Map<number, number[]>();
  for (const r of rows) {
    const v = r.metrics[metric];
    if (v === undefined) continue;
    const d = r.difficulty ?? difficultyOf(r.imageId) ?? 0;
    const g = groups.get(d) ?? [];
    g.push(v);
    groups.set(d, g);
  }
  const out = new Map<number, MeanSe>();
  for (const [d, values] of [...groups].sort((a, b) => a[0] - b[0])) {
    const m = meanSe(values);
    if (m) out.set(d, m);
  }
  return out;
}

/** Counts of values in `bins` equal bins over [lo, hi] (values outside are clamped). */
export function histogram(values: readonly number[], bins = 20, lo = 0, hi = 1): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const k = Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)));
    counts[k]++;
  }
  return counts;
}

export interface WorstN {
  n: number;
  images: number;
  meanA: number | null;
  meanB: number | null;
}

/**
 * Worst-N of section A: take each method's N lowest-scoring images, union them, and report
 * both methods' mean on that union (images scored by both only).
 */
export function worstN(a: readonly PerImageRow[], b: readonly PerImageRow[], metric: string, n: number): WorstN {
  const scores = (rows: readonly PerImageRow[]): Map<number, number> => {
    const m = new Map<number, number>();
    for (const r of rows) if (r.metrics[metric] !== undefined) m.set(r.imageId, r.metrics[metric]);
    return m;
  };
  const sa = scores(a);
  const sb = scores(b);
  const both = [...sa.keys()].filter((id) => sb.has(id));
  const worst = (s: Map<number, number>): number[] => [...both].sort((x, y) => (s.get(x) ?? 0) - (s.get(y) ?? 0) || x - y).slice(0, n);
  const union = [...new Set([...worst(sa), ...worst(sb)])];
  const mean = (s: Map<number, number>): number | null => (union.length ? union.reduce((acc, id) => acc + (s.get(id) ?? 0), 0) / union.length : null);
  return { n, images: union.length, meanA: mean(sa), meanB: mean(sb) };
}

/** Per-image value of one metric, for sorting the gallery. */
export function metricByImage(rows: readonly PerImageRow[], metric: string): Map<number, number> {
  const m = new Map<number, number>();
  for (const r of rows) if (r.metrics[metric] !== undefined) m.set(r.imageId, r.metrics[metric]);
  return m;
}
