import { describe, expect, it } from 'vitest';
import { cellInstances, connectedComponents, withContourEdges } from './cells';
import { flattenEdges } from './labels';

/** '.' background, 'c' cytoplasm, 'n' nucleus, 'e' edge. */
function mask(rows: string[], instances?: number[]): { width: number; height: number; labels: Uint8Array; instances?: Uint16Array } {
  const width = rows[0].length;
  const labels = Uint8Array.from(rows.join(''), (ch) => '.cne'.indexOf(ch));
  return { width, height: rows.length, labels, ...(instances ? { instances: Uint16Array.from(instances) } : {}) };
}

function idRows(ids: Int32Array, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i += width) out.push([...ids.subarray(i, i + width)].map((v) => (v ? String(v) : '.')).join(''));
  return out;
}

describe('cellInstances: the one definition of a cell', () => {
  it('joins cytoplasm and nucleus 4-connected; a corner contact is two cells', () => {
    const m = mask(['cc..', 'cn..', '..cc', '..cc']);
    const { ids, count } = cellInstances(m);
    expect(count).toBe(2);
    expect(idRows(ids, 4)).toEqual(['11..', '11..', '..22', '..22']);
  });

  it('an edge line with diagonal steps keeps the cells on either side apart', () => {
    // The edge runs from bottom-left to top-right in diagonal steps (8-connected only).
    const m = mask(['ccce.', 'ccecc', 'cecc.', 'eccc.']);
    const { ids, count } = cellInstances(m);
    expect(count).toBe(2);
    expect(idRows(ids, 5)).toEqual(['1111.', '11122', '1122.', '1222.']);
  });

  it('gives each edge pixel to its nearest cell, through edge pixels; stray edges belong to no cell', () => {
    const m = mask(['eeeeeee', 'eccecce', 'eeeeeee', '.......', 'e......']);
    const { ids, count } = cellInstances(m);
    expect(count).toBe(2);
    // The middle column of edge (x=3) is one step from both cells: the tie goes to the cell
    // met first in raster order (the left one).
    expect(idRows(ids, 7)).toEqual(['1111222', '1111222', '1111222', '.......', '.......']);
    // An edge ring with nothing inside is no cell.
    expect(cellInstances(mask(['eee', 'e.e', 'eee'])).count).toBe(0);
  });

  it('keeps an instance map, completes what it leaves out, ignores ids on background', () => {
    const m = mask(['cc.cc', 'cc.cc'], [7, 7, 9, 0, 0, 7, 7, 0, 0, 0]);
    const kept = cellInstances(m, { keepIds: true });
    expect(kept.count).toBe(2);
    expect(kept.largestMapId).toBe(7);
    expect(idRows(kept.ids, 5)).toEqual(['77.88', '77.88']);
    const compact = cellInstances(m);
    expect(idRows(compact.ids, 5)).toEqual(['11.22', '11.22']);
    expect(compact.largestMapId).toBe(0);
  });

  it('refuses an instance map of the wrong size', () => {
    expect(() => cellInstances({ width: 2, height: 1, labels: Uint8Array.of(1, 1), instances: Uint16Array.of(1) })).toThrow(/instance map has 1 ids, expected 2/);
  });
});

describe('contour edges and folding', () => {
  it('marks the 4-neighbour contour of each cell, not the image border', () => {
    const m = mask(['cccc.', 'cccc.', 'cccc.']);
    const { ids } = cellInstances({ ...m, instances: Uint16Array.from([1, 1, 2, 2, 0, 1, 1, 2, 2, 0, 1, 1, 2, 2, 0]) }, { keepIds: true });
    const e = withContourEdges(m.labels, ids, 5, 3);
    expect([...e].map((v) => '.cne'[v]).join('')).toBe('ceee.ceee.ceee.');
  });

  it('folds edge pixels into the majority class around them', () => {
    const m = mask(['nnn', 'nen', 'ccc']);
    expect(flattenEdges(m)[4]).toBe(2);
  });
});

describe('connectedComponents', () => {
  it('labels 4- or 8-connected sets in raster order with sizes', () => {
    const set = Uint8Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
    expect(connectedComponents(3, 3, (i) => set[i] === 1, 4).count).toBe(3);
    const eight = connectedComponents(3, 3, (i) => set[i] === 1, 8);
    expect(eight.count).toBe(1);
    expect(eight.sizes).toEqual([0, 3]);
  });
});
