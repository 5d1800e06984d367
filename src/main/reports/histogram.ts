// Histogram bins with "nice" widths (1, 2, 2.5, 5 x 10^k), shared by the PDF and HTML charts so
// both show the same bars.

export interface Histogram {
  /** edges.length = counts.length + 1; bins are [e_i, e_i+1), the last one closed. */
  edges: number[];
  counts: number[];
  step: number;
}

export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const exp = Math.floor(Math.log10(rough));
  const base = 10 ** exp;
  for (const m of [1, 2, 2.5, 5, 10]) if (m * base >= rough) return m * base;
  return 10 * base;
}

export function histogram(values: readonly number[], targetBins = 12): Histogram {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { edges: [], counts: [], step: 0 };
  let min = Math.min(...v);
  let max = Math.max(...v);
  if (min === max) {
    const half = niceStep(Math.abs(min) * 0.05 || 0.05);
    min -= half;
    max += half;
  }
  const step = niceStep((max - min) / targetBins);
  // Edges are rounded to the step's decimals so labels read 0.75, not 0.7500000001.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  const round = (x: number): number => Number(x.toFixed(decimals));
  const first = Math.floor(min / step);
  const last = Math.max(first + 1, Math.ceil(max / step));
  const edges: number[] = [];
  for (let k = first; k <= last; k++) edges.push(round(k * step));
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (const x of v) {
    let i = Math.floor((x - edges[0]) / step);
    if (i >= counts.length) i = counts.length - 1;
    if (i < 0) i = 0;
    // Guard against floating error right at an edge.
    while (i > 0 && x < edges[i]) i--;
    while (i < counts.length - 1 && x >= edges[i + 1]) i++;
    counts[i]++;
  }
  return { edges, counts, step };
}

/** Step for integer count axes: 1, 2, 5 x 10^k, at least 1. */
export function niceCountStep(rough: number): number {
  const exp = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  for (const m of [1, 2, 5, 10]) if (m * exp >= rough) return m * exp;
  return 10 * exp;
}
