// One definition of a cell: SEG (metrics), the CNR report's cell analysis and the editor's
// instance derivation must count the same cells, split the same way, on the same mask.
import { describe, expect, it } from 'vitest';
import { LABEL, type LabelMap } from '../domain';
import { cellInstances, withContourEdges } from './cells';
import { segDetail } from '../../main/metrics/instances';
import { analyzeImage } from '../../main/reports/analyzeCells';
import { EditorSession } from '../../renderer/editor/session';

const W = 80, H = 64;

function fill(m: LabelMap, x0: number, y0: number, w: number, h: number, v: number, ids?: Uint16Array, id = 0): void {
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      m.labels[y * W + x] = v;
      if (ids) ids[y * W + x] = id;
    }
  }
}

/**
 * Six cells, stored without an instance map (as a gray3 import or a plain prediction would be):
 * - A and B touch along a line; each has its 1-px contour (edge) on the contact;
 * - C and D touch only at one corner (no edge pixels at all);
 * - E and F are one block of cytoplasm cut by a 1-px edge line drawn in diagonal steps.
 */
function touchingCells(): LabelMap {
  const m: LabelMap = { width: W, height: H, labels: new Uint8Array(W * H) };
  const ids = new Uint16Array(W * H);
  fill(m, 4, 4, 15, 15, LABEL.cytoplasm, ids, 1);
  fill(m, 19, 4, 15, 15, LABEL.cytoplasm, ids, 2);
  fill(m, 8, 8, 5, 5, LABEL.nucleus);
  fill(m, 24, 8, 5, 5, LABEL.nucleus);
  m.labels.set(withContourEdges(m.labels, ids, W, H));
  fill(m, 40, 4, 12, 12, LABEL.cytoplasm);
  fill(m, 52, 16, 12, 12, LABEL.cytoplasm);
  fill(m, 43, 7, 4, 4, LABEL.nucleus);
  fill(m, 56, 20, 4, 4, LABEL.nucleus);
  fill(m, 4, 34, 30, 26, LABEL.cytoplasm);
  for (let k = 0; k < 26; k++) m.labels[(59 - k) * W + 4 + k] = LABEL.edge; // x + y = 63, 8-connected
  fill(m, 9, 38, 4, 4, LABEL.nucleus);
  fill(m, 26, 52, 4, 4, LABEL.nucleus);
  return m;
}

/** True when two id maps split the pixels where `where` holds into the same groups. */
function samePartition(a: ArrayLike<number>, b: ArrayLike<number>, where: (i: number) => boolean): boolean {
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if (!where(i)) continue;
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

describe('one definition of a cell', () => {
  const mask = touchingCells();
  const core = cellInstances(mask);
  const inside = (i: number): boolean => mask.labels[i] === LABEL.cytoplasm || mask.labels[i] === LABEL.nucleus;
  const cellPixel = (i: number): boolean => mask.labels[i] !== LABEL.background;

  it('the core finds six cells: touching, corner-touching and split by a diagonal edge line', () => {
    expect(core.count).toBe(6);
  });

  it('SEG counts the same cells and scores the mask against itself 1', () => {
    const d = segDetail(mask, mask);
    expect(d.truthObjects).toBe(6);
    expect(d.predObjects).toBe(6);
    expect(d.seg).toBe(1);
  });

  it('the CNR report analyses the same cells, split the same way', () => {
    const a = analyzeImage(mask, { pixelsPerMicrometre: 1 });
    expect(a.cells).toHaveLength(6);
    expect(a.cells.every((c) => c.nucleusPx > 0 && !c.flags.some((f) => f.code === 'fragment'))).toBe(true);
    expect(samePartition(a.cellIds, core.ids, inside)).toBe(true);
  });

  it("the editor's instances are the same cells, edge pixels included", () => {
    const s = new EditorSession(mask);
    expect(s.derivedInstances).toBe(true);
    expect(new Set([...s.buf.instances].filter((v) => v !== 0)).size).toBe(6);
    expect(samePartition(s.buf.instances, core.ids, cellPixel)).toBe(true);
    // Renumbering from the labels gives the same cells again.
    s.renumberInstances();
    expect(samePartition(s.buf.instances, core.ids, cellPixel)).toBe(true);
  });

  it('an instance map is read the same way by all three', () => {
    const instances = Uint16Array.from(core.ids, (v) => (v ? v * 10 : 0));
    const withMap = { ...mask, instances };
    expect(segDetail(withMap, mask).seg).toBe(1);
    const a = analyzeImage(withMap, { pixelsPerMicrometre: 1 });
    expect(a.cells.map((c) => c.id).sort((x, y) => x - y)).toEqual([10, 20, 30, 40, 50, 60]);
    const s = new EditorSession(withMap);
    expect(s.derivedInstances).toBe(false);
    expect([...s.buf.instances]).toEqual([...instances]);
  });
});
