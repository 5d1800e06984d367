import { describe, expect, it } from 'vitest';
import type { ImageRow } from './metric-types';
import { byDifficulty, meanSe, metricByImage, metricNames, metricTable, worstN } from './summary';

const cls = (cell: number | null) => ({ cell, cytoplasm: null, nucleus: null, edge: null });
function row(imageId: number, iou: number, difficulty: number | null = null, seg: number | null = null): ImageRow {
  return {
    imageId, name: `i${imageId}`, difficulty, truthMaskId: 1, predMaskId: 2,
    metrics: { accuracy: 0.9, iou: cls(iou), iou_b: cls(iou), dice: cls(iou), precision: cls(1), recall: cls(1), seg },
  };
}

describe('summaries shared by main and renderer', () => {
  it('mean and standard error (sample SD / sqrt n)', () => {
    const m = meanSe([1, 2, 3, 4]);
    expect(m.mean).toBe(2.5);
    expect(m.se).toBeCloseTo(Math.sqrt(1.6666666667 / 4), 9);
    expect(meanSe([]).n).toBe(0);
  });

  it('names metrics IoU_b first, leaves undefined ones out, and maps them per image', () => {
    const rows = [row(1, 0.5), row(2, 0.7, 3, 0.6)];
    expect(metricNames(rows)).toEqual(['iou_b.cell', 'iou.cell', 'dice.cell', 'precision.cell', 'recall.cell', 'seg', 'accuracy']);
    expect([...metricByImage(rows, 'seg')]).toEqual([[2, 0.6]]);
    expect(metricTable(rows)['iou.cell'].n).toBe(2);
    expect(Object.keys(byDifficulty(rows))).toEqual(['3', 'none']);
  });

  it('worst-N unites each method\'s N worst images', () => {
    const a = [row(1, 0.1), row(2, 0.9), row(3, 0.5)];
    const b = [row(1, 0.9), row(2, 0.2), row(3, 0.8)];
    const w = worstN(a, b, 1, 'iou.cell');
    expect(w.images).toEqual([1, 2]);
    expect(w.meanA).toBeCloseTo(0.5, 9);
    expect(w.meanB).toBeCloseTo(0.55, 9);
  });
});
