import { describe, expect, it } from 'vitest';
import { type PerImageRow, byDifficulty, classTable, histogram, meanSe, metricNames, perImageRows, worstN } from './eval-result';

describe('perImageRows', () => {
  it('finds rows with image ids at any depth and flattens nested metric objects', () => {
    const result = {
      summary: { 'iou.cell': 0.9 },
      images: [
        { imageId: 1, name: 'a.png', metrics: { iou: { cell: 0.8, nucleus: 0.7 }, dice: { cell: 0.9 } } },
        { imageId: 2, name: 'b.png', difficulty: 3, metrics: { iou: { cell: 0.6, nucleus: 0.5 }, dice: { cell: 0.7 } } },
      ],
    };
    const rows = perImageRows(result);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ imageId: 1, name: 'a.png', difficulty: null, metrics: { 'iou.cell': 0.8, 'iou.nucleus': 0.7, 'dice.cell': 0.9 } });
    expect(rows[1].difficulty).toBe(3);
    expect(metricNames(rows)).toEqual(['iou.cell', 'iou.nucleus', 'dice.cell']);
  });

  it('accepts flat dotted keys and snake_case ids, and tolerates junk', () => {
    expect(perImageRows({ perImage: [{ image_id: 5, 'iou_b.cell': 0.5, label: 'x' }] })[0].metrics).toEqual({ 'iou_b.cell': 0.5 });
    expect(perImageRows(null)).toEqual([]);
    expect(perImageRows('text')).toEqual([]);
    expect(perImageRows({ a: [1, 2, 3] })).toEqual([]);
  });
});

describe('aggregates', () => {
  const rows: PerImageRow[] = [
    { imageId: 1, name: null, difficulty: null, metrics: { 'iou.cell': 1.0, 'iou.nucleus': 0.5 } },
    { imageId: 2, name: null, difficulty: null, metrics: { 'iou.cell': 0.5, 'iou.nucleus': 0.5 } },
    { imageId: 3, name: null, difficulty: null, metrics: { 'iou.cell': 0.0 } },
  ];

  it('mean and standard error', () => {
    const m = meanSe([1, 0.5, 0]);
    expect(m?.mean).toBeCloseTo(0.5);
    expect(m?.se).toBeCloseTo(0.5 / Math.sqrt(3));
    expect(meanSe([])).toBeNull();
  });

  it('metric x class table', () => {
    const t = classTable(rows);
    expect(t.metrics).toEqual(['iou']);
    expect(t.classes).toEqual(['cell', 'nucleus']);
    expect(t.cell('iou', 'cell')?.mean).toBeCloseTo(0.5);
    expect(t.cell('iou', 'nucleus')?.n).toBe(2);
  });

  it('per difficulty class, with the image list as fallback for the class', () => {
    const d = byDifficulty(rows, 'iou.cell', (id) => (id === 3 ? 8 : 1));
    expect([...d.keys()]).toEqual([1, 8]);
    expect(d.get(1)?.mean).toBeCloseTo(0.75);
    expect(d.get(8)?.mean).toBe(0);
  });

  it('histogram clamps to the range', () => {
    expect(histogram([0, 0.05, 0.5, 1, 1.2, -1], 10)).toEqual([3, 0, 0, 0, 0, 1, 0, 0, 0, 2]);
  });

  it('worst-N: union of each method\'s N worst, both means on it', () => {
    const a = [1, 2, 3, 4].map((id) => ({ imageId: id, name: null, difficulty: null, metrics: { m: [0.1, 0.9, 0.8, 0.7][id - 1] } }));
    const b = [1, 2, 3, 4].map((id) => ({ imageId: id, name: null, difficulty: null, metrics: { m: [0.9, 0.2, 0.8, 0.7][id - 1] } }));
    const w = worstN(a, b, 'm', 1);
    expect(w.images).toBe(2); // images 1 and 2
    expect(w.meanA).toBeCloseTo(0.5);
    expect(w.meanB).toBeCloseTo(0.55);
  });
});
