// The clip trainer: the LSTM-CNN learns a moving disk (loss down, test metrics at 0.7), the
// report's stop rule (consecutive increases of the validation cost), the metrics at the
// threshold, and the whole worker job from a project run to a stored model with the report's
// test metrics.
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend';
import { registerCoreGradients } from '../../kernels/gradients';
import { lstmCnnClipTraining } from '../../families/lstm-cnn/network/clip-family';
import { resolveLstmCnnConfig } from '../../families/lstm-cnn/config';
import type { FromWorker, JobIo } from '../../worker/protocol';
import type { Checkpoint } from '../checkpoint';
import type { NamedArray } from '../network';
import { prepareTrainRequest } from '../train-service';
import { runTrainJob } from '../train-job';
import type { TrainPoint, TrainRequest } from '../../../../shared/ml';
import type { ClipBatch, ClipNetwork } from './clip-seam';
import { addDiskSequence, newClipProject } from './clip-fixture';
import { FrameCache, loadClips, type LoadedClip } from './clip-data';
import { planClips } from './clip-sampler';
import { clipTestMetrics, frameMetrics, runClipTrainer } from './clip-trainer';

beforeAll(async () => {
  await initBackend('wasm');
  registerCoreGradients();
});

const hooks = (points: TrainPoint[], checkpoints: Checkpoint[] = []) => ({
  onPoint: (p: TrainPoint) => points.push(p),
  onCheckpoint: (c: Checkpoint) => void checkpoints.push(c),
  cancelled: () => false,
  breathe: async () => undefined,
});

const trainReq = (over: Partial<TrainRequest> = {}): TrainRequest => ({
  name: 'disk', model: { family: 'lstm-cnn', variant: 'lstm-cnn-slim-t', config: { inputSize: 16 } }, epochs: 12, minutes: null, batch: 2, lr: 0.01,
  patience: null, clipNorm: 5, classWeights: null, augmentation: { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 }, from: null, images: 'all', seed: 3, ...over,
});

describe('the stop rules and the metrics', () => {
  it('thresholds at 0.7: accuracy, recall, precision per frame', () => {
    const probs = [0.69, 0.7, 0.9, 0.1, 0.8, 0.2];
    const labels = [1, 1, 1, 0, 0, 0];
    // predicted cell: 0.7, 0.9, 0.8 -> tp 2, fp 1, fn 1 (0.69 is below the threshold), tn 2
    expect(frameMetrics(probs, labels, 0.7)).toEqual({ accuracy: 4 / 6, recall: 2 / 3, precision: 2 / 3 });
    expect(frameMetrics(probs, labels, 0.5).recall).toBe(1);
  });

  it('stops after `patience` consecutive increases and keeps the weights of the lowest validation cost', async () => {
    // A stand-in network: validation costs 5, 4, 4.5, 4.6, 4.7 ...; the weights are the step count.
    let steps = 0;
    let evals = 0;
    const costs = [5, 4, 4.5, 4.6, 4.7, 4.8, 4.9];
    const fake: ClipNetwork = {
      family: 'fake', config: { task: 'binary', inputSize: 4, inChannels: 1 }, channels: 1, sizeMultiple: 1,
      trainStep: () => ++steps && 1,
      evaluate: (b: ClipBatch) => ({ loss: costs[evals++], probs: new Float32Array(b.n * b.h * b.w) }),
      stream: () => ({ next: () => new Float32Array(), dispose: () => undefined }),
      getWeights: (): NamedArray[] => [{ name: 'w', shape: [1], data: Float32Array.of(steps) }],
      setWeights: () => undefined,
      getOptimizerState: async () => [],
      setOptimizerState: async () => undefined,
      serialize: async () => ({ modelJson: '{}', weights: new Uint8Array() }),
      paramCount: () => 1,
      dispose: () => undefined,
    };
    const clip = (): LoadedClip => ({ target: { sequenceId: 1, sequenceName: 's', frameIndex: 0, imageId: 1, maskVersionId: 1, frames: [1], padded: 0 }, name: 's#0', h: 4, w: 4, frames: [new Float32Array(16)], y: new Uint8Array(16) });
    const points: TrainPoint[] = [];
    const r = await runClipTrainer({ net: fake, train: [clip(), clip()], val: [clip()], request: trainReq({ epochs: 1000, batch: 1, patience: 3 }), valEvery: 2, resume: null }, hooks(points));
    expect(r.stoppedBy).toBe('early-stopping');
    // Validations after steps 2, 4, 6, 8, 10: costs 5, 4, 4.5, 4.6, 4.7 -> three increases after the best.
    expect(r.steps).toBe(10);
    expect(r.bestValLoss).toBe(4);
    expect(r.bestValidation).toBe(2);
    expect(r.bestStep).toBe(4);
    expect(r.bestEpoch).toBe(2); // 4 steps of 1 clip over 2 training clips
    expect(r.weights[0].data[0]).toBe(4);
    expect(points.filter((p) => p.kind === 'validation').map((p) => p.valLoss)).toEqual([5, 4, 4.5, 4.6, 4.7]);
    // The other rule of the shared module: 2 validations without a new best (costs 5, 4, 4.5, 4.6).
    steps = 0;
    evals = 0;
    const r2 = await runClipTrainer({ net: fake, train: [clip(), clip()], val: [clip()], request: trainReq({ epochs: 1000, batch: 1, patience: 2, stopRule: 'no-improvement', validateEvery: 2 }), resume: null }, hooks([]));
    expect(r2).toMatchObject({ stoppedBy: 'early-stopping', steps: 8, bestValLoss: 4 });

    // Cancelled after step 5, resumed from the checkpoint of step 4: the same run to the same end.
    steps = 0;
    evals = 0;
    const saved: Checkpoint[] = [];
    const req = trainReq({ epochs: 1000, batch: 1, patience: 3 });
    const cut = await runClipTrainer({ net: fake, train: [clip(), clip()], val: [clip()], request: req, valEvery: 2, resume: null }, { ...hooks([], saved), cancelled: () => steps >= 5 });
    expect(cut).toMatchObject({ stoppedBy: 'cancelled', steps: 5, lastCheckpointEpoch: 2 });
    steps = 4; // the weights as of the checkpoint
    const resumed = await runClipTrainer({ net: fake, train: [clip(), clip()], val: [clip()], request: req, valEvery: 2, resume: saved[saved.length - 1] }, hooks([]));
    expect(resumed).toMatchObject({ stoppedBy: 'early-stopping', steps: 10, bestValLoss: 4, bestValidation: 2 });
    expect(resumed.curves.filter((p) => p.kind === 'validation').map((p) => p.valLoss)).toEqual([5, 4, 4.5, 4.6, 4.7]);
  });
});

describe('clip training on a moving disk', () => {
  it('lowers the loss of an LSTM-CNN and measures the test frames at 0.7', async () => {
    const p = newClipProject();
    const net = lstmCnnClipTraining.create(resolveLstmCnnConfig({ arch: 'slim-t', recurrence: 'lstm', inputSize: 16 }, 'new'), 3, { learningRate: 0.01 });
    try {
      await addDiskSequence(p, { name: 'train', frames: 12, split: 'train' });
      await addDiskSequence(p, { name: 'val', frames: 6, split: 'val', x0: 9 });
      await addDiskSequence(p, { name: 'test', frames: 6, split: 'test', x0: 1 });
      const plan = planClips(p, 5);
      const opts = { task: 'binary' as const, sizeMultiple: 4, cache: new FrameCache(p, 1) };
      const [train, val, test] = await Promise.all([plan.train, plan.val, plan.test].map((t) => loadClips(p, t, opts)));
      expect(train.clips).toHaveLength(12);
      expect(train.skipped).toEqual([]);
      // The frames are read back at 16 bits: 0.2 and 0.8 within 1e-4.
      expect(Math.abs(train.clips[0].frames[0][0] - 0.2)).toBeLessThan(1e-4);
      const before = clipTestMetrics(net, test.clips);
      const points: TrainPoint[] = [];
      const checkpoints: Checkpoint[] = [];
      const r = await runClipTrainer({ net, train: train.clips, val: val.clips, request: trainReq({ epochs: 12 }), valEvery: 6, resume: null }, hooks(points, checkpoints));
      expect(r.stoppedBy).toBe('epochs');
      expect(r.steps).toBe(72);
      const losses = points.filter((q) => q.kind === 'step').map((q) => q.loss);
      const mean = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
      expect(mean(losses.slice(-6))).toBeLessThan(0.6 * mean(losses.slice(0, 6)));
      expect(checkpoints).toHaveLength(12);
      net.setWeights(r.weights);
      const after = clipTestMetrics(net, test.clips);
      expect(after.frames).toBe(6);
      expect(after.cost).toBeLessThan(before.cost);
      // Above the all-background answer (the disk covers 29 of 256 pixels: 0.887) and finding the disk.
      expect(after.accuracy).toBeGreaterThan(0.9);
      expect(after.recall).toBeGreaterThan(0.2);
      for (const k of ['accuracyStd', 'recallStd', 'precisionStd', 'costStd'] as const) expect(after[k]).toBeGreaterThanOrEqual(0);
    } finally {
      net.dispose();
      p.close();
    }
  });

  it('runs a train job of a clip family end to end: model stored with the report metrics', async () => {
    const p = newClipProject();
    try {
      await addDiskSequence(p, { name: 'film', frames: 21, protocol: 'seed000' });
      await addDiskSequence(p, { name: 'v', frames: 4, split: 'val' });
      const { request } = prepareTrainRequest(p, trainReq({ epochs: 4, batch: 1 }));
      const runId = p.runs.create(request, null);
      const sent: FromWorker[] = [];
      const io: JobIo = { send: (m) => sent.push(m), cancelled: () => false, orphaned: () => false, backend: { backend: 'wasm', detail: 'test' } };
      await runTrainJob(p.path, runId, false, io);
      const done = sent.find((m) => m.type === 'train-done');
      expect(done).toBeDefined();
      const started = sent.find((m) => m.type === 'train-started');
      expect(started).toMatchObject({ trainImages: 3, valImages: 4 });
      const model = p.models.list().find((m) => m.name === 'disk');
      expect(model?.family).toBe('lstm-cnn');
      expect(model?.metrics['test.frames']).toBe(2);
      for (const k of ['test.accuracy', 'test.recall', 'test.precision', 'test.cost', 'valLoss', 'bestEpoch', 'trainingSeconds']) expect(Number.isFinite(model?.metrics[k])).toBe(true);
      expect(model?.metrics['test.threshold']).toBe(0.7);
      expect(p.runs.get(runId)?.info.status).toBe('done');
    } finally {
      p.close();
    }
  });
});
