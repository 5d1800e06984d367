// The display and keyboard preferences the renderer keeps per project (issue 16).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Project } from './project';
import { tempDir } from '../testing/fixtures';

describe('display settings', () => {
  it('stores the shortcut preset, palette, outline width and opacity, and refuses bad values', () => {
    const path = join(tempDir(), 'p.hemaseg');
    const p = Project.open(path, { create: true });
    expect(p.settings.get()).toMatchObject({ shortcutPreset: 'hemaseg', overlayPalette: 'default', outlineWidth: 1, overlayOpacity: 0.55 });
    p.settings.set({ shortcutPreset: 'napari', overlayPalette: 'colorblind', outlineWidth: 3, overlayOpacity: 0.8 });
    expect(() => p.settings.set({ shortcutPreset: 'vim' as never })).toThrow(/shortcutPreset/);
    expect(() => p.settings.set({ overlayPalette: 'neon' as never })).toThrow(/overlayPalette/);
    expect(() => p.settings.set({ outlineWidth: 0 })).toThrow(/outlineWidth/);
    expect(() => p.settings.set({ overlayOpacity: 1.5 })).toThrow(/overlayOpacity/);
    p.close();
    const again = Project.open(path);
    expect(again.settings.get()).toMatchObject({ shortcutPreset: 'napari', overlayPalette: 'colorblind', outlineWidth: 3, overlayOpacity: 0.8 });
    again.close();
  });
});
