import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Project } from '../project/project';
import { runEvaluation } from './run-evaluation';
import { importSmears } from '../synth/write-synth';
import { writeEvaluationFiles } from './write-evaluation';
import { tempDir } from '../testing/fixtures';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

describe('evaluation runs', () => {
  it('scores a source against ground truth per class and difficulty, and stores the run', async () => {
    const p = Project.open(join(tempDir(), 'e.hemaseg'), { create: true });
    await importSmears(p, { count: 16, size: 64, classes: [1, 8], palette: 'purple', seed: 5 });
    const images = p.images.list();
    // A "model" that is perfect on class 1 and predicts nothing on class 8.
    for (const img of images) {
      const gt = p.masks.load(p.masks.current(img.id, 'ground-truth')!.id)!;
      const labels = img.difficulty === 1 ? gt.labels : new Uint8Array(gt.labels.length);
      p.masks.append({ imageId: img.id, kind: 'prediction', source: 'toy@1', author: 't', mask: { ...gt, labels, instances: undefined }, threshold: 0.5 });
    }
    const run = runEvaluation(p, { pred: 'toy@1', truth: 'ground-truth', split: 'all', borderPx: null });
    expect(run.result.images).toBe(16);
    expect(run.result.byDifficulty['1']['iou.cell'].mean).toBe(1);
    expect(run.result.byDifficulty['8']['iou.cell'].mean).toBe(0);
    expect(run.result.means['iou.cell'].mean).toBeCloseTo(0.5);
    expect(run.result.settings.threshold).toBe(0.5);
    const stored = p.evaluations.list();
    expect(stored[0].pred).toBe('toy@1');
    expect(p.evaluations.get(run.id!)!.result.perImage).toHaveLength(16);

    const out = tempDir();
    await writeEvaluationFiles(run, out);
    expect(readFileSync(join(out, 'by-difficulty.csv'), 'utf8').split('\n')[0]).toMatch(/^difficulty,images,iou\.cell/);
    expect(existsSync(join(out, 'histogram.png'))).toBe(true);
    expect(readdirSync(join(out, 'difference'))).toHaveLength(16 * 3); // binary, multiclass, classes
    p.close();
  });

  it('resolves a bare model name to one version for the whole evaluation, never per image', async () => {
    const p = Project.open(join(tempDir(), 'e.hemaseg'), { create: true });
    await importSmears(p, { count: 4, size: 64, classes: [1], palette: 'yellow', seed: 2 });
    const images = p.images.list();
    for (const [k, img] of images.entries()) {
      const gt = p.masks.load(p.masks.current(img.id, 'ground-truth')!.id)!;
      // Version 1 predicted every image; version 2 only the first two.
      p.masks.append({ imageId: img.id, kind: 'prediction', source: 'toy@1', author: 't', mask: { ...gt, labels: new Uint8Array(gt.labels.length), instances: undefined } });
      if (k < 2) p.masks.append({ imageId: img.id, kind: 'prediction', source: 'toy@2', author: 't', mask: gt });
    }
    const run = runEvaluation(p, { pred: 'toy', truth: 'ground-truth', split: 'all', borderPx: null, store: false });
    expect(run.result.settings.pred).toBe('toy@2');
    expect(run.result.images).toBe(2);
    expect(run.result.means['iou.cell'].mean).toBe(1);
    expect(run.missing.map((m) => m.reason)).toEqual(['no toy@2 mask', 'no toy@2 mask']);
    p.close();
  });

  it('explains when nothing can be compared', async () => {
    const p = Project.open(join(tempDir(), 'e.hemaseg'), { create: true });
    await importSmears(p, { count: 2, size: 64, classes: [1], palette: 'yellow', seed: 1 });
    expect(() => runEvaluation(p, { pred: 'unet@3', truth: 'ground-truth', split: 'test', borderPx: null })).toThrow(/no image in the test split has both a ground-truth and a unet@3 mask/);
    p.close();
  });
});
