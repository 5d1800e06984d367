import { describe, expect, it } from 'vitest';
import { SHORTCUT_PRESETS } from '../../shared/domain';
import { ACTIONS, findAction, keysFor } from './registry';
import { matches } from './shortcuts';

const key = (k: string, code: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k, code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods,
});

describe('shortcut matching', () => {
  it('matches letters and digits by code, punctuation by key, with exact modifiers', () => {
    expect(matches(key('z', 'KeyZ', { ctrlKey: true }), 'mod+z')).toBe(true);
    expect(matches(key('Z', 'KeyZ', { ctrlKey: true, shiftKey: true }), 'mod+z')).toBe(false);
    expect(matches(key('Z', 'KeyZ', { metaKey: true, shiftKey: true }), 'mod+shift+z')).toBe(true);
    expect(matches(key('¡', 'Digit1', { altKey: true }), 'alt+1')).toBe(true);
    expect(matches(key('1', 'Digit1'), 'alt+1')).toBe(false);
    expect(matches(key('[', 'BracketLeft'), '[')).toBe(true);
    expect(matches(key('PageDown', 'PageDown'), 'pagedown')).toBe(true);
    expect(matches(key('ArrowRight', 'ArrowRight'), 'arrowright')).toBe(true);
  });
});

describe('the action registry', () => {
  it('maps the HemaSeg keys to actions', () => {
    const h = 'hemaseg' as const;
    expect(findAction(key('3', 'Digit3'), 'editor', h)?.id).toBe('class.2');
    expect(findAction(key('3', 'Digit3', { altKey: true }), 'editor', h)?.id).toBe('difficulty.3');
    expect(findAction(key('3', 'Digit3', { altKey: true }), 'gallery', h)?.id).toBe('difficulty.3');
    expect(findAction(key('3', 'Digit3'), 'gallery', h)).toBeNull();
    expect(findAction(key('e', 'KeyE'), 'editor', h)?.id).toBe('tool.eraser');
    expect(findAction(key('E', 'KeyE', { shiftKey: true }), 'editor', h)?.id).toBe('edges.derive');
    expect(findAction(key('s', 'KeyS', { ctrlKey: true }), 'editor', h)?.id).toBe('save');
    expect(findAction(key('.', 'Period'), 'editor', h)?.id).toBe('image.next');
    for (const scope of ['editor', 'gallery'] as const) {
      expect(findAction(key('ArrowRight', 'ArrowRight'), scope, h)?.id).toBe('image.next');
      expect(findAction(key('d', 'KeyD'), scope, h)?.id).toBe('image.next');
      expect(findAction(key('a', 'KeyA'), scope, h)?.id).toBe('image.previous');
      expect(findAction(key('ArrowLeft', 'ArrowLeft'), scope, h)?.id).toBe('image.previous');
      expect(findAction(key('x', 'KeyX'), scope, h)?.id).toBe('view.overlay');
      expect(findAction(key('z', 'KeyZ'), scope, h)?.id).toBe('view.outline');
    }
  });

  it('follows Cellpose and napari habits in their presets', () => {
    expect(findAction(key(',', 'Comma'), 'editor', 'cellpose')?.id).toBe('brush.smaller');
    expect(findAction(key('.', 'Period'), 'editor', 'cellpose')?.id).toBe('brush.larger');
    expect(findAction(key('d', 'KeyD'), 'editor', 'cellpose')?.id).toBe('image.next');
    expect(findAction(key('f', 'KeyF'), 'editor', 'napari')?.id).toBe('tool.bucket');
    expect(findAction(key('p', 'KeyP'), 'editor', 'napari')?.id).toBe('tool.brush');
    expect(findAction(key('f', 'KeyF'), 'editor', 'hemaseg')?.id).toBe('view.fit');
  });

  it('has no key bound to two actions of one view in any preset, and every action has a key', () => {
    for (const preset of SHORTCUT_PRESETS) {
      for (const scope of ['editor', 'gallery'] as const) {
        const keys = ACTIONS.filter((a) => a.scopes.includes(scope)).flatMap((a) => keysFor(a.id, preset).map((k) => `${k}`));
        const dupes = keys.filter((k, i) => keys.indexOf(k) !== i);
        expect(dupes, `${preset}/${scope}`).toEqual([]);
      }
      for (const a of ACTIONS) expect(keysFor(a.id, preset).length, `${preset}: ${a.id}`).toBeGreaterThan(0);
    }
  });
});
