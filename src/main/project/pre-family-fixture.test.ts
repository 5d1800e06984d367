// A project file made by HemaSeg before model families (schema 6, fixtures/pre-family-v6.hemaseg:
// 6 generated smears, U-Nets tiny@1 (multiclass-edge, 'fit') and tinybin@1 (binary,
// 'squash'), predictions of both on the test images, made with that release's CLI) opens,
// upgrades to the family schema, lists its models as U-Nets, and segments exactly as then.
// fixtures/pre-family-export is tiny@1 exported by that release (model.json 'hemaseg-unet' v1).
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from './project';
import { LATEST_SCHEMA } from './migrations/index';
import { tempDir } from '../testing/fixtures';
import { runSegmentation } from '../ml/inference/segment-service';
import { importModelFolder, readModelFolder, writeModelFolder } from '../ml/registry/model-folder';

const FIXTURES = join(__dirname, 'fixtures');

function openCopy(): Project {
  const file = join(tempDir('hemaseg-prefamily-'), 'old.hemaseg');
  copyFileSync(join(FIXTURES, 'pre-family-v6.hemaseg'), file);
  return Project.open(file);
}

describe('a project file from before model families', () => {
  it('opens, upgrades, and lists its models as U-Nets with their stored configs', () => {
    const p = openCopy();
    try {
      expect(p.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA);
      const models = p.models.list();
      expect(models.map((m) => [m.ref, m.family, m.task])).toEqual([
        ['tiny@1', 'unet', 'multiclass-edge'],
        ['tinybin@1', 'unet', 'binary'],
      ]);
      // Every stored field is kept (inputMode was dropped from listings before).
      expect(models[0].config).toEqual({ task: 'multiclass-edge', inputSize: 32, depth: 2, baseFilters: 4, dropout: 0.5, inChannels: 3, inputMode: 'fit' });
      expect(models[1].config).toMatchObject({ task: 'binary', inputMode: 'squash' });
      expect(models[0].arch).toBe('32px d2 f4');
      expect(models[0].paramCount).toBe(8_376); // unetParamCount, checked against the built network in families/unet/unet.test.ts
      // Stored requests and lineages now name the family (an interrupted run would resume).
      const run = p.runs.get(1)!;
      expect(run.config.request.model).toEqual({ family: 'unet', config: expect.objectContaining({ task: 'multiclass-edge', inputSize: 32 }) });
      expect(run.config.request).not.toHaveProperty('unet');
      const lineage = p.models.load(models[0].id)!.lineage!;
      expect(lineage.hyperparameters?.model?.family).toBe('unet');
    } finally {
      p.close();
    }
  });

  it('opens read-only without upgrading, its models listed as U-Nets', () => {
    const file = join(tempDir('hemaseg-prefamily-'), 'ro.hemaseg');
    copyFileSync(join(FIXTURES, 'pre-family-v6.hemaseg'), file);
    const p = Project.open(file, { readonly: true });
    try {
      expect(p.db.pragma('user_version', { simple: true })).toBe(6);
      expect(p.models.list().map((m) => [m.ref, m.family, m.arch])).toEqual([
        ['tiny@1', 'unet', '32px d2 f4'],
        ['tinybin@1', 'unet', '32px d2 f4'],
      ]);
      expect(p.models.resolve('tiny').ref).toBe('tiny@1');
    } finally {
      p.close();
    }
  });

  it('segments with its models exactly as the release that made it did', async () => {
    const p = openCopy();
    try {
      for (const [ref, engine] of [['tiny@1', 'tfjs'], ['tinybin@1', 'onnx']] as const) {
        const ids = [...p.masks.currentInSplit('test', 'prediction', ref).keys()];
        expect(ids.length, ref).toBe(2);
        const oldVersion = new Map(ids.map((id) => [id, p.masks.current(id, 'prediction', ref)!.id]));
        const before = new Map(ids.map((id) => [id, p.masks.load(oldVersion.get(id)!)!]));
        const r = await runSegmentation(p, { model: ref, threshold: 0.5, target: { kind: 'project', images: 'test' }, engine }, { author: 'test' });
        expect(r.segmented, ref).toBe(2);
        for (const id of ids) {
          const now = p.masks.current(id, 'prediction', ref)!;
          expect(now.id, 'a new prediction version').not.toBe(oldVersion.get(id));
          const old = before.get(id)!;
          const mask = p.masks.load(now.id)!;
          expect([mask.width, mask.height]).toEqual([old.width, old.height]);
          expect(Buffer.from(mask.labels).equals(Buffer.from(old.labels)), `${ref} image ${id}`).toBe(true);
        }
      }
    } finally {
      p.close();
    }
  }, 120_000);

  it('imports a model folder exported before families, and exports it with its family', () => {
    const p = Project.open(join(tempDir('hemaseg-prefamily-'), 'new.hemaseg'), { create: true });
    try {
      const r = importModelFolder(p, join(FIXTURES, 'pre-family-export'));
      expect([r.model.ref, r.model.family, r.model.arch]).toEqual(['tiny@1', 'unet', '32px d2 f4']);
      const out = join(tempDir('hemaseg-prefamily-'), 'again');
      writeModelFolder(out, p.models.load(r.model.id)!);
      const back = readModelFolder(out);
      expect(back.family).toBe('unet');
      expect(back.metadata?.family).toBe('unet');
      expect(back.metadata?.formatVersion).toBe(2);
    } finally {
      p.close();
    }
  });
});
