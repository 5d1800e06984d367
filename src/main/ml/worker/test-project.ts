// Test support for the engine tests: a small project of generated cell images with gray3
// ground truth and an explicit split (never the real data set).
import { join } from 'node:path';
import { Project } from '../../project/project';
import { importFolder } from '../../transfer/import-folder';
import { makeImageFolder, tempDir } from '../../testing/fixtures';
import { DEFAULT_TRAIN, type TrainRequest } from '../../../shared/ml';

export async function makeTrainingProject(opts: { train: number; val: number; test?: number; size?: number; seed?: number }): Promise<{ project: Project; ids: { train: number[]; val: number[]; test: number[] } }> {
  const dir = tempDir('hemaseg-ml-');
  const total = opts.train + opts.val + (opts.test ?? 0);
  await makeImageFolder(dir, total, { size: opts.size ?? 48, formats: ['png'], seed: opts.seed ?? 1 });
  const project = Project.open(join(tempDir('hemaseg-ml-'), 'engine.hemaseg'), { create: true });
  const r = await importFolder(project, dir, { maskConvention: 'gray3' });
  const train = r.imageIds.slice(0, opts.train);
  const val = r.imageIds.slice(opts.train, opts.train + opts.val);
  const test = r.imageIds.slice(opts.train + opts.val);
  project.images.update(train, { split: 'train' });
  if (val.length) project.images.update(val, { split: 'val' });
  if (test.length) project.images.update(test, { split: 'test' });
  return { project, ids: { train, val, test } };
}

/** A tiny network that learns the generated cells in a few seconds. */
export function tinyRequest(over: Partial<TrainRequest> = {}): TrainRequest {
  return {
    ...DEFAULT_TRAIN,
    name: 'tiny',
    model: { family: 'unet', config: { task: 'multiclass', inputSize: 32, depth: 2, baseFilters: 8, dropout: 0 } },
    epochs: 15,
    batch: 4,
    lr: 1e-2,
    patience: null,
    ...over,
  };
}
