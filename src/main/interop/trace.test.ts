import { describe, expect, it } from 'vitest';
import { fillRings, rasterisePolygons, signedArea, tracePolygons } from './trace';
import { compressCounts, decodeRle, decompressCounts, encodeRle, encodeRleCounts } from './rle';

const grid = (rows: string[]): { m: Uint8Array; w: number; h: number } => {
  const h = rows.length, w = rows[0].length;
  const m = new Uint8Array(w * h);
  rows.forEach((r, y) => [...r].forEach((c, x) => (m[y * w + x] = c === '#' ? 1 : 0)));
  return { m, w, h };
};

function randomMask(seed: number, w: number, h: number, density: number): Uint8Array {
  let s = seed >>> 0;
  const rand = (): number => ((s = (s * 1664525 + 1013904223) >>> 0) / 0x1_0000_0000);
  const m = new Uint8Array(w * h);
  for (let i = 0; i < m.length; i++) m[i] = rand() < density ? 1 : 0;
  return m;
}

describe('polygon tracing', () => {
  it('traces a square as 4 corners, counter-clockwise (positive shoelace area)', () => {
    const { m, w, h } = grid(['....', '.##.', '.##.', '....']);
    const polys = tracePolygons(m, w, h);
    expect(polys).toHaveLength(1);
    expect(polys[0].exterior).toEqual([[1, 1], [3, 1], [3, 3], [1, 3]]);
    expect(signedArea(polys[0].exterior)).toBe(4);
    expect(polys[0].holes).toEqual([]);
  });

  it('gives a ring with a hole, the hole clockwise (negative area)', () => {
    const { m, w, h } = grid(['#####', '#...#', '#.#.#', '#...#', '#####']);
    const polys = tracePolygons(m, w, h);
    // The ring and the island inside its hole are two polygons.
    expect(polys).toHaveLength(2);
    const ring = polys.find((p) => p.holes.length === 1)!;
    expect(signedArea(ring.exterior)).toBe(25);
    expect(signedArea(ring.holes[0])).toBe(-9);
    expect(rasterisePolygons(polys, w, h)).toEqual(m);
  });

  it('keeps pixels touching at a corner apart (4-connected polygons sharing a vertex)', () => {
    const { m, w, h } = grid(['#.', '.#']);
    const polys = tracePolygons(m, w, h);
    expect(polys).toHaveLength(2);
    expect(polys.every((p) => signedArea(p.exterior) === 1)).toBe(true);
    expect(rasterisePolygons(polys, w, h)).toEqual(m);
  });

  it('round-trips random masks pixel for pixel (holes, diagonals, borders)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const w = 7 + (seed % 13), h = 5 + (seed % 11);
      const m = randomMask(seed, w, h, 0.3 + (seed % 5) * 0.1);
      const polys = tracePolygons(m, w, h);
      expect(rasterisePolygons(polys, w, h)).toEqual(m);
      for (const p of polys) {
        expect(signedArea(p.exterior)).toBeGreaterThan(0);
        for (const hole of p.holes) expect(signedArea(hole)).toBeLessThan(0);
      }
    }
  });

  it('rasterises by pixel centres for off-grid polygons too', () => {
    const m = new Uint8Array(16);
    // A triangle covering centres (0.5,0.5), (1.5,0.5), (0.5,1.5) only.
    fillRings([[[0, 0], [2.2, 0], [0, 2.2]]], m, 4, 4);
    expect([...m].map((v, i) => (v ? i : -1)).filter((i) => i >= 0)).toEqual([0, 1, 4]);
  });
});

describe('COCO RLE', () => {
  it('counts column-major runs starting with background', () => {
    const { m, w, h } = grid(['#.', '##']);
    // Column 0 top-down: 1,1; column 1: 0,1 -> runs: 0 zeros, 2 ones, 1 zero, 1 one.
    expect(encodeRleCounts(m, w, h)).toEqual([0, 2, 1, 1]);
  });

  it('compresses like pycocotools and back', () => {
    // rleToString: 0 -> '0', 2 -> '2', 1 -> '1', then 1 - 2 = -1 -> 0x1f + 48 = 'O'.
    expect(compressCounts([0, 2, 1, 1])).toBe('021O');
    // The third count is not differenced: 100 = 0b11_00100: low group 4 | continuation 0x20 -> 'T', then 3.
    expect(compressCounts([5, 3, 100])).toBe('53T3');
    for (const counts of [[5, 3, 100, 7, 2, 2000, 1], [0, 1], [40000, 1, 3, 70000]]) expect(decompressCounts(compressCounts(counts))).toEqual(counts);
    for (let seed = 1; seed < 20; seed++) {
      const m = randomMask(seed, 17, 9, 0.4);
      expect(decodeRle(encodeRle(m, 17, 9, true)).mask).toEqual(m);
      expect(decodeRle(encodeRle(m, 17, 9, false)).mask).toEqual(m);
    }
  });

  it('refuses runs that do not cover the mask', () => {
    expect(() => decodeRle({ size: [2, 2], counts: [1, 1] })).toThrow(/cover 2 pixels/);
  });
});
