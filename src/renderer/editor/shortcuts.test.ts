import { describe, expect, it } from 'vitest';
import { EDITOR_ACTIONS, findAction } from './actions';
import { colorize, CLASS_COLORS } from './colorize';
import { matches } from './shortcuts';

const key = (k: string, code: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k, code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods,
});

describe('shortcuts', () => {
  it('matches letters and digits by code, punctuation by key, with exact modifiers', () => {
    expect(matches(key('z', 'KeyZ', { ctrlKey: true }), 'mod+z')).toBe(true);
    expect(matches(key('Z', 'KeyZ', { ctrlKey: true, shiftKey: true }), 'mod+z')).toBe(false);
    expect(matches(key('Z', 'KeyZ', { metaKey: true, shiftKey: true }), 'mod+shift+z')).toBe(true);
    expect(matches(key('¡', 'Digit1', { altKey: true }), 'alt+1')).toBe(true);
    expect(matches(key('1', 'Digit1'), 'alt+1')).toBe(false);
    expect(matches(key('[', 'BracketLeft'), '[')).toBe(true);
    expect(matches(key('PageDown', 'PageDown'), 'pagedown')).toBe(true);
  });

  it('maps the editor keys to actions without conflicts', () => {
    expect(findAction(key('3', 'Digit3'))?.id).toBe('class.2');
    expect(findAction(key('3', 'Digit3', { altKey: true }))?.id).toBe('difficulty.3');
    expect(findAction(key('e', 'KeyE'))?.id).toBe('tool.eraser');
    expect(findAction(key('E', 'KeyE', { shiftKey: true }))?.id).toBe('edges.derive');
    expect(findAction(key('s', 'KeyS', { ctrlKey: true }))?.id).toBe('save');
    expect(findAction(key('.', 'Period'))?.id).toBe('image.next');
    // Every shortcut belongs to exactly one action.
    const all = EDITOR_ACTIONS.flatMap((a) => a.keys.map((k) => `${k}`));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('colorize', () => {
  it('fills class colours, leaves background transparent, outline mode keeps boundaries only', () => {
    const mask = { width: 3, height: 3, labels: Uint8Array.from([2, 2, 2, 2, 2, 2, 2, 2, 2]) };
    const out = new Uint8ClampedArray(9 * 4);
    colorize(mask, out, { x0: 0, y0: 0, x1: 3, y1: 3 }, { outline: false });
    expect([...out.slice(16, 20)]).toEqual([...CLASS_COLORS[2], 255]);
    colorize(mask, out, { x0: 0, y0: 0, x1: 3, y1: 3 }, { outline: true });
    // A uniform region has no internal boundary (the image border is not one).
    expect(out[16 + 3]).toBe(0);
    const ring = { width: 3, height: 3, labels: Uint8Array.from([1, 1, 1, 1, 2, 1, 1, 1, 1]) };
    colorize(ring, out, { x0: 0, y0: 0, x1: 3, y1: 3 }, { outline: true });
    expect(out[16 + 3]).toBe(255);
    expect(out[0 + 3]).toBe(0);
    expect(out[4 + 3]).toBe(255);
  });
});
