// The correction loop end to end on generated folders (tiny network, seconds of training),
// and the bad inputs that must stop it before any project is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import sharp from 'sharp';
import { Project } from '../project/project';
import { writeModelFolder } from '../ml/registry/model-folder';
import { makeImageFolder, tempDir } from '../testing/fixtures';
import { runLoopExperiment, type LoopOptions, type LoopResult } from './loop-experiment';
import { LoopInputError } from './loop-input';
import { formatLoopReport } from './loop-table';

const TINY = { family: 'unet', config: { task: 'multiclass' as const, inputSize: 32, depth: 2, baseFilters: 8, dropout: 0 } };
let folder: string;
let projectPath: string;
let scratch: LoopResult;

const loopTemps = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith('hemaseg-loop-'));

beforeAll(async () => {
  folder = tempDir('hemaseg-loopdata-');
  await makeImageFolder(folder, 36, { size: 40, formats: ['bmp', 'png'], seed: 3 });
  projectPath = join(tempDir('hemaseg-loopproj-'), 'loop.hemaseg');
  scratch = await runLoopExperiment({
    folder, corrections: 8, pick: 'random', minutes: 0.5, epochs: 40, from: 'scratch', seed: 1,
    projectPath, model: TINY, lr: 1e-2, batch: 4,
  });
}, 120_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('experiment loop', () => {
  it('trains on every correction but the held-back few, scores only test images, stores the evaluation', () => {
    expect(scratch.corrected).toHaveLength(8);
    expect(scratch.plan).toEqual({ train: 6, val: 2, heldBack: 2, mode: 'corrections' });
    expect(scratch.from).toBeNull();
    expect(scratch.evaluations.before).toBeNull();
    expect(scratch.evaluationImages).toBe(scratch.images.test);
    const p = Project.open(projectPath);
    try {
      const corrected = p.images.list().filter((i) => i.corrected);
      expect(corrected.map((i) => i.split)).toEqual(new Array(8).fill('train'));
      const stored = p.evaluations.get(scratch.evaluations.after)!;
      expect(stored.info.pred).toBe(scratch.model);
      const testIds = new Set(p.images.list({ split: ['test'] }).map((i) => i.id));
      expect(stored.result.perImage.every((r) => testIds.has(r.imageId))).toBe(true);
      const lineage = p.models.load(p.models.resolve(scratch.model).id)!.lineage!;
      expect(lineage.trainImages).toHaveLength(6);
    } finally {
      p.close();
    }
    // The generated cells are easy: a few seconds of training must learn them.
    const dice = scratch.table.find((r) => r.metric === 'dice' && r.cls === 'nucleus')!;
    expect(dice.after.mean, `${scratch.epochsRun} epochs, stopped by ${scratch.stoppedBy}`).toBeGreaterThan(0.5);
    expect(formatLoopReport(scratch)).toContain('nucleus');
  });

  it('fine-tunes a model folder on the least confident images and compares it with its parent', async () => {
    const p = Project.open(projectPath);
    const dir = join(tempDir(), 'parent');
    try {
      const repo = p.models;
      writeModelFolder(dir, repo.load(repo.resolve(scratch.model).id)!);
    } finally {
      p.close();
    }
    const temps = loopTemps();
    const r = await runLoopExperiment({ folder, corrections: 6, pick: 'uncertain', minutes: 0.1, epochs: 3, from: dir, seed: 2, projectPath: null, lr: 1e-3, batch: 4 });
    expect(r.temporaryProject).toBe(true);
    expect(['confidence', 'committee']).toContain(r.pickedBy);
    const conf = r.corrected.map((c) => c.confidence as number);
    // The least confident image comes first; the rest are spread over appearance.
    expect(conf[0]).toBe(Math.min(...conf));
    expect(new Set(r.corrected.map((c) => c.imageId)).size).toBe(6);
    expect(r.evaluations.before).not.toBeNull();
    expect(r.table.every((row) => row.before !== null)).toBe(true);
    expect(r.promotion).not.toBeNull();
    expect(r.promotion!.images).toBe(2);
    expect(r.promotion!.beats).toBe(r.promotion!.tuned > r.promotion!.parent + 1e-4);
    rmSync(join(r.project, '..'), { recursive: true, force: true });
    expect(loopTemps()).toEqual(temps);
  }, 120_000);
});

describe('experiment loop: bad input, nothing written', () => {
  const base = (over: Partial<LoopOptions>): LoopOptions => ({ folder, corrections: 5, pick: 'random', minutes: 0.05, from: 'scratch', seed: 1, projectPath: null, model: TINY, ...over });

  async function expectRejected(opts: LoopOptions, pattern: RegExp): Promise<void> {
    const temps = loopTemps();
    const target = join(tempDir(), 'untouched.hemaseg');
    Project.open(target, { create: true }).close();
    await expect(runLoopExperiment({ ...opts, projectPath: target })).rejects.toThrow(pattern);
    const p = Project.open(target);
    expect(p.images.count()).toBe(0);
    p.close();
    await expect(runLoopExperiment({ ...opts, projectPath: null })).rejects.toBeInstanceOf(LoopInputError);
    expect(loopTemps()).toEqual(temps);
  }

  it('a folder without masks', async () => {
    const dir = tempDir('hemaseg-nomask-');
    await makeImageFolder(dir, 6, { size: 32, formats: ['bmp'] });
    for (const f of readdirSync(dir)) if (f.endsWith('.png')) unlinkSync(join(dir, f));
    await expectRejected(base({ folder: dir }), new RegExp(`${dir}: none of the 6 images has a mask`));
  });

  it('too few images for the corrections asked for', async () => {
    await expectRejected(base({ corrections: 500 }), /too few images for 500 corrections: they come from the train split, which holds \d+/);
  });

  it('a mask of another size, named', async () => {
    const dir = tempDir('hemaseg-badmask-');
    await makeImageFolder(dir, 6, { size: 32, formats: ['bmp'] });
    await sharp({ create: { width: 20, height: 20, channels: 3, background: { r: 0, g: 0, b: 0 } } }).png().toFile(join(dir, '0003.png'));
    await expectRejected(base({ folder: dir }), /0003\.png: mask is 20x20 but its image 0003\.bmp is 32x32/);
  });

  it('a missing folder, a missing model folder, uncertain picks without a model', async () => {
    await expect(runLoopExperiment(base({ folder: join(folder, 'nope') }))).rejects.toThrow(/nope: no such folder/);
    await expect(runLoopExperiment(base({ from: join(folder, 'no-model') }))).rejects.toThrow(/no-model: no such model folder/);
    await expect(runLoopExperiment(base({ pick: 'uncertain' }))).rejects.toThrow(/needs a model to be uncertain/);
    expect(existsSync(join(folder, 'nope'))).toBe(false);
  });
});
