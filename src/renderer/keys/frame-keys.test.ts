// The sequence frame actions (issue 13.1): bound in every preset, editor only, without
// taking a key of another editor action.
import { describe, expect, it } from 'vitest';
import { SHORTCUT_PRESETS } from '../../shared/domain';
import { ACTIONS, findAction, keysFor } from './registry';

const key = (k: string, code: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key: k, code, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods,
});

describe('frame keys', () => {
  it('< and > (and Alt+arrows) step frames in every preset; play, onion skin and copy have keys', () => {
    for (const preset of SHORTCUT_PRESETS) {
      expect(findAction(key('>', 'Period', { shiftKey: true }), 'editor', preset)?.id, preset).toBe('frame.next');
      expect(findAction(key('<', 'Comma', { shiftKey: true }), 'editor', preset)?.id, preset).toBe('frame.previous');
      expect(findAction(key('ArrowRight', 'ArrowRight', { altKey: true }), 'editor', preset)?.id).toBe('frame.next');
      expect(findAction(key('ArrowLeft', 'ArrowLeft', { altKey: true }), 'editor', preset)?.id).toBe('frame.previous');
      expect(findAction(key('π', 'KeyP', { altKey: true }), 'editor', preset)?.id).toBe('frame.play');
      expect(findAction(key('O', 'KeyO', { shiftKey: true }), 'editor', preset)?.id).toBe('frame.onion');
      expect(findAction(key('C', 'KeyC', { shiftKey: true }), 'editor', preset)?.id).toBe('frame.copyPrevious');
      // The image keys still walk images.
      expect(findAction(key('ArrowRight', 'ArrowRight'), 'editor', preset)?.id).toBe('image.next');
      for (const id of ['frame.next', 'frame.previous', 'frame.play', 'frame.onion', 'frame.copyPrevious']) expect(keysFor(id, preset).length).toBeGreaterThan(0);
    }
    // Cellpose's , and . stay brush sizes.
    expect(findAction(key(',', 'Comma'), 'editor', 'cellpose')?.id).toBe('brush.smaller');
    // Frame actions are the editor's only, grouped for the help sheet.
    const frameActions = ACTIONS.filter((a) => a.id.startsWith('frame.'));
    expect(frameActions.every((a) => a.group === 'Frames' && a.scopes.length === 1 && a.scopes[0] === 'editor')).toBe(true);
    expect(findAction(key('>', 'Period', { shiftKey: true }), 'gallery', 'hemaseg')).toBeNull();
  });
});
