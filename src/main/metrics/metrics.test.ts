import { describe, expect, it } from 'vitest';
import { evaluateImage, ratios } from './evaluate-image';
import { borderBand } from './border-band';
import { segDetail, segScore } from './instances';
import { cellInstances } from '../../shared/core/cells';
import { worstN, metricTable, histogram } from '../../shared/core/summary';
import { differenceImage } from './difference-image';
import type { LabelMap } from '../../shared/domain';
import type { ImageRow } from '../../shared/core/metric-types';

/** Label map from rows of digits: 0 background, 1 cytoplasm, 2 nucleus, 3 edge. */
function map(rows: string[], instances?: number[]): LabelMap {
  const labels = Uint8Array.from(rows.join('').split('').map(Number));
  return { width: rows[0].length, height: rows.length, labels, ...(instances ? { instances: Uint16Array.from(instances) } : {}) };
}

describe('per-class ratios', () => {
  it('follows the documented empty-set conventions', () => {
    expect(ratios({ tp: 0, fp: 0, fn: 0 })).toEqual({ iou: 1, dice: 1, precision: 1, recall: 1 });
    expect(ratios({ tp: 0, fp: 0, fn: 5 })).toEqual({ iou: 0, dice: 0, precision: 0, recall: 0 });
    expect(ratios({ tp: 0, fp: 4, fn: 0 })).toEqual({ iou: 0, dice: 0, precision: 0, recall: 0 });
    expect(ratios({ tp: 6, fp: 2, fn: 2 })).toEqual({ iou: 0.6, dice: 0.75, precision: 0.75, recall: 0.75 });
  });
});

describe('evaluateImage', () => {
  const truth = map(['0000', '0110', '0120', '0000']);

  it('scores a perfect prediction 1 everywhere', () => {
    const m = evaluateImage(truth, truth, { borderPx: 0 });
    expect(m.accuracy).toBe(1);
    expect(m.iou).toEqual({ cell: 1, cytoplasm: 1, nucleus: 1, edge: null });
    expect(m.seg).toBe(1);
  });

  it('computes hand-checked IoU, Dice, precision and recall', () => {
    // truth: cyto {5,6,9}, nucleus {10}; pred: cyto {5,6}, nucleus {9,10,11}
    const pred = map(['0000', '0110', '0222', '0000']);
    const m = evaluateImage(truth, pred, { borderPx: 0 });
    expect(m.iou.cell).toBeCloseTo(4 / 5);
    expect(m.iou.cytoplasm).toBeCloseTo(2 / 3);
    expect(m.iou.nucleus).toBeCloseTo(1 / 3);
    expect(m.dice.nucleus).toBeCloseTo(2 / 4);
    expect(m.precision.cell).toBeCloseTo(4 / 5);
    expect(m.recall.cell).toBe(1);
    expect(m.accuracy).toBeCloseTo(14 / 16);
  });

  it('handles an empty prediction, an empty truth and both empty', () => {
    const empty = map(['0000', '0000', '0000', '0000']);
    const a = evaluateImage(truth, empty);
    expect(a.iou.cell).toBe(0);
    expect(a.precision.cell).toBe(0);
    expect(a.seg).toBe(0);
    const b = evaluateImage(empty, truth);
    expect(b.iou.cell).toBe(0);
    expect(b.recall.cell).toBe(0);
    expect(b.seg).toBeNull();
    const c = evaluateImage(empty, empty);
    expect(c.iou.cell).toBe(1);
    expect(c.dice.nucleus).toBe(1);
    expect(c.seg).toBeNull();
  });

  it('IoU_b leaves out a band around ground-truth class boundaries', () => {
    const t = map(['00000000', '01111110', '01122110', '01122110', '01111110', '00000000']);
    const band1 = borderBand(Uint8Array.from(t.labels), 8, 6, 1);
    // Every pixel of this small map is within 1 px of a boundary except none: all excluded.
    expect(band1[0]).toBe(1);
    expect(borderBand(Uint8Array.from(t.labels), 8, 6, 0).every((v) => v === 0)).toBe(true);
    const big = new Uint8Array(20 * 20);
    for (let y = 5; y < 15; y++) for (let x = 5; x < 15; x++) big[y * 20 + x] = 1;
    const b = borderBand(big, 20, 20, 2);
    expect(b[10 * 20 + 10]).toBe(0); // centre of the square: far from the boundary
    expect(b[10 * 20 + 5]).toBe(1); // on the boundary
    expect(b[10 * 20 + 3]).toBe(1); // 2 px outside
    expect(b[10 * 20 + 2]).toBe(0); // 3 px outside
    // A prediction that is wrong only on the boundary scores IoU < 1 but IoU_b = 1.
    const truthSq: LabelMap = { width: 20, height: 20, labels: big };
    const grown = new Uint8Array(big);
    for (let y = 4; y < 16; y++) for (let x = 4; x < 16; x++) grown[y * 20 + x] = 1;
    const m = evaluateImage(truthSq, { width: 20, height: 20, labels: grown }, { borderPx: 2 });
    expect(m.iou.cell).toBeCloseTo(100 / 144);
    expect(m.iou_b.cell).toBe(1);
  });

  it('the running-count band equals the naive window definition', () => {
    // Deterministic pseudo-random 3-class map with blobs, compared with a direct window scan.
    const w = 23, h = 17;
    const cls = new Uint8Array(w * h);
    let s = 12345;
    for (let i = 0; i < cls.length; i++) {
      s = (s * 1103515245 + 12345) >>> 0;
      cls[i] = i > 0 && s % 5 < 3 ? cls[i - 1] : (s >>> 8) % 3;
    }
    for (const r of [1, 2, 3, 6]) {
      const fast = borderBand(cls, w, h, r);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const seen = new Set<number>();
          for (let yy = Math.max(0, y - r); yy <= Math.min(h - 1, y + r); yy++) {
            for (let xx = Math.max(0, x - r); xx <= Math.min(w - 1, x + r); xx++) seen.add(cls[yy * w + xx]);
          }
          expect(fast[y * w + x], `r=${r} at ${x},${y}`).toBe(seen.size > 1 ? 1 : 0);
        }
      }
    }
  });

  it('counts the band per class: 4x4 square, 1-px band, shifted prediction', () => {
    // truth square x,y in 2..5 of an 8x8 map; band (r=1) = the 6x6 ring x,y in 1..6 minus
    // the 2x2 core x,y in 3..4. Outside the band the truth has 4 cell px (the core).
    const t = new Uint8Array(64), p = new Uint8Array(64);
    for (let y = 2; y < 6; y++) for (let x = 2; x < 6; x++) t[y * 8 + x] = 1;
    for (let y = 2; y < 6; y++) for (let x = 3; x < 7; x++) p[y * 8 + x] = 1; // shifted right by 1
    const m = evaluateImage({ width: 8, height: 8, labels: t }, { width: 8, height: 8, labels: p }, { borderPx: 1 });
    expect(m.iou.cell).toBeCloseTo(12 / 20); // 12 shared, 4 fp, 4 fn
    // Outside the band: core 4 px all predicted; the fp column x=6 is in the band (y 2..5)
    // ... and pixels x=7 are outside but predicted nowhere, so IoU_b = 4/4.
    expect(m.iou_b.cell).toBe(1);
    const wide = evaluateImage({ width: 8, height: 8, labels: t }, { width: 8, height: 8, labels: p }, { borderPx: 0 });
    expect(wide.iou_b.cell).toBeCloseTo(12 / 20);
  });

  it('scores the edge class only when the truth has edges', () => {
    const withEdge = map(['0000', '0330', '0330', '0000']);
    expect(evaluateImage(withEdge, withEdge).iou.edge).toBe(1);
    expect(evaluateImage(truth, withEdge).iou.edge).toBeNull();
  });

  it('refuses masks of different sizes', () => {
    expect(() => evaluateImage(truth, map(['000', '000']))).toThrow(/3x2 but the truth is 4x4/);
  });
});

describe('SEG', () => {
  it('matches touching instances separated by edge pixels', () => {
    // two cells side by side, separated by their edge pixels
    const t = map(['0000000', '0113110', '0113110', '0000000']);
    expect(segScore(t, t)).toBe(1);
    // A prediction that merges them: the shared edge column goes to the left cell (6 px,
    // right 4 px); the 10-px blob covers each fully, so J = 6/10 and 4/10.
    const merged = map(['0000000', '0111110', '0111110', '0000000']);
    expect(segScore(t, merged)).toBeCloseTo((6 / 10 + 4 / 10) / 2, 5);
  });

  it('gives every pixel of a 2-px-thick edge to the cell it surrounds', () => {
    // one cell: core 2 px, wrapped in a 2-px edge; nothing else
    const t = map(['3333', '3113', '3333', '3333']);
    const inst = cellInstances(t);
    expect(inst.count).toBe(1);
    expect([...inst.ids].every((v) => v === 1)).toBe(true);
    // an edge ring with no cytoplasm or nucleus inside is no cell (a cell has an inside)
    expect(cellInstances(map(['333', '303', '333'])).count).toBe(0);
  });

  it('falls back to components when the instance map is all zero', () => {
    const t = map(['1101'], [0, 0, 0, 0]);
    expect(cellInstances(t).count).toBe(2);
    const d = segDetail(t, t);
    expect(d).toEqual({ seg: 1, truthObjects: 2, predObjects: 2, jaccardSum: 2 });
  });

  it('uses instance maps when present and scores unmatched cells 0', () => {
    const t = map(['1111', '1111'], [1, 1, 2, 2, 1, 1, 2, 2]);
    const p = map(['1110', '0000'], [1, 1, 1, 0, 0, 0, 0, 0]);
    // truth cell 1 = 4 px; pred cell covers 2 of them (not > 50%): unmatched. Cell 2: 1 of 4.
    expect(segScore(t, p)).toBe(0);
  });
});

describe('aggregation', () => {
  const row = (imageId: number, iou: number, difficulty: number | null = null): ImageRow => ({
    imageId, name: `i${imageId}`, difficulty, truthMaskId: null, predMaskId: null,
    metrics: { accuracy: 1, iou: { cell: iou, cytoplasm: null, nucleus: null, edge: null }, iou_b: { cell: iou, cytoplasm: null, nucleus: null, edge: null }, dice: { cell: iou, cytoplasm: null, nucleus: null, edge: null }, precision: { cell: 1, cytoplasm: null, nucleus: null, edge: null }, recall: { cell: 1, cytoplasm: null, nucleus: null, edge: null }, seg: null },
  });

  it('mean and standard error', () => {
    const t = metricTable([row(1, 0.5), row(2, 0.7), row(3, 0.9)]);
    expect(t['iou.cell'].mean).toBeCloseTo(0.7);
    expect(t['iou.cell'].se).toBeCloseTo(0.2 / Math.sqrt(3));
    expect(t['iou.cytoplasm']).toBeUndefined();
  });

  it('worst-N takes the union of both methods worst images', () => {
    const a = [row(1, 0.1), row(2, 0.9), row(3, 0.5), row(4, 0.95)];
    const b = [row(1, 0.8), row(2, 0.2), row(3, 0.9), row(4, 0.85)];
    const w = worstN(a, b, 1, 'iou.cell');
    expect(w.images).toEqual([1, 2]);
    expect(w.meanA).toBeCloseTo((0.1 + 0.9) / 2);
    expect(w.meanB).toBeCloseTo((0.8 + 0.2) / 2);
  });

  it('histogram bins [0,1]', () => {
    const h = histogram([0, 0.05, 0.5, 1, 1], 10);
    expect(h.bins[0]).toBe(2);
    expect(h.bins[5]).toBe(1);
    expect(h.bins[9]).toBe(2);
  });
});

describe('difference images', () => {
  it('binary: black correct, white false positive, grey false negative; multiclass: white wrong', () => {
    const t = map(['110', '000']);
    const p = map(['101', '000']);
    const b = differenceImage(t, p, 'binary');
    expect([b.data[0], b.data[3], b.data[6], b.data[9]]).toEqual([0, 128, 255, 0]);
    const m = differenceImage(map(['12']), map(['11']), 'multiclass');
    expect([m.data[0], m.data[3]]).toEqual([0, 255]);
  });
});

describe('per-class difference image', () => {
  it('colours each kind of error by class and keeps correct pixels grey', async () => {
    const { differenceImage: diff, differenceCounts } = await import('./difference-image');
    const { DIFFERENCE_LEGEND, DIFFERENCE_CORRECT } = await import('../../shared/difference');
    const m = (labels: number[]) => ({ width: labels.length, height: 1, labels: Uint8Array.from(labels) });
    // truth/pred pairs: 0/1, 0/2, 1/0, 2/0, 1/2, 2/1, then correct 0, 1, 2.
    const t = m([0, 0, 1, 2, 1, 2, 0, 1, 2]), p = m([1, 2, 0, 0, 2, 1, 0, 1, 2]);
    const d = diff(t, p, 'classes');
    const px = (i: number) => [d.data[i * 3], d.data[i * 3 + 1], d.data[i * 3 + 2]];
    const colour = (key: string) => [...DIFFERENCE_LEGEND.find((e) => e.key === key)!.rgb];
    expect(px(0)).toEqual(colour('fp-cytoplasm'));
    expect(px(1)).toEqual(colour('fp-nucleus'));
    expect(px(2)).toEqual(colour('fn-cytoplasm'));
    expect(px(3)).toEqual(colour('fn-nucleus'));
    expect(px(4)).toEqual(colour('cytoplasm-as-nucleus'));
    expect(px(5)).toEqual(colour('nucleus-as-cytoplasm'));
    expect([px(6), px(7), px(8)]).toEqual([[...DIFFERENCE_CORRECT[0]], [...DIFFERENCE_CORRECT[1]], [...DIFFERENCE_CORRECT[2]]]);
    // Six distinct error colours, none of them grey.
    const colours = new Set(DIFFERENCE_LEGEND.map((e) => e.rgb.join(',')));
    expect(colours.size).toBe(6);
    expect(DIFFERENCE_LEGEND.every((e) => !(e.rgb[0] === e.rgb[1] && e.rgb[1] === e.rgb[2]))).toBe(true);
    expect(differenceCounts(t, p)).toEqual({ 'fp-cytoplasm': 1, 'fp-nucleus': 1, 'fn-cytoplasm': 1, 'fn-nucleus': 1, 'cytoplasm-as-nucleus': 1, 'nucleus-as-cytoplasm': 1 });
    // The binary variant is unchanged: FP white, FN grey.
    expect([...diff(m([0, 1]), m([1, 0]), 'binary').data]).toEqual([255, 255, 255, 128, 128, 128]);
  });
});
