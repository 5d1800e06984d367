import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from '../../project/project';
import { importSmears } from '../../synth/write-synth';
import { tempDir } from '../../testing/fixtures';
import { cachedProjectValidation, evaluateOnProject, imagesNeedingPrediction } from './project-validation';

describe('registry numbers on this project\'s validation images', () => {
  it('predicts what is missing, stores the evaluation, reuses it while the masks are current', async () => {
    const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
    await importSmears(p, { count: 24, size: 48, classes: [1, 2], palette: 'yellow', seed: 9 });
    const val = p.images.list({ split: ['val'] });
    expect(val.length).toBeGreaterThan(0);
    const segmented: number[][] = [];
    // A stand-in model: predicts the truth with the nucleus as cytoplasm.
    const segment = (ref: string, ids: number[]): Promise<void> => {
      segmented.push(ids);
      for (const id of ids) {
        const t = p.masks.load(p.masks.current(id, 'ground-truth')!.id)!;
        p.masks.append({ imageId: id, kind: 'prediction', source: ref, author: 't', mask: { ...t, labels: t.labels.map((v) => (v === 2 ? 1 : v)) } });
      }
      return Promise.resolve();
    };
    expect(cachedProjectValidation(p, 'm@1')).toBeNull();
    const [r] = await evaluateOnProject(p, ['m@1'], { segment });
    expect(segmented).toEqual([val.map((i) => i.id)]);
    expect(r.validation.images).toBe(val.length);
    expect(r.validation.metrics['iou.cell']).toBeCloseTo(1, 5);
    expect(r.validation.metrics['iou.nucleus'] ?? 0).toBeLessThan(0.5);
    expect(cachedProjectValidation(p, 'm@1')?.evaluationId).toBe(r.validation.evaluationId);

    // Again: nothing to predict, the stored result is reused.
    const [again] = await evaluateOnProject(p, ['m@1'], { segment });
    expect(segmented).toHaveLength(1);
    expect(again.validation.evaluationId).toBe(r.validation.evaluationId);

    // A corrected val mask makes the stored numbers stale; re-scoring evaluates anew.
    const first = val[0];
    const t = p.masks.load(p.masks.current(first.id, 'ground-truth')!.id)!;
    p.masks.append({ imageId: first.id, kind: 'ground-truth', source: 'hand-edited', author: 't', mask: { ...t, labels: new Uint8Array(t.labels.length) } });
    expect(cachedProjectValidation(p, 'm@1')).toBeNull();
    expect(imagesNeedingPrediction(p, 'm@1')).toEqual([]);
    const [fresh] = await evaluateOnProject(p, ['m@1'], { segment });
    expect(fresh.validation.evaluationId).not.toBe(r.validation.evaluationId);
    p.close();
  });
});
