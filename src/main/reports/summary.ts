// Descriptive statistics of CNR values, overall and per group. Quartiles use linear
// interpolation between order statistics (position (n-1)*p; numpy's default, R type 7), so
// median = q2 and a single value gives q1 = median = q3.
import type { CnrRow, CnrStats, CnrSummary } from './types';

export interface SummaryOptions {
  /** Default true. */
  groupByDifficulty?: boolean;
  /** Default true; the map stays empty when no row has a type tag. */
  groupByType?: boolean;
  /** Default true; the map stays empty when no row is a sequence's frame. */
  groupBySequence?: boolean;
}

export function cnrStats(values: readonly number[]): CnrStats {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return { count: 0, mean: null, median: null, q1: null, q3: null, iqr: null, min: null, max: null };
  const q = (p: number): number => {
    const pos = (n - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
  };
  let sum = 0;
  for (const x of v) sum += x;
  const q1 = q(0.25);
  const q3 = q(0.75);
  return { count: n, mean: sum / n, median: q(0.5), q1, q3, iqr: q3 - q1, min: v[0], max: v[n - 1] };
}

export function summarizeCnr(rows: readonly CnrRow[], opts: SummaryOptions = {}): CnrSummary {
  const withCnr = rows.filter((r): r is CnrRow & { cnr: number } => r.cnr !== null && Number.isFinite(r.cnr));
  const group = (key: (r: CnrRow) => string): Record<string, CnrStats> => {
    const m = new Map<string, number[]>();
    // Groups are made from every row, so a group whose CNRs were all withheld shows count 0.
    for (const r of rows) if (!m.has(key(r))) m.set(key(r), []);
    for (const r of withCnr) m.get(key(r))?.push(r.cnr);
    const keys = [...m.keys()].sort(compareKeys);
    return Object.fromEntries(keys.map((k) => [k, cnrStats(m.get(k) ?? [])]));
  };
  const hasTags = rows.some((r) => r.typeTag !== null && r.typeTag !== '');
  // Only frames form sequence groups: loose images would be one 'none' group that says nothing.
  const framesOnly = rows.filter((r) => r.sequence !== null && r.sequence !== undefined);
  const sequenceGroups = (): Record<string, CnrStats> => {
    const m = new Map<string, number[]>();
    for (const r of framesOnly) if (!m.has(r.sequence as string)) m.set(r.sequence as string, []);
    for (const r of framesOnly) if (r.cnr !== null && Number.isFinite(r.cnr)) m.get(r.sequence as string)?.push(r.cnr);
    return Object.fromEntries([...m.keys()].sort(compareKeys).map((k) => [k, cnrStats(m.get(k) ?? [])]));
  };
  return {
    overall: cnrStats(withCnr.map((r) => r.cnr)),
    withoutCnr: rows.length - withCnr.length,
    byDifficulty: opts.groupByDifficulty === false ? {} : group((r) => (r.difficulty === null ? 'none' : String(r.difficulty))),
    byType: opts.groupByType === false || !hasTags ? {} : group((r) => (r.typeTag ? r.typeTag : 'none')),
    bySequence: opts.groupBySequence === false ? {} : sequenceGroups(),
  };
}

/** Numeric keys in numeric order, then names alphabetically, 'none' last. */
function compareKeys(a: string, b: string): number {
  if (a === 'none' || b === 'none') return a === b ? 0 : a === 'none' ? 1 : -1;
  const na = Number(a);
  const nb = Number(b);
  if (Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a.localeCompare(b);
}
