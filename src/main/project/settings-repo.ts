import type { Db } from './open-project';
import { DEFAULT_SETTINGS, OVERLAY_PALETTES, SHORTCUT_PRESETS, type ProjectSettings } from '../../shared/domain';

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  get(): ProjectSettings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    return { ...DEFAULT_SETTINGS, ...(stored as Partial<ProjectSettings>) };
  }

  set(patch: Partial<ProjectSettings>): ProjectSettings {
    const num = (ok: (v: number) => boolean) => (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v) && ok(v);
    const check: Record<keyof ProjectSettings, (v: unknown) => boolean> = {
      pixelsPerMicrometre: num((v) => v > 0 && v < 1000),
      threshold: num((v) => v > 0 && v < 1),
      borderPer128: num((v) => v >= 0 && v <= 32),
      maxMegapixels: num((v) => v >= 0.01 && v <= 1000),
      // name@version; whether the version exists is checked where it is set (models.setDefault).
      defaultModel: (v) => v === null || (typeof v === 'string' && /^[^@\s]+@\d+$/.test(v)),
      reviewThreshold: num((v) => v > 0 && v <= 1),
      shortcutPreset: (v) => (SHORTCUT_PRESETS as readonly unknown[]).includes(v),
      overlayPalette: (v) => (OVERLAY_PALETTES as readonly unknown[]).includes(v),
      outlineWidth: num((v) => v >= 1 && v <= 6),
      overlayOpacity: num((v) => v >= 0 && v <= 1),
      lastFolder: (v) => v === null || (typeof v === 'string' && v.length > 0 && v.length < 4096),
    };
    for (const [k, v] of Object.entries(patch) as [keyof ProjectSettings, unknown][]) {
      if (!(k in check)) throw new Error(`unknown setting '${k}'`);
      if (!check[k](v)) throw new Error(`invalid value for ${k}: ${String(v)}`);
    }
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(patch)) {
        this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(k, JSON.stringify(v));
      }
    }).immediate();
    return this.get();
  }
}
