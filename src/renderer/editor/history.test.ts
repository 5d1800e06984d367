import { describe, expect, it } from 'vitest';
import { capture, History, restore, sameContent, TILE } from './history';
import { emptyBuffer } from './mask-buffer';
import { click, drag, session, toAscii } from './test-utils';

describe('snapshots', () => {
  it('share unchanged tiles and restore exactly', () => {
    const buf = emptyBuffer(200, 150);
    const a = capture(buf);
    buf.labels[5 + 5 * 200] = 2;
    buf.instances[5 + 5 * 200] = 7;
    const b = capture(buf, a);
    const changed = b.labelTiles.filter((t, k) => t !== a.labelTiles[k]).length;
    expect(changed).toBe(1);
    expect(b.instanceTiles.filter((t, k) => t !== a.instanceTiles[k]).length).toBe(1);
    expect(Object.isFrozen(b)).toBe(true);
    expect(sameContent(capture(buf, b), b)).toBe(true);
    // Edge tiles are partial (200 = 3 * 64 + 8).
    expect(b.labelTiles[3].length).toBe((200 - 3 * TILE) * TILE);
    const out = emptyBuffer(200, 150);
    restore(b, out);
    expect(out.labels).toEqual(buf.labels);
    expect(out.instances).toEqual(buf.instances);
    restore(a, out);
    expect(out.labels.every((v) => v === 0)).toBe(true);
  });
});

describe('History', () => {
  it('undo, redo, and a new step drops the redo branch', () => {
    const buf = emptyBuffer(4, 4);
    const h = new History(capture(buf));
    buf.labels[0] = 1;
    expect(h.push(capture(buf, h.current.snapshot), 'one')).toBe(true);
    expect(h.push(capture(buf, h.current.snapshot), 'no change')).toBe(false);
    buf.labels[1] = 1;
    h.push(capture(buf, h.current.snapshot), 'two');
    expect(h.undo()?.label).toBe('one');
    expect(h.canRedo()).toBe(true);
    buf.labels[2] = 2;
    h.push(capture(buf, h.current.snapshot), 'three');
    expect(h.canRedo()).toBe(false);
    expect(h.list().map((e) => e.label)).toEqual(['Start', 'one', 'three']);
  });

  it('keeps the start entry when trimming to the limit', () => {
    const buf = emptyBuffer(2, 2);
    const h = new History(capture(buf), 3);
    for (let i = 1; i <= 5; i++) {
      buf.labels[0] = i % 4;
      buf.labels[1] = i;
      h.push(capture(buf, h.current.snapshot), `step ${i}`);
    }
    expect(h.list().map((e) => e.label)).toEqual(['Start', 'step 4', 'step 5']);
    expect(h.position).toBe(2);
  });
});

describe('session undo/redo across tools', () => {
  it('walks back and forth through brush, fill and erase steps, tracking unsaved changes', () => {
    const s = session({ width: 6, height: 4 });
    s.setBrushSize(1);
    drag(s, [[0.5, 0.5], [5.5, 0.5]]);
    const afterBrush = toAscii(s.buf);
    s.setTool('bucket');
    s.setClass(2);
    click(s, 0.5, 3.5);
    const afterFill = toAscii(s.buf);
    expect(afterFill).toEqual(['cccccc', 'nnnnnn', 'nnnnnn', 'nnnnnn']);
    expect(s.isDirty).toBe(true);
    s.markSaved();
    expect(s.isDirty).toBe(false);

    expect(s.undo()).toBe(true);
    expect(toAscii(s.buf)).toEqual(afterBrush);
    expect(s.isDirty).toBe(true);
    expect(s.undo()).toBe(true);
    expect(s.buf.labels.every((v) => v === 0)).toBe(true);
    expect(s.undo()).toBe(false);
    expect(s.redo()).toBe(true);
    expect(s.redo()).toBe(true);
    expect(toAscii(s.buf)).toEqual(afterFill);
    expect(s.isDirty).toBe(false);
    expect(s.redo()).toBe(false);
    // The instance map is part of the history too.
    expect(s.buf.instances[0]).toBe(1);
    s.undo();
    s.undo();
    expect(s.buf.instances[0]).toBe(0);
  });

  it('replaceAll (start from another source) is one undoable step', () => {
    const s = session({ width: 3, height: 1 });
    s.replaceAll({ width: 3, height: 1, labels: new Uint8Array([1, 2, 0]) }, 'Start from prediction');
    expect(toAscii(s.buf)).toEqual(['cn.']);
    expect(s.buf.instances[0]).toBe(1);
    s.undo();
    expect(toAscii(s.buf)).toEqual(['...']);
  });
});
