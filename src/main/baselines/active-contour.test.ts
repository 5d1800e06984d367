import { describe, expect, it } from 'vitest';
import { activeContour, snapCell } from './active-contour';
import { evaluateImage } from '../metrics/evaluate-image';
import { LABEL, type LabelMap, type RgbImage } from '../../shared/domain';

/** Cells as a dark nucleus disc inside a lilac cytoplasm disc, on a yellow background with red cells and noise. */
interface Disc {
  x: number;
  y: number;
  r: number;
  rn: number;
  /** Cytoplasm colour (default lilac); nucleus is always dark purple. */
  cyto?: [number, number, number];
}

function scene(w: number, h: number, cells: Disc[], seed = 1, redCells: { x: number; y: number; r: number }[] = []): { image: RgbImage; truth: LabelMap } {
  let s = seed;
  const rand = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 4294967296);
  const data = new Uint8Array(w * h * 3);
  const labels = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      let c = [250, 244, 185];
      if (Math.hypot(x - w * 0.15, y - h * 0.2) < w * 0.12) c = [240, 215, 175]; // a red cell
      for (const rc of redCells) {
        const d = Math.hypot(x + 0.5 - rc.x, y + 0.5 - rc.y);
        if (d < rc.r) c = d > rc.r - 3 ? [215, 150, 140] : [235, 195, 170]; // darker rim, pale centre
      }
      for (const cell of cells) {
        const d = Math.hypot(x + 0.5 - cell.x, y + 0.5 - cell.y);
        if (d < cell.rn) {
          c = [110, 40, 100];
          labels[i] = LABEL.nucleus;
        } else if (d < cell.r) {
          c = cell.cyto ?? [195, 140, 135];
          labels[i] = LABEL.cytoplasm;
        }
      }
      for (let k = 0; k < 3; k++) data[i * 3 + k] = Math.max(0, Math.min(255, c[k] + Math.round((rand() - 0.5) * 16)));
    }
  }
  return { image: { width: w, height: h, data }, truth: { width: w, height: h, labels } };
}

describe('active-contour baseline', () => {
  it('recovers a cell and its nucleus', () => {
    for (const size of [120, 128, 480]) {
      const k = size / 120;
      const { image, truth } = scene(size, size, [{ x: 60 * k, y: 62 * k, r: 36 * k, rn: 20 * k }]);
      const m = evaluateImage(truth, activeContour(image));
      expect(m.iou.cell).toBeGreaterThan(0.9);
      expect(m.iou.nucleus).toBeGreaterThan(0.9);
    }
  });

  it('is deterministic and marks edge pixels around each cell', () => {
    const { image } = scene(128, 128, [{ x: 40, y: 64, r: 22, rn: 11 }, { x: 92, y: 64, r: 22, rn: 11 }]);
    const a = activeContour(image), b = activeContour(image);
    expect(Buffer.from(a.labels).equals(Buffer.from(b.labels))).toBe(true);
    expect(new Set(Array.from(a.instances).filter((v) => v > 0)).size).toBe(2);
    expect(a.labels.includes(LABEL.edge)).toBe(true);
  });

  it('does not grow into a red cell touching the white cell', () => {
    const { image, truth } = scene(128, 128, [{ x: 60, y: 64, r: 26, rn: 13 }], 3, [{ x: 98, y: 64, r: 14 }, { x: 60, y: 104, r: 14 }]);
    const m = evaluateImage(truth, activeContour(image));
    expect(m.iou.cell).toBeGreaterThan(0.9);
    expect(m.iou.nucleus).toBeGreaterThan(0.9);
    expect(m.precision.cell).toBeGreaterThan(0.9);
  });

  it('separates the nucleus from dark granular cytoplasm (eosinophil-like)', () => {
    // Cytoplasm as dark as the first threshold: red-brown, low green. The second,
    // cell-local pass must still find the purple nucleus alone.
    const { image, truth } = scene(120, 120, [{ x: 60, y: 60, r: 34, rn: 15, cyto: [170, 80, 90] }], 5);
    const m = evaluateImage(truth, activeContour(image));
    expect(m.iou.cell).toBeGreaterThan(0.9);
    expect(m.iou.nucleus).toBeGreaterThan(0.85);
  });


  it('finds nothing on an empty field', () => {
    const { image } = scene(96, 96, []);
    const out = activeContour(image);
    expect(out.labels.filter((v) => v !== LABEL.background).length).toBeLessThan(96 * 96 * 0.02);
  });

  it('snap returns only the clicked cell', () => {
    const { image, truth } = scene(128, 128, [{ x: 34, y: 64, r: 22, rn: 11 }, { x: 96, y: 64, r: 22, rn: 11 }]);
    const snapped = snapCell(image, { x: 96, y: 60 });
    const right = { ...truth, labels: truth.labels.map((v, i) => (i % 128 >= 64 ? v : 0)) };
    expect(evaluateImage(right, snapped).iou.cell).toBeGreaterThan(0.85);
    expect(snapped.labels.slice(0).some((v, i) => v && i % 128 < 60)).toBe(false);
    const none = snapCell(image, { x: 64, y: 5 });
    expect(none.labels.every((v) => v === 0)).toBe(true);
    // With a rough box around the left cell, only that cell comes back, in image coordinates.
    const boxed = snapCell(image, { x: 34, y: 64 }, { x: 5, y: 35, width: 60, height: 60 });
    const left = { ...truth, labels: truth.labels.map((v, i) => (i % 128 < 64 ? v : 0)) };
    expect(evaluateImage(left, boxed).iou.cell).toBeGreaterThan(0.85);
    expect(evaluateImage(left, boxed).iou.nucleus).toBeGreaterThan(0.85);
    expect(boxed.labels.some((v, i) => v && i % 128 >= 64)).toBe(false);
  });
});
