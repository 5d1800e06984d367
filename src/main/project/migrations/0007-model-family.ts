import type { Migration } from './migration';

/**
 * Model families: every model version records the family that builds it. Every model
 * stored so far is a U-Net (its model.json says format 'hemaseg-unet'), so existing rows
 * are backfilled with 'unet'. Training requests and lineages stored a `unet` config; they
 * become the family spec `{ family: 'unet', config }` so an interrupted run resumes and a
 * lineage reads like a new one. Model files are left as they are: the legacy format stays
 * readable.
 */
export const modelFamily: Migration = {
  version: 7,
  name: 'model families',
  // A read-only reader of an older file takes every model as a U-Net (models-repo.ts).
  optionalWhenReading: ['models.family'],
  up(db) {
    db.exec(`
      ALTER TABLE models ADD COLUMN family TEXT NOT NULL DEFAULT 'unet';
      UPDATE models SET family = 'unet';
    `);
    const toSpec = (request: Record<string, unknown>): Record<string, unknown> => {
      if (!('unet' in request)) return request;
      const { unet, ...rest } = request;
      return { ...rest, model: unet && typeof unet === 'object' ? { family: 'unet', config: unet } : null };
    };
    const runs = db.prepare('SELECT id, config FROM training_runs').all() as { id: number; config: string }[];
    const setRun = db.prepare('UPDATE training_runs SET config = ? WHERE id = ?');
    for (const r of runs) {
      const config = JSON.parse(r.config) as { request?: Record<string, unknown> };
      if (!config.request || !('unet' in config.request)) continue;
      setRun.run(JSON.stringify({ ...config, request: toSpec(config.request) }), r.id);
    }
    const models = db.prepare('SELECT id, lineage FROM models').all() as { id: number; lineage: string }[];
    const setLineage = db.prepare('UPDATE models SET lineage = ? WHERE id = ?');
    for (const m of models) {
      const lineage = JSON.parse(m.lineage) as { hyperparameters?: Record<string, unknown> | null };
      if (!lineage.hyperparameters || !('unet' in lineage.hyperparameters)) continue;
      setLineage.run(JSON.stringify({ ...lineage, hyperparameters: toSpec(lineage.hyperparameters) }), m.id);
    }
  },
};
