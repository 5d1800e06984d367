import { describe, expect, it } from 'vitest';
import { LABEL } from '../../shared/domain';
import { analyzeCells, analyzeImage } from './analyzeCells';
import { blank, cell, count, disc, rect, set } from './testMasks';

const ppm = 10.2;
const { cytoplasm: CYT, nucleus: NUC, edge: EDGE } = LABEL;

describe('analyzeCells: areas and ratios', () => {
  it('measures a rectangular cell with a square nucleus exactly', () => {
    const m = rect(rect(blank(40, 40), 10, 10, 20, 20, CYT), 16, 16, 8, 8, NUC);
    const cells = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(cells).toHaveLength(1);
    const c = cells[0];
    expect(c).toMatchObject({ id: 1, nucleusPx: 64, cytoplasmPx: 336, cellPx: 400, edgePx: 0, lobes: 1 });
    expect(c.cnr).toBe(336 / 64);
    expect(c.ncRatio).toBe(64 / 400);
    expect(c.nucleusUm2).toBeCloseTo(64 / (ppm * ppm), 12);
    expect(c.cellUm2).toBeCloseTo(400 / (ppm * ppm), 12);
    expect(c.centroid).toEqual({ x: 19.5, y: 19.5 });
    expect(c.centreDistance).toBe(0);
    expect(c.bbox).toEqual({ x0: 10, y0: 10, x1: 29, y1: 29 });
    expect(c.touchesBorder).toBe(false);
    expect(c.centred).toBe(true);
    expect(c.flags).toEqual([]);
    // A square: pi/4 in theory; the outline estimate rounds the corners, so slightly more.
    expect(c.circularity).toBeGreaterThan(0.76);
    expect(c.circularity).toBeLessThan(0.86);
    expect(c.perimeterPx).toBeGreaterThan(76);
    expect(c.perimeterPx).toBeLessThan(82);
  });

  it('gives a disc circularity close to 1', () => {
    const m = cell(blank(80, 80), 40, 40, 25, 10);
    const [c] = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(c.circularity).toBeGreaterThan(0.97);
    expect(c.circularity).toBeLessThanOrEqual(1);
    expect(c.perimeterPx).toBeCloseTo(2 * Math.sqrt(Math.PI * c.cellPx), -0.5);
    expect(c.cytoplasmPx + c.nucleusPx).toBe(count(m, CYT) + count(m, NUC));
  });

  it('rejects a label map of the wrong size', () => {
    expect(() => analyzeCells({ width: 4, height: 4, labels: new Uint8Array(15) }, { pixelsPerMicrometre: ppm })).toThrow(/expected 16/);
  });
});

describe('analyzeCells: flags', () => {
  it('flags a cell touching the border as partial, without CNR', () => {
    const m = cell(blank(60, 60), 5, 30, 12, 5);
    const [c] = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(c.touchesBorder).toBe(true);
    expect(c.flags.map((f) => f.code)).toEqual(['partial']);
    expect(c.flags[0].reason).toMatch(/border/);
    expect(c.cnr).toBeNull();
    expect(c.ncRatio).toBeNull();
    expect(c.cytoplasmPx).toBeGreaterThan(0); // areas are still reported
  });

  it('flags a smudge cell (negligible cytoplasm) with the measured fraction', () => {
    const m = disc(blank(60, 60), 30, 30, 12, NUC);
    set(set(set(m, 30, 17, CYT), 31, 17, CYT), 29, 17, CYT); // 3 px of cytoplasm on ~450 px
    const [c] = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(c.cytoplasmPx).toBe(3);
    expect(c.flags.map((f) => f.code)).toEqual(['smudge']);
    expect(c.flags[0].reason).toMatch(/0\.\d% of the cell \(threshold 5\.0%\)/);
    expect(c.cnr).toBeNull();
    // The threshold is an option.
    const [d] = analyzeCells(m, { pixelsPerMicrometre: ppm, smudgeCytoplasmFraction: 0.001 });
    expect(d.flags).toEqual([]);
    expect(d.cnr).toBe(3 / d.nucleusPx);
  });

  it('flags a cell without nucleus', () => {
    const [c] = analyzeCells(disc(blank(40, 40), 20, 20, 8, CYT), { pixelsPerMicrometre: ppm });
    expect(c.flags.map((f) => f.code)).toEqual(['no-nucleus']);
    expect(c.cnr).toBeNull();
  });

  it('reports no-wbc for an empty mask and for specks only', () => {
    const empty = analyzeImage(blank(50, 50), { pixelsPerMicrometre: ppm });
    expect(empty.cells).toEqual([]);
    expect(empty.centredCellId).toBeNull();
    expect(empty.flags.map((f) => f.code)).toEqual(['no-wbc']);
    const specks = analyzeImage(rect(blank(50, 50), 10, 10, 3, 3, CYT), { pixelsPerMicrometre: ppm });
    expect(specks.cells).toHaveLength(1);
    expect(specks.cells[0].flags.map((f) => f.code)).toEqual(['fragment']);
    expect(specks.flags.map((f) => f.code)).toEqual(['no-wbc']);
  });

  it('withholds every CNR of an uncorrected prediction when corrected masks only were requested', () => {
    const a = analyzeImage(cell(blank(50, 50), 25, 25, 12, 5), { pixelsPerMicrometre: ppm, predictionOnly: true });
    expect(a.flags.map((f) => f.code)).toEqual(['prediction-only']);
    expect(a.cells[0].flags.map((f) => f.code)).toEqual(['prediction-only']);
    expect(a.cells[0].cnr).toBeNull();
  });
});

describe('analyzeCells: separating cells', () => {
  it('splits two touching cells along a vertical edge line; edge pixels count for no area', () => {
    const m = rect(blank(50, 30), 5, 5, 41, 20, CYT);
    rect(m, 10, 10, 6, 6, NUC);
    rect(m, 33, 10, 4, 4, NUC);
    const merged = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(merged).toHaveLength(1);
    rect(m, 25, 5, 1, 20, EDGE);
    const cells = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(cells).toHaveLength(2);
    const [left, right] = cells;
    expect(left).toMatchObject({ nucleusPx: 36, cytoplasmPx: 20 * 20 - 36, edgePx: 20 });
    expect(right).toMatchObject({ nucleusPx: 16, cytoplasmPx: 20 * 20 - 16, edgePx: 20 });
    expect(left.cellPx + right.cellPx).toBe(count(m, CYT) + count(m, NUC));
  });

  it('splits along a diagonal 1-px edge line (no diagonal step between two edge pixels)', () => {
    const m = rect(blank(40, 40), 5, 5, 30, 30, CYT);
    for (let k = 0; k < 30; k++) set(m, 5 + k, 34 - k, EDGE); // anti-diagonal, 8-connected
    rect(m, 8, 8, 5, 5, NUC);
    rect(m, 26, 26, 5, 5, NUC);
    const cells = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(cells).toHaveLength(2);
    expect(cells.reduce((s, c) => s + c.cellPx, 0)).toBe(30 * 30 - 30);
    expect(cells.every((c) => c.edgePx === 30)).toBe(true);
  });

  it('uses the instance map when present', () => {
    const m = rect(blank(40, 20), 2, 2, 36, 16, CYT);
    rect(m, 6, 6, 6, 6, NUC);
    rect(m, 26, 6, 8, 8, NUC);
    const instances = new Uint16Array(40 * 20);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) instances[y * 40 + x] = x < 20 ? 7 : 9;
    const cells = analyzeCells({ ...m, instances }, { pixelsPerMicrometre: ppm });
    expect(cells.map((c) => [c.id, c.nucleusPx, c.cytoplasmPx])).toEqual([
      [7, 36, 18 * 16 - 36],
      [9, 64, 18 * 16 - 64],
    ]);
  });

  it('is 4-connected: cells touching only at a corner are two cells (shared/core/cells)', () => {
    const m = rect(rect(blank(40, 40), 5, 5, 10, 10, CYT), 15, 15, 10, 10, CYT);
    rect(m, 8, 8, 3, 3, NUC);
    const cells = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(cells.map((c) => c.cellPx)).toEqual([100, 100]);
    expect(cells[1].flags.map((f) => f.code)).toContain('no-nucleus');
  });
});

describe('analyzeCells: lobes, fragments, centred cell', () => {
  it('counts nucleus lobes and ignores specks below 5% of the nucleus', () => {
    const m = disc(blank(80, 80), 40, 40, 30, CYT);
    disc(m, 28, 40, 6, NUC);
    disc(m, 44, 30, 6, NUC);
    disc(m, 48, 50, 6, NUC);
    const [c] = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(c.lobes).toBe(3);
    set(m, 40, 62, NUC); // one-pixel speck
    set(m, 40, 63, NUC);
    const [d] = analyzeCells(m, { pixelsPerMicrometre: ppm });
    expect(d.lobes).toBe(3);
    expect(d.nucleusPx).toBe(c.nucleusPx + 2); // the speck still counts into the area
    // Two lobes joined by a thin strand are one 8-connected part.
    rect(m, 44, 30, 1, 21, NUC); // joins the lobes at (44,30) and (48,50)
    expect(analyzeCells(m, { pixelsPerMicrometre: ppm })[0].lobes).toBe(2);
  });

  it('joins a near fragment to its cell and lists a far one as a fragment', () => {
    const m = cell(blank(100, 100), 50, 50, 20, 8);
    rect(m, 72, 50, 2, 2, CYT); // 1-px gap from the cell (x = 70 is its rim)
    rect(m, 90, 90, 3, 3, NUC); // far away
    const total = count(m, CYT) + count(m, NUC);
    const a = analyzeImage(m, { pixelsPerMicrometre: ppm });
    expect(a.cells).toHaveLength(2);
    const [main, far] = a.cells;
    expect(main.fragmentsMerged).toBe(1);
    expect(main.centred).toBe(true);
    expect(main.cellPx).toBe(total - 9);
    expect(far.flags.map((f) => f.code)).toEqual(['fragment']);
    expect(far.cnr).toBeNull();
    expect(far.centred).toBe(false);
    // With a zero merge gap the near piece stays separate.
    const b = analyzeImage(m, { pixelsPerMicrometre: ppm, mergeGapPx: 0 });
    expect(b.cells.filter((c) => c.flags.some((f) => f.code === 'fragment'))).toHaveLength(2);
  });

  it('reports the cell nearest the centre; the others keep their numbers but are not centred', () => {
    const m = cell(blank(120, 120), 30, 30, 22, 10); // big, off-centre
    cell(m, 64, 66, 10, 4); // small, near the centre
    const a = analyzeImage(m, { pixelsPerMicrometre: ppm });
    expect(a.cells).toHaveLength(2);
    const centred = a.cells.filter((c) => c.centred);
    expect(centred).toHaveLength(1);
    expect(centred[0].cellPx).toBeLessThan(500);
    expect(a.centredCellId).toBe(centred[0].id);
    const other = a.cells.find((c) => !c.centred);
    expect(other?.cnr).toBe((other?.cytoplasmPx ?? 0) / (other?.nucleusPx ?? 1));
  });

  it("gives the centred cell's CNR as count(cytoplasm)/count(nucleus) of a single-cell mask exactly", () => {
    // Irregular single cell like the gray3 ground truth: ragged rim and a two-part nucleus.
    const m = blank(120, 120);
    for (let y = 0; y < 120; y++) {
      for (let x = 0; x < 120; x++) {
        const r = 38 + 4 * Math.sin(Math.atan2(y - 60, x - 60) * 7);
        if ((x - 60) ** 2 + (y - 60) ** 2 <= r * r) set(m, x, y, CYT);
      }
    }
    disc(m, 50, 55, 12, NUC);
    disc(m, 72, 66, 9, NUC);
    const c = analyzeCells(m, { pixelsPerMicrometre: ppm }).find((x) => x.centred);
    expect(c?.cnr).toBe(count(m, CYT) / count(m, NUC));
    expect(c?.lobes).toBe(2);
  });
});
