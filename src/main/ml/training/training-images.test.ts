// Which images a fine-tune on corrections uses, the promotion rule, and the project's
// default model setting: no worker needed.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SPLITS, type Split } from '../../../shared/domain';
import { promotionOf } from '../../../shared/promotion';
import { Project } from '../../project/project';
import { tempDir } from '../../testing/fixtures';
import { projectDefaultModel, resolveModelRef, setProjectDefaultModel } from '../registry/default-model';
import { heldBackCount, planTrainingImages } from './training-images';

const mask = (fill: number) => ({ width: 4, height: 4, labels: new Uint8Array(16).fill(fill) });

/** `n` images per split, each with an imported ground truth; `corrected` of them hand-corrected per split. */
function project(perSplit: number, corrected: Partial<Record<Split, number>>): Project {
  const p = Project.open(join(tempDir(), 'plan.hemaseg'), { create: true });
  let k = 0;
  for (const split of SPLITS) {
    for (let i = 0; i < perSplit; i++) {
      const id = p.images.insert({ hash: (k++).toString(16).padStart(64, '0'), name: `${split}-${i}.png`, originalPath: 'x', width: 4, height: 4, format: 'png', bytes: new Uint8Array([1]), thumbnail: null, split });
      p.masks.append({ imageId: id, kind: 'ground-truth', source: 'imported', author: 't', mask: mask(1) });
      if (i < (corrected[split] ?? 0)) p.masks.append({ imageId: id, kind: 'ground-truth', source: 'hand-edited', author: 't', mask: mask(2) });
    }
  }
  return p;
}

describe('training images for a fine-tune on corrections', () => {
  it('holds back about a tenth (2 to 5), none under 5', () => {
    expect([1, 4, 5, 10, 30, 50, 99].map(heldBackCount)).toEqual([0, 0, 2, 2, 3, 5, 5]);
  });

  it('every correction trains whatever its split, except the few held back (val-split ones first)', () => {
    const p = project(20, { train: 18, val: 8, test: 4 });
    const { train, val, plan } = planTrainingImages(p, 'corrected');
    expect(plan).toEqual({ train: 27, val: 3, heldBack: 3, mode: 'corrections' });
    expect(val.every((v) => v.name.startsWith('val-'))).toBe(true);
    expect(new Set([...train, ...val].map((i) => i.imageId)).size).toBe(30);
    expect(train.some((t) => t.name.startsWith('test-'))).toBe(true);
    // The held-back choice is stable from one call to the next.
    expect(planTrainingImages(p, 'corrected').val).toEqual(val);
    p.close();
  });

  it('from 100 corrections on, the split decides; "all" keeps the split', () => {
    const p = project(60, { train: 50, val: 30, test: 25 });
    expect(planTrainingImages(p, 'corrected').plan).toEqual({ train: 50, val: 30, heldBack: 0, mode: 'split' });
    expect(planTrainingImages(p, 'all').plan).toEqual({ train: 60, val: 60, heldBack: 0, mode: 'split' });
    p.close();
  });
});

describe('promotion of a fine-tuned version', () => {
  it('proposes only a version that beats its parent on the same images', () => {
    const m = { 'dice.cytoplasm': 0.9, 'dice.nucleus': 0.94, 'parent.dice.cytoplasm': 0.85, 'parent.dice.nucleus': 0.95, 'parent.valImages': 3 };
    const r = promotionOf(m)!;
    expect(r.parent).toBeCloseTo(0.9, 9);
    expect(r.tuned).toBeCloseTo(0.92, 9);
    expect(r).toMatchObject({ images: 3, beats: true });
    expect(promotionOf({ ...m, 'dice.cytoplasm': 0.86 })!.beats).toBe(false);
    expect(promotionOf({ ...m, 'dice.cytoplasm': 0.86, 'dice.nucleus': 0.94 })!.beats).toBe(false);
    expect(promotionOf({ 'dice.cytoplasm': 0.9 })).toBeNull();
  });
});

describe("the project's default model", () => {
  it('`default` resolves to the chosen version, and back to the shipped model when unset', () => {
    const p = project(1, {});
    const repo = p.models;
    const shipped = resolveModelRef(p, 'default');
    expect(shipped.name).toBe('default');
    const mine = repo.add({ name: 'mine', family: 'unet', task: shipped.task, config: shipped.config as unknown as Record<string, unknown>, backend: null, parentId: shipped.id, trainImages: 1, metrics: {}, lineage: { parentRef: shipped.ref, runId: null, trainImages: [], valImages: [], hyperparameters: null, backend: null, backendDetail: null, curves: [], bestEpoch: null, epochsRun: null, trainingSeconds: null, stoppedBy: null }, modelJson: '{}', weights: new Uint8Array([1]) });
    expect(setProjectDefaultModel(p, 'mine')!.ref).toBe(mine.ref);
    expect(p.settings.get().defaultModel).toBe('mine@1');
    expect(resolveModelRef(p, 'default').ref).toBe('mine@1');
    expect(projectDefaultModel(p)!.ref).toBe('mine@1');
    expect(() => setProjectDefaultModel(p, 'nope')).toThrow(/nope/);
    expect(p.settings.get().defaultModel).toBe('mine@1');
    setProjectDefaultModel(p, null);
    expect(resolveModelRef(p, 'default').ref).toBe(shipped.ref);
    expect(() => p.settings.set({ defaultModel: 'not a ref' })).toThrow(/defaultModel/);
    p.close();
  });
});
