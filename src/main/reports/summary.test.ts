import { describe, expect, it } from 'vitest';
import { histogram, niceStep } from './histogram';
import { cnrStats, summarizeCnr } from './summary';
import type { CnrRow } from './types';

describe('cnrStats', () => {
  it('computes count, mean, median, quartiles (linear interpolation), IQR, min, max', () => {
    expect(cnrStats([4, 1, 3, 2])).toEqual({ count: 4, mean: 2.5, median: 2.5, q1: 1.75, q3: 3.25, iqr: 1.5, min: 1, max: 4 });
    const s = cnrStats([1, 2, 3, 4, 100]);
    expect(s).toMatchObject({ count: 5, mean: 22, median: 3, q1: 2, q3: 4, iqr: 2, min: 1, max: 100 });
  });

  it('handles one value and no value', () => {
    expect(cnrStats([1.5])).toEqual({ count: 1, mean: 1.5, median: 1.5, q1: 1.5, q3: 1.5, iqr: 0, min: 1.5, max: 1.5 });
    expect(cnrStats([])).toEqual({ count: 0, mean: null, median: null, q1: null, q3: null, iqr: null, min: null, max: null });
  });
});

describe('summarizeCnr', () => {
  const rows: CnrRow[] = [
    { cnr: 1, difficulty: 1, typeTag: 'neutrophil' },
    { cnr: 2, difficulty: 1, typeTag: 'neutrophil' },
    { cnr: 3, difficulty: 1, typeTag: 'lymphocyte' },
    { cnr: 4, difficulty: 4, typeTag: null },
    { cnr: null, difficulty: 3, typeTag: 'lymphocyte' }, // partial: withheld
    { cnr: 5, difficulty: null, typeTag: 'lymphocyte' },
  ];

  it('summarises overall, per difficulty class and per type tag, skipping withheld CNRs', () => {
    const s = summarizeCnr(rows);
    expect(s.overall).toMatchObject({ count: 5, mean: 3, median: 3, min: 1, max: 5 });
    expect(s.withoutCnr).toBe(1);
    expect(Object.keys(s.byDifficulty)).toEqual(['1', '3', '4', 'none']);
    expect(s.byDifficulty['1']).toMatchObject({ count: 3, mean: 2, median: 2, q1: 1.5, q3: 2.5 });
    expect(s.byDifficulty['3'].count).toBe(0);
    expect(s.byDifficulty['3'].mean).toBeNull();
    expect(Object.keys(s.byType)).toEqual(['lymphocyte', 'neutrophil', 'none']);
    expect(s.byType.lymphocyte).toMatchObject({ count: 2, mean: 4 });
    expect(s.byType.none).toMatchObject({ count: 1, mean: 4 });
  });

  it('leaves the type groups empty when no image carries a tag, and can skip grouping', () => {
    expect(summarizeCnr(rows.map((r) => ({ ...r, typeTag: null }))).byType).toEqual({});
    expect(summarizeCnr(rows, { groupByDifficulty: false }).byDifficulty).toEqual({});
  });
});

describe('histogram', () => {
  it('uses nice bin widths and counts every value once', () => {
    expect(niceStep(0.23)).toBe(0.25);
    expect(niceStep(0.13)).toBe(0.2);
    expect(niceStep(7)).toBe(10);
    const values = [0.43, 0.9, 1.2, 1.25, 1.5, 2.0, 2.26, 3.9, 4.0];
    const h = histogram(values, 12);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(h.edges[0]).toBeLessThanOrEqual(0.43);
    expect(h.edges[h.edges.length - 1]).toBeGreaterThanOrEqual(4);
    expect(h.step).toBe(0.5);
    expect(h.edges).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4]);
    expect(h.counts).toEqual([1, 1, 2, 1, 2, 0, 0, 2]); // 4.0 falls in the last, closed bin
  });

  it('copes with equal values and with no values', () => {
    const h = histogram([2, 2, 2]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(3);
    expect(histogram([])).toEqual({ edges: [], counts: [], step: 0 });
  });
});
