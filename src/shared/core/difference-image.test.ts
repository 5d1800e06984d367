import { describe, expect, it } from 'vitest';
import { confusionIoU, differenceImage, differenceSummary, labelConfusion } from './difference-image';

const m = (labels: number[]) => ({ width: labels.length, height: 1, labels: Uint8Array.from(labels) });
const grey = (d: { data: Uint8Array }) => [...d.data].filter((_, i) => i % 3 === 0);

describe('difference images (one implementation for files, web host and Compare view)', () => {
  it('binary: correct black, false positive white, false negative grey; edges count as their cell', () => {
    const truth = m([0, 0, 1, 2, 3, 1]);
    const pred = m([0, 1, 0, 1, 2, 1]);
    expect(grey(differenceImage(truth, pred, 'binary'))).toEqual([0, 255, 128, 0, 0, 0]);
    const s = differenceSummary(labelConfusion(truth, pred));
    expect([s.fp, s.fn, s.total]).toEqual([1, 1, 6]);
  });

  it('multiclass: white where the folded class differs (an edge pixel is its cell\'s class)', () => {
    // The edge pixel between two nucleus pixels is nucleus, so it matches the prediction.
    const d = differenceImage(m([0, 1, 2, 3, 2]), m([0, 2, 2, 2, 2]), 'multiclass');
    expect(grey(d)).toEqual([0, 255, 0, 0, 0]);
    expect(differenceSummary(labelConfusion(m([0, 1, 2, 3, 2]), m([0, 2, 2, 2, 2]))).wrong).toBe(1);
  });

  it('rejects different sizes', () => {
    expect(() => differenceImage(m([0, 1]), m([0]), 'binary')).toThrow(/truth is 2x1, prediction 1x1/);
  });

  it('IoU per class and for the cell from the confusion; null when both are empty', () => {
    const c = labelConfusion(m([1, 1, 0, 2]), m([1, 0, 0, 2]));
    expect(confusionIoU(c, 'cell')).toBeCloseTo(2 / 3);
    expect(confusionIoU(c, 'nucleus')).toBe(1);
    expect(confusionIoU(labelConfusion(m([0, 0]), m([0, 0])), 'cytoplasm')).toBeNull();
  });
});
