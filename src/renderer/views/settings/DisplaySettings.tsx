// Keyboard preset and overlay look, stored in the project's settings and applied at once.
import { OVERLAY_PALETTES, SHORTCUT_PRESETS, type OverlayPalette, type ShortcutPreset } from '../../../shared/domain';
import { PALETTE_LABEL, paletteCss } from '../../editor/colorize';
import { PRESET_LABEL } from '../../keys/registry';
import { setPreferences, usePreferences, type Preferences } from '../../state/preferences';
import { useTransient } from '../../state/transient';

export function DisplaySettings() {
  const prefs = usePreferences();
  const [status, setStatus] = useTransient<{ ok: boolean; text: string }>();
  const update = async (patch: Partial<Preferences>): Promise<void> => {
    const err = await setPreferences(patch);
    setStatus(err ? { ok: false, text: err } : { ok: true, text: 'Saved.' });
  };
  const css = paletteCss(prefs.overlayPalette);
  return (
    <section className="card" data-testid="display-settings">
      <h2>Keyboard and overlays</h2>
      <label className="field">
        <span>Shortcut preset</span>
        <select value={prefs.shortcutPreset} onChange={(e) => void update({ shortcutPreset: e.target.value as ShortcutPreset })} data-testid="settings-preset">
          {SHORTCUT_PRESETS.map((p) => (
            <option key={p} value={p}>
              {PRESET_LABEL[p]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">Every preset walks images with the arrow keys and A / D, and toggles masks with X and outlines with Z. Press ? in the editor or the gallery for the full list.</p>
      <label className="field">
        <span>Overlay palette</span>
        <select value={prefs.overlayPalette} onChange={(e) => void update({ overlayPalette: e.target.value as OverlayPalette })} data-testid="settings-palette">
          {OVERLAY_PALETTES.map((p) => (
            <option key={p} value={p}>
              {PALETTE_LABEL[p]}
            </option>
          ))}
        </select>
      </label>
      <div className="row palette-preview" aria-label="Palette preview">
        {['cytoplasm', 'nucleus', 'edge'].map((name, i) => (
          <span key={name} className="palette-chip">
            <span className="swatch" style={{ background: css[i + 1] }} /> {name}
          </span>
        ))}
      </div>
      <label className="field">
        <span>Outline width (mask pixels): {prefs.outlineWidth}</span>
        <input type="range" min={1} max={4} step={1} value={prefs.outlineWidth} onChange={(e) => void update({ outlineWidth: Number(e.target.value) })} data-testid="settings-outline-width" />
      </label>
      <label className="field">
        <span>Mask opacity in the editor: {Math.round(prefs.overlayOpacity * 100)} %</span>
        <input type="range" min={0.1} max={1} step={0.05} value={prefs.overlayOpacity} onChange={(e) => void update({ overlayOpacity: Number(e.target.value) })} data-testid="settings-opacity" />
      </label>
      {status && <div className={`banner ${status.ok ? 'ok' : 'error'}`}>{status.text}</div>}
    </section>
  );
}
