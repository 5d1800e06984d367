import { describe, expect, it } from 'vitest';
import { colorize, CLASS_COLORS, PALETTES } from './colorize';

const all = (w: number, h: number) => ({ x0: 0, y0: 0, x1: w, y1: h });

describe('colorize', () => {
  it('fills class colours, leaves background transparent, outline mode keeps boundaries only', () => {
    const mask = { width: 3, height: 3, labels: Uint8Array.from([2, 2, 2, 2, 2, 2, 2, 2, 2]) };
    const out = new Uint8ClampedArray(9 * 4);
    colorize(mask, out, all(3, 3), { outline: false });
    expect([...out.slice(16, 20)]).toEqual([...CLASS_COLORS[2], 255]);
    colorize(mask, out, all(3, 3), { outline: true });
    // A uniform region has no internal boundary (the image border is not one).
    expect(out[16 + 3]).toBe(0);
    const ring = { width: 3, height: 3, labels: Uint8Array.from([1, 1, 1, 1, 2, 1, 1, 1, 1]) };
    colorize(ring, out, all(3, 3), { outline: true });
    expect(out[16 + 3]).toBe(255);
    expect(out[0 + 3]).toBe(0);
    expect(out[4 + 3]).toBe(255);
  });

  it('draws wider outlines and uses the chosen palette', () => {
    // A 7-px row: cytoplasm on the left, nucleus on the right of x = 3.
    const labels = Uint8Array.from([1, 1, 1, 2, 2, 2, 2]);
    const out = new Uint8ClampedArray(7 * 4);
    colorize({ width: 7, height: 1, labels }, out, all(7, 1), { outline: true, outlineWidth: 1 });
    expect([0, 1, 2, 3, 4, 5, 6].map((x) => out[x * 4 + 3])).toEqual([0, 0, 255, 255, 0, 0, 0]);
    colorize({ width: 7, height: 1, labels }, out, all(7, 1), { outline: true, outlineWidth: 2, palette: PALETTES.colorblind });
    expect([0, 1, 2, 3, 4, 5, 6].map((x) => out[x * 4 + 3])).toEqual([0, 255, 255, 255, 255, 0, 0]);
    expect([...out.slice(12, 15)]).toEqual([...PALETTES.colorblind[2]]);
  });

  it('keeps the selected cell in its class colours with a white contour and a dark halo outside', () => {
    // 5x5: one cell (instance 1) of cytoplasm around a nucleus pixel, background around.
    const labels = new Uint8Array(25);
    const instances = new Uint16Array(25);
    for (let y = 1; y <= 3; y++) for (let x = 1; x <= 3; x++) {
      labels[y * 5 + x] = x === 2 && y === 2 ? 2 : 1;
      instances[y * 5 + x] = 1;
    }
    const out = new Uint8ClampedArray(25 * 4);
    colorize({ width: 5, height: 5, labels, instances }, out, all(5, 5), { outline: false, selected: 1 });
    const px = (x: number, y: number) => [...out.slice((y * 5 + x) * 4, (y * 5 + x) * 4 + 4)];
    expect(px(2, 2)).toEqual([...CLASS_COLORS[2], 255]); // nucleus unchanged
    expect(px(1, 1)).toEqual([255, 255, 255, 255]); // contour
    expect(px(0, 2)).toEqual([0, 0, 0, 255]); // halo
    expect(px(0, 0)[3]).toBe(0); // diagonal background untouched
  });
});
