import { describe, expect, it } from 'vitest';
import { DIFF_FN, DIFF_FP, differenceImage, iou } from './difference';

const m = (labels: number[]) => ({ width: labels.length, height: 1, labels: Uint8Array.from(labels) });

describe('difference images', () => {
  it('binary: correct black, false positive white, false negative grey; any cell class counts as cell', () => {
    const truth = m([0, 0, 1, 2, 3, 1]);
    const pred = m([0, 1, 0, 1, 2, 1]);
    const d = differenceImage(truth, pred, 'binary');
    expect([...d.gray]).toEqual([0, DIFF_FP, DIFF_FN, 0, 0, 0]);
    expect(d.fp).toBe(1);
    expect(d.fn).toBe(1);
    expect(d.wrong).toBe(2);
  });

  it('multi-class: black where equal, white where the class differs', () => {
    const d = differenceImage(m([0, 1, 2, 3]), m([0, 2, 2, 1]), 'multiclass');
    expect([...d.gray]).toEqual([0, 255, 0, 255]);
    expect(d.wrong).toBe(2);
  });

  it('rejects different sizes', () => {
    expect(() => differenceImage(m([0, 1]), m([0]), 'binary')).toThrow(/size mismatch/);
  });

  it('IoU per class and for the cell; null when both empty', () => {
    expect(iou(m([1, 1, 0, 2]), m([1, 0, 0, 2]), 'cell')).toBeCloseTo(2 / 3);
    expect(iou(m([1, 1, 0, 2]), m([1, 0, 0, 2]), 2)).toBe(1);
    expect(iou(m([0, 0]), m([0, 0]), 1)).toBeNull();
  });
});
