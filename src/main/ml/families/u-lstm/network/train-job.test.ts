// `hemaseg train --family u-lstm` end to end through the clip trainer's worker job (in
// process): a tiny project of moving-disk sequences, both tasks, model stored as u-lstm.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/initBackend';
import type { FromWorker, JobIo } from '../../../worker/protocol';
import { prepareTrainRequest } from '../../../training/train-service';
import { runTrainJob } from '../../../training/train-job';
import { addDiskSequence, newClipProject } from '../../../training/clip/clip-fixture';
import type { TrainRequest } from '../../../../../shared/ml';

beforeAll(async () => {
  await initBackend('wasm');
});

const request = (task: 'multiclass-edge' | 'binary'): TrainRequest => ({
  name: `ulstm-${task}`, model: { family: 'u-lstm', config: { task, inputSize: 16, depth: 1, baseFilters: 4, lstmKernel: 3 } }, epochs: 2, minutes: null, batch: 2, lr: 0.003,
  patience: null, clipNorm: null, classWeights: null, augmentation: { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 }, from: null, images: 'all', seed: 3,
});

describe('U-LSTM through hemaseg train', () => {
  it('trains both tasks as a clip family and stores the models', async () => {
    const p = newClipProject();
    try {
      await addDiskSequence(p, { name: 'a', frames: 8, split: 'train' });
      await addDiskSequence(p, { name: 'v', frames: 5, split: 'val', x0: 6 });
      for (const task of ['multiclass-edge', 'binary'] as const) {
        const { request: req } = prepareTrainRequest(p, request(task));
        const runId = p.runs.create(req, null);
        const sent: FromWorker[] = [];
        const io: JobIo = { send: (m) => sent.push(m), cancelled: () => false, orphaned: () => false, backend: { backend: 'wasm', detail: 'test' } };
        await runTrainJob(p.path, runId, false, io);
        const error = sent.find((m) => m.type === 'error');
        expect(error, JSON.stringify(error)).toBeUndefined();
        expect(sent.find((m) => m.type === 'train-done')).toBeDefined();
        const model = p.models.list().find((m) => m.name === `ulstm-${task}`);
        expect(model?.family).toBe('u-lstm');
        expect(model?.task).toBe(task);
      }
    } finally {
      p.close();
    }
  }, 120_000);
});
