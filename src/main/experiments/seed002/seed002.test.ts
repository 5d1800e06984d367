// `experiment seed002` end to end on generated cells (tiny networks, seconds of training):
// the thesis protocol writes its copies, trains, segments and stores the comparison; a
// project holding other images is refused before anything is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Project } from '../../project/project';
import { importFolder } from '../../transfer/import-folder';
import { tempDir } from '../../testing/fixtures';
import { makeSizedFolder } from '../seed-common/seed-fixtures';
import type { NetworkPlan } from '../seed-common/seed-run';
import { runSeed002, type Seed002Result } from './seed002';
import { formatSeed002Report } from './seed002-table';
import { THESIS_TAG } from './protocols';

const TINY: Record<'unet' | 'segnet', NetworkPlan> = {
  unet: { model: { family: 'unet', config: { task: 'multiclass', inputSize: 32, depth: 2, baseFilters: 4, dropout: 0 } }, lr: 1e-2, batch: 8, epochs: 2 },
  segnet: { model: { family: 'segnet', config: { task: 'multiclass', inputSize: 32, depth: 2, kernelSize: 3, baseFilters: 4, maxFilters: 8, dropout: 0 } }, lr: 1e-2, batch: 8, epochs: 2 },
};

let folder: string;
let projectPath: string;
let r: Seed002Result;

beforeAll(async () => {
  folder = tempDir('hemaseg-seed002data-');
  await makeSizedFolder(folder, [...new Array(10).fill([32, 32]), [28, 32], [32, 28]] as [number, number][]);
  projectPath = join(tempDir('hemaseg-seed002proj-'), 'thesis.hemaseg');
  r = await runSeed002({ folder, projectPath, minutes: 0.05, protocol: 'thesis', families: ['unet', 'segnet'], seed: 1, networks: TINY, thesisSize: 32 });
}, 120_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('experiment seed002', () => {
  it('thesis protocol: keeps the square images, stores their copies with the planned splits, flags the leak', () => {
    expect(r.images.exactSize).toEqual({ size: 32, count: 10 });
    expect(r.images.train + r.images.val + r.images.test).toBe(40);
    expect(r.leak).not.toBeNull();
    expect(r.leak!.testImages).toBe(3);
    expect(formatSeed002Report(r)).toContain('LEAK: thesis protocol');
    const p = Project.open(projectPath);
    try {
      const imgs = p.images.list();
      expect(imgs).toHaveLength(40);
      expect(imgs.every((i) => i.tags.includes(THESIS_TAG) && i.maskKinds.includes('ground-truth'))).toBe(true);
      expect(imgs.filter((i) => i.split === 'test')).toHaveLength(r.images.test);
    } finally {
      p.close();
    }
  });

  it('stores both models, their evaluations and one comparison on the test images', () => {
    expect(r.rows.map((x) => x.family)).toEqual(['unet', 'segnet']);
    expect(r.evaluationImages).toBe(r.images.test);
    const p = Project.open(projectPath);
    try {
      const testIds = new Set(p.images.list({ split: ['test'] }).map((i) => i.id));
      for (const row of r.rows) {
        expect(p.models.resolve(row.model).family).toBe(row.family);
        expect(row.params).toBeGreaterThan(0);
        expect(row.trainingSeconds).not.toBeNull();
        expect(row.diceNucleus.n).toBe(r.images.test);
        expect(row.thesis.diceNucleus).toBeGreaterThan(0.9);
        const ev = p.evaluations.get(row.evaluationId as number)!;
        expect(ev.info.pred).toBe(row.model);
        expect(ev.result.perImage.every((x) => testIds.has(x.imageId))).toBe(true);
      }
      const c = p.comparisons.get(r.comparisonId as number)!;
      expect(c.sources.map((s) => s.label)).toEqual(r.rows.map((x) => x.model));
      expect(c.imageIds).toHaveLength(r.images.test);
      expect(c.label).toMatch(/seed002 \(thesis/);
    } finally {
      p.close();
    }
    const text = formatSeed002Report(r);
    expect(text).toMatch(/Dice cytoplasm/);
    expect(text).toMatch(/thesis\s+0\.970\s+0\.988/);
  });

  it('refuses a project holding other images, a split without test images, a folder without square images, before writing', async () => {
    const foreign = tempDir('hemaseg-seed002other-');
    await makeSizedFolder(foreign, [[32, 32]], 9);
    const mixed = join(tempDir(), 'mixed.hemaseg');
    const p = Project.open(mixed, { create: true });
    await importFolder(p, foreign);
    p.close();
    await expect(runSeed002({ folder, projectPath: mixed, minutes: 0.05, protocol: 'thesis', families: ['unet'], seed: 1, networks: TINY, thesisSize: 32 })).rejects.toThrow(
      /mixed\.hemaseg: holds 1 images that are not copies made by the seed002 thesis protocol .*0001\.bmp.*Use a new project/,
    );
    const again = Project.open(mixed);
    expect(again.images.count()).toBe(1);
    again.close();
    // The 12 generated images all fall in the content-hash train and val splits.
    await expect(runSeed002({ folder, projectPath, minutes: 0.05, protocol: 'clean', families: ['unet'], seed: 1, networks: TINY })).rejects.toThrow(/the clean split leaves 10 train \/ 2 val \/ 0 test/);
    const other = join(tempDir(), 'other.hemaseg');
    await expect(runSeed002({ folder, projectPath: other, minutes: 0.05, protocol: 'thesis', families: ['unet'], seed: 1, networks: TINY, thesisSize: 100 })).rejects.toThrow(/none of the 12 images is exactly 100x100/);
    expect(existsSync(other)).toBe(false);
  });
});
