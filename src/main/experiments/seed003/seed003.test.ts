// `experiment seed003` end to end on generated cells of several sizes (tiny network, seconds
// of training): folds x learning rates models, per-fold comparisons, the held-out test split
// never trained on, the splits restored; too little data refused before any project exists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../../project/project';
import { tempDir } from '../../testing/fixtures';
import { makeSizedFolder } from '../seed-common/seed-fixtures';
import { SeedInputError } from '../seed-common/seed-folder';
import { runSeed003, type Seed003Options, type Seed003Result } from './seed003';
import { formatSeed003Report } from './seed003-table';

const TINY: Seed003Options['network'] = {
  model: { family: 'deconvnet', config: { task: 'binary', inputSize: 32, poolings: '2,2', decoder: 'unpool', baseFilters: 4, maxFilters: 8, dropout: 0 } },
  batch: 8,
  epochs: 2,
};

let folder: string;
let projectPath: string;
let r: Seed003Result;
let splitsBefore: Map<number, string>;

beforeAll(async () => {
  folder = tempDir('hemaseg-seed003data-');
  const sizes: [number, number][] = Array.from({ length: 16 }, (_, k) => (k % 3 === 0 ? [32, 32] : k % 3 === 1 ? [28, 32] : [32, 24]));
  await makeSizedFolder(folder, sizes, 5);
  projectPath = join(tempDir('hemaseg-seed003proj-'), 'cv.hemaseg');
  r = await runSeed003({ folder, projectPath, folds: 2, lrs: [1e-2, 1e-3], minutes: 0.05, seed: 1, network: TINY });
  const p = Project.open(projectPath);
  splitsBefore = new Map(p.images.list().map((i) => [i.id, i.split]));
  p.close();
}, 180_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('experiment seed003', () => {
  it('trains one model per fold and learning rate, each scored on its own fold only', () => {
    expect(r.folds).toHaveLength(2);
    expect(r.images.sizes).toBeGreaterThan(1);
    expect(r.images.crossValidated + r.images.heldOut).toBe(16);
    const p = Project.open(projectPath);
    try {
      const heldOut = new Set(p.images.list({ split: ['test'] }).map((i) => i.id));
      expect(heldOut.size).toBe(r.images.heldOut);
      const tested = new Set<number>();
      for (const fold of r.folds) {
        expect(fold.cells.map((c) => c.lr)).toEqual([1e-2, 1e-3]);
        const c = p.comparisons.get(fold.comparisonId as number)!;
        expect(c.imageIds).toHaveLength(fold.test);
        expect(c.sources.map((s) => s.label)).toEqual(fold.cells.map((x) => x.model));
        for (const id of c.imageIds) {
          expect(tested.has(id)).toBe(false); // folds are disjoint
          tested.add(id);
        }
        for (const cell of fold.cells) {
          const m = p.models.load(p.models.resolve(cell.model).id)!;
          expect(m.info.family).toBe('deconvnet');
          expect(m.info.config.decoder).toBe('unpool');
          expect(m.info.task).toBe('binary');
          const trainedOn = new Set([...m.lineage!.trainImages, ...m.lineage!.valImages].map((x) => x.imageId));
          // Never the fold's own test images, never the held-out test split.
          expect(c.imageIds.some((id) => trainedOn.has(id))).toBe(false);
          expect([...heldOut].some((id) => trainedOn.has(id))).toBe(false);
          expect(cell.above).toBeGreaterThanOrEqual(0);
          expect(cell.above).toBeLessThanOrEqual(1);
          expect(p.evaluations.get(cell.evaluationId as number)!.result.means['iou.cell']).toBeDefined();
        }
      }
      // Every cross-validated image was tested exactly once.
      expect(tested.size).toBe(r.images.crossValidated);
    } finally {
      p.close();
    }
    expect(r.byLr.map((x) => x.images)).toEqual([r.images.crossValidated, r.images.crossValidated]);
    const text = formatSeed003Report(r);
    expect(text).toMatch(/IoU lr 1e-2/);
    expect(text).toMatch(/> 0\.97/);
  });

  it('puts the images back into their content-hash split afterwards', async () => {
    const { readSeedFolder } = await import('../seed-common/seed-folder');
    const { items } = await readSeedFolder(folder);
    const p = Project.open(projectPath);
    try {
      for (const it of items) expect(splitsBefore.get(p.images.find(it.hash, it.name) as number)).toBe(it.split);
    } finally {
      p.close();
    }
  });

  it('refuses too little data before any project exists, saying which --folds would work', async () => {
    const target = join(tempDir(), 'never.hemaseg');
    const run = runSeed003({ folder, projectPath: target, folds: 12, lrs: [1e-3], minutes: 0.05, seed: 1, network: TINY });
    await expect(run).rejects.toBeInstanceOf(SeedInputError);
    await expect(runSeed003({ folder, projectPath: target, folds: 12, lrs: [1e-3], minutes: 0.05, seed: 1, network: TINY })).rejects.toThrow(/too few for 12 folds: .* use --folds 2 to \d+/);
    expect(existsSync(target)).toBe(false);
  });
});
