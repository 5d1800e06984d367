import { describe, expect, it } from 'vitest';
import { deriveEdges, instancesFromComponents, splitInstance } from './instances';
import { emptyBuffer, type MaskBuffer } from './mask-buffer';
import { fromAscii, instancesAscii, session, toAscii } from './test-utils';

function buffer(rows: string[]): MaskBuffer {
  const m = fromAscii(rows);
  const buf = emptyBuffer(m.width, m.height);
  buf.labels.set(m.labels);
  if (m.instances) buf.instances.set(m.instances);
  else instancesFromComponents(buf);
  return buf;
}

describe('instances from components', () => {
  it('numbers 4-connected cells and gives edge pixels to their cell', () => {
    const buf = buffer(['cc..n', 'cc.nn', '.e...', 'c....']);
    expect(instancesAscii(buf)).toEqual(['11..2', '11.22', '.1...', '3....']);
  });

  it('diagonal contact does not join cells', () => {
    const buf = buffer(['c.', '.c']);
    expect(instancesAscii(buf)).toEqual(['1.', '.2']);
  });
});

describe('edge derivation', () => {
  it('marks the 1-px contour of each cell and restores interior when cells merge', () => {
    const buf = buffer(['........', '.111222.', '.111222.', '.111222.', '........']);
    deriveEdges(buf);
    expect(toAscii(buf)).toEqual(['........', '.eeeeee.', '.eceece.', '.eeeeee.', '........']);
    // Merge the instances by hand and derive again: the shared boundary becomes cytoplasm.
    buf.instances.forEach((v, i) => {
      if (v === 2) buf.instances[i] = 1;
    });
    deriveEdges(buf);
    expect(toAscii(buf)).toEqual(['........', '.eeeeee.', '.ecccce.', '.eeeeee.', '........']);
  });

  it('keeps nucleus inside, turns contour nucleus into edge, ignores the image border', () => {
    const buf = buffer(['nnnc.', 'nnnc.', 'nnnc.']);
    deriveEdges(buf);
    // Image border is not a contour; the right side facing background is.
    expect(toAscii(buf)).toEqual(['nnne.', 'nnne.', 'nnne.']);
  });

  it('via the session: derive edges is an undoable step, auto edges re-derive after each step', () => {
    const s = session(fromAscii(['.....', '.111.', '.111.', '.111.', '.....']));
    s.deriveEdgesNow();
    expect(toAscii(s.buf)).toEqual(['.....', '.eee.', '.ece.', '.eee.', '.....']);
    s.undo();
    expect(toAscii(s.buf)[1]).toBe('.ccc.');
    s.setAutoEdges(true);
    s.setBrushSize(1);
    s.pointerDown({ x: 4.5, y: 2.5, button: 0, shift: false, ctrl: false, alt: false });
    s.pointerUp({ x: 4.5, y: 2.5, button: 0, shift: false, ctrl: false, alt: false });
    // The painted pixel joined the cell; the contour moved out to include it.
    expect(toAscii(s.buf)).toEqual(['.....', '.eee.', '.ecce', '.eee.', '.....']);
  });
});

describe('split along a polyline', () => {
  it('a bent cut cuts a corner off an L-shaped cell; cut pixels join a neighbouring piece', () => {
    const buf = buffer(['11111', '11111', '11...', '11...']);
    const r = splitInstance(buf, [2.5, -0.5, 2.5, 1.5, 5.5, 1.5]);
    expect(r?.pieces).toEqual([1, 2]);
    expect(instancesAscii(buf)).toEqual(['11122', '11111', '11...', '11...']);
  });

  it('a cut through three arms makes three pieces', () => {
    const buf = buffer(['11111', '11111', '11...', '11...']);
    expect(splitInstance(buf, [2.5, -0.5, 2.5, 1.5, -0.5, 1.5])?.pieces.length).toBe(3);
  });
});
