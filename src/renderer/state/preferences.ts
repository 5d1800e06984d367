// Display and keyboard preferences stored in the project's settings (so they survive the web
// host's per-session address): shortcut preset, overlay palette, outline width, opacity.
import { DEFAULT_SETTINGS, type ProjectSettings } from '../../shared/domain';
import { api, errorText } from './api';
import { currentProject, refreshProject, setProject, useProjectState } from './project';

export type Preferences = Pick<ProjectSettings, 'shortcutPreset' | 'overlayPalette' | 'outlineWidth' | 'overlayOpacity'>;

export function usePreferences(): Preferences {
  const { project } = useProjectState();
  const s = { ...DEFAULT_SETTINGS, ...(project?.settings ?? {}) };
  return { shortcutPreset: s.shortcutPreset, overlayPalette: s.overlayPalette, outlineWidth: s.outlineWidth, overlayOpacity: s.overlayOpacity };
}

/** Store preferences; resolves with an error text on failure (null on success). */
export async function setPreferences(patch: Partial<Preferences>): Promise<string | null> {
  try {
    const settings = await api.call('settings.set', patch);
    const project = currentProject();
    if (project) setProject({ ...project, settings });
    else void refreshProject();
    return null;
  } catch (e) {
    return errorText(e);
  }
}
