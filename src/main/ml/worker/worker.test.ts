// The engine through its real process boundary: every test here trains or segments in a
// forked worker (tsx from sources), on generated images.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { Project } from '../../project/project';
import { importFolder } from '../../transfer/import-folder';
import { makeCell, tempDir, writePng } from '../../testing/fixtures';
import { JobCancelledError } from '../../jobs/job-manager';
import type { TrainPoint } from '../../../shared/ml';
import { resumeTraining, startTraining, TrainingError, type TrainOutcome } from '../training/train-service';
import { runSegmentation } from '../inference/segment-service';
import { importModelFolder, writeModelFolder } from '../registry/model-folder';
import { nodeWorkerLauncher, type WorkerLauncher } from './launcher';
import { makeTrainingProject, tinyRequest } from './test-project';

let project: Project;
let outcome: TrainOutcome;
const points: TrainPoint[] = [];
let modelDir: string;

beforeAll(async () => {
  ({ project } = await makeTrainingProject({ train: 16, val: 4, test: 4 }));
  outcome = await startTraining(project, tinyRequest(), { onPoint: (p) => points.push(p) });
  modelDir = join(tempDir(), 'exported');
  const repo = project.models;
  writeModelFolder(modelDir, repo.load(outcome.modelId)!);
});

afterAll(() => project?.close());

describe('training in the worker', () => {
  it('learns the generated cells: loss falls, validation Dice rises, a model version with lineage is stored', () => {
    const epochs = points.filter((p) => p.kind === 'epoch');
    expect(epochs).toHaveLength(15);
    expect(points.filter((p) => p.kind === 'step').length).toBe(15 * 4);
    expect(epochs[epochs.length - 1].loss).toBeLessThan(epochs[0].loss * 0.6);
    expect(outcome.metrics['dice.nucleus']).toBeGreaterThan(0.8);
    expect(outcome.metrics['dice.cytoplasm']).toBeGreaterThan(0.8);
    expect(outcome.backend).not.toBeNull();
    expect(outcome.modelRef).toBe('tiny@1');

    const stored = project.models.load(outcome.modelId)!;
    expect(stored.info.trainImages).toBe(16);
    expect(stored.lineage?.trainImages).toHaveLength(16);
    expect(stored.lineage?.trainImages[0].maskVersionId).toBeGreaterThan(0);
    expect(stored.lineage?.hyperparameters?.lr).toBe(0.01);
    expect(stored.lineage?.curves).toHaveLength(15);
    const run = project.runs.get(outcome.runId)!;
    expect(run.info.status).toBe('done');
    expect(run.info.resultRef).toBe('tiny@1');
  });

  it('cancel stops a run between steps; the run is marked cancelled', async () => {
    const abort = new AbortController();
    let runId = 0;
    const run = startTraining(project, tinyRequest({ name: 'cancelme', epochs: 1000 }), {
      signal: abort.signal,
      onRun: (id) => (runId = id),
      onPoint: (p) => {
        if (p.kind === 'step' && p.step === 2) abort.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(JobCancelledError);
    const rec = project.runs.get(runId)!;
    expect(rec.info.status).toBe('cancelled');
    expect(rec.info.curves.length).toBeLessThan(3);
    expect(project.models.list().some((m) => m.name === 'cancelme')).toBe(false);
  });

  it('a worker killed mid-training leaves the run interrupted, and resume finishes from its checkpoint', async () => {
    let pid: number | undefined;
    const launcher: WorkerLauncher = (script, env) => {
      const w = nodeWorkerLauncher(script, env);
      pid = w.pid;
      return w;
    };
    let runId = 0;
    const first = startTraining(project, tinyRequest({ name: 'killed', epochs: 5 }), {
      launcher,
      onRun: (id) => (runId = id),
      onPoint: (p) => {
        if (p.kind === 'epoch' && p.epoch === 2) process.kill(pid!, 'SIGKILL');
      },
    });
    const err = await first.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainingError);
    expect((err as TrainingError).status).toBe('interrupted');
    expect((err as Error).message).toMatch(/SIGKILL/);
    expect((err as Error).message).toContain(`--resume ${runId}`);
    const runs = project.runs;
    const rec = runs.get(runId)!;
    expect(rec.info.status).toBe('interrupted');
    const ckpt = rec.info.checkpointEpoch!;
    expect(ckpt).toBeGreaterThanOrEqual(2);

    let startEpoch = -1;
    const resumedPoints: TrainPoint[] = [];
    const done = await resumeTraining(project, runId, {
      onStarted: (s) => (startEpoch = s.startEpoch),
      onPoint: (p) => resumedPoints.push(p),
    });
    expect(startEpoch).toBe(ckpt);
    expect(resumedPoints.filter((p) => p.kind === 'epoch').map((p) => p.epoch)[0]).toBe(ckpt + 1);
    expect(done.epochsRun).toBe(5);
    expect(done.modelRef).toBe('killed@1');
    const after = runs.get(runId)!;
    expect(after.info.status).toBe('done');
    expect(after.info.curves.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
  });

  it('fine-tuning records the parent in the lineage', async () => {
    const r = await startTraining(project, tinyRequest({ name: 'tuned', epochs: 1, from: 'tiny', model: { family: 'unet', config: { task: 'binary', inputSize: 64, depth: 3, baseFilters: 2, dropout: 0 } } }));
    const m = project.models.get(r.modelId)!;
    expect(m.parentRef).toBe('tiny@1');
    expect(m.config).toMatchObject({ task: 'multiclass', inputSize: 32, depth: 2, baseFilters: 8 });
  });
});

describe('segmentation in the worker', () => {
  it('export/import round trip: the imported model predicts identical masks in another project', async () => {
    const a = await runSegmentation(project, { model: 'tiny@1', threshold: 0.5, target: { kind: 'project', images: 'test' } }, { author: 't' });
    expect(a.segmented).toBe(4);
    expect(a.modelRef).toBe('tiny@1');

    // Project B: the same test images, the model only through its exported folder.
    const dir = tempDir();
    for (const id of a.imageIds) {
      const stored = project.images.bytes(id)!;
      writeFileSync(join(dir, stored.name), stored.bytes);
    }
    const b = Project.open(join(tempDir(), 'b.hemaseg'), { create: true });
    try {
      await importFolder(b, dir, { maskConvention: 'none' });
      const imported = importModelFolder(b, modelDir);
      expect(imported.model.ref).toBe('tiny@1');
      expect(imported.model.task).toBe('multiclass');
      const rb = await runSegmentation(b, { model: 'tiny', threshold: 0.5, target: { kind: 'project', images: 'unlabeled' } }, { author: 't' });
      expect(rb.segmented).toBe(4);
      for (const id of a.imageIds) {
        const name = project.images.get(id)!.name;
        const bid = b.images.list().find((i) => i.name === name)!.id;
        const ma = project.masks.load(project.masks.current(id, 'prediction', 'tiny@1')!.id)!;
        const vb = b.masks.current(bid, 'prediction', 'tiny@1')!;
        expect(vb.modelId).toBe(imported.model.id);
        const mb = b.masks.load(vb.id)!;
        expect(Buffer.from(mb.labels).equals(Buffer.from(ma.labels))).toBe(true);
        expect(ma.labels.some((v) => v === 2)).toBe(true);
      }
    } finally {
      b.close();
    }
  });

  it('segments odd image sizes at their own size, and one broken image does not stop the batch', async () => {
    const dir = tempDir();
    const sizes: [number, number][] = [
      [37, 53],
      [120, 120],
      [200, 150],
    ];
    for (const [i, [w, h]] of sizes.entries()) await writePng(join(dir, `odd${i}.png`), makeCell(50 + i, w, h).rgb, w, h, 3);
    writeFileSync(join(dir, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\n this is not a png'));

    // Plain folder, model loaded from its exported folder.
    const out = join(tempDir(), 'masks');
    const r = await runSegmentation(null, { model: modelDir, threshold: 0.5, target: { kind: 'folder', folder: dir, out, convention: 'gray3' } }, { author: 't' });
    expect(r.segmented).toBe(3);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0].file).toBe('broken.png');
    expect(readdirSync(out).sort()).toEqual(['odd0.png', 'odd1.png', 'odd2.png']);
    for (const [i, [w, h]] of sizes.entries()) {
      const meta = await sharp(join(out, `odd${i}.png`)).metadata();
      expect([meta.width, meta.height]).toEqual([w, h]);
    }

    // Project: the broken image is stored but cannot be decoded; the others get masks at their size.
    const p = Project.open(join(tempDir(), 'odd.hemaseg'), { create: true });
    try {
      await importFolder(p, dir, { maskConvention: 'none' });
      p.images.insert({ hash: 'f'.repeat(64), name: 'corrupt.png', originalPath: '/x/corrupt.png', width: 10, height: 10, format: 'png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]), thumbnail: null });
      importModelFolder(p, modelDir);
      const rp = await runSegmentation(p, { model: 'tiny@1', threshold: 0.5, target: { kind: 'project', images: 'all' } }, { author: 't' });
      expect(rp.segmented).toBe(3);
      expect(rp.failed.map((f) => f.file)).toEqual(['corrupt.png']);
      for (const img of p.images.list()) {
        if (img.name === 'corrupt.png') continue;
        const v = p.masks.current(img.id, 'prediction', 'tiny@1')!;
        const m = p.masks.load(v.id)!;
        expect([m.width, m.height]).toEqual([img.width, img.height]);
        expect(m.instances?.length).toBe(img.width * img.height);
      }
    } finally {
      p.close();
    }
  });

  it('clear errors: unknown model, bad model folder', async () => {
    await expect(runSegmentation(project, { model: 'nope', threshold: 0.5, target: { kind: 'project', images: 'all' } }, { author: 't' })).rejects.toThrow(/no model named 'nope'.*tiny/);
    const bad = tempDir();
    writeFileSync(join(bad, 'model.json'), '{"format":"hemaseg-unet"');
    expect(() => importModelFolder(project, bad)).toThrow(/model\.json: not valid JSON/);
    const empty = tempDir();
    expect(() => importModelFolder(project, empty)).toThrow(/no model\.json/);
    expect(existsSync(join(modelDir, 'metadata.json'))).toBe(true);
  });
});
