import type { Db } from './open-project';
import { DEFAULT_SETTINGS, type ProjectSettings } from '../../shared/domain';

export class SettingsRepo {
  constructor(private readonly db: Db) {}

  get(): ProjectSettings {
    const rows = this.db.prepare('SELECT key, value FROM settings').all() as { key: string; value: string }[];
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
    return { ...DEFAULT_SETTINGS, ...(stored as Partial<ProjectSettings>) };
  }

  set(patch: Partial<ProjectSettings>): ProjectSettings {
    const check: Record<keyof ProjectSettings, (v: number) => boolean> = {
      pixelsPerMicrometre: (v) => v > 0 && v < 1000,
      threshold: (v) => v > 0 && v < 1,
      borderPer128: (v) => v >= 0 && v <= 32,
    };
    for (const [k, v] of Object.entries(patch) as [keyof ProjectSettings, number][]) {
      if (!(k in check)) throw new Error(`unknown setting '${k}'`);
      if (typeof v !== 'number' || !Number.isFinite(v) || !check[k](v)) throw new Error(`invalid value for ${k}: ${String(v)}`);
    }
    this.db.transaction(() => {
      for (const [k, v] of Object.entries(patch)) {
        this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(k, JSON.stringify(v));
      }
    })();
    return this.get();
  }
}
