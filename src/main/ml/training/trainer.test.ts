import { describe, expect, it } from 'vitest';
import type { TrainPoint, TrainRequest } from '../../../shared/ml';
import { DEFAULT_TRAIN } from '../../../shared/ml';
import type { Example } from '../data/dataset';
import { resolveUnetConfig } from '../families/unet/config';
import { decodeCheckpoint, encodeCheckpoint, type Checkpoint, type CheckpointState } from './checkpoint';
import type { NetConfig, SegmentationNetwork } from './network';
import { runTrainer } from './trainer';

// A stand-in network on a fake clock: each training step and each validation batch costs a
// fixed number of seconds, so budgets can be checked exactly and fast.
function fakeNet(clock: { t: number }, stepSeconds: number, predictSeconds: number): SegmentationNetwork {
  const config = resolveUnetConfig({ task: 'multiclass', inputSize: 16, depth: 2, baseFilters: 4, dropout: 0 }, 'new') as unknown as NetConfig;
  let loss = 1;
  return {
    family: 'unet', config, sizeMultiple: 4, channels: 3,
    predictProbs: (_x, n, h = 16, w = 16) => {
      clock.t += predictSeconds * 1000;
      return new Float32Array(n * h * w * 3).fill(1 / 3);
    },
    trainStep: () => {
      clock.t += stepSeconds * 1000;
      return (loss *= 0.99);
    },
    getWeights: () => [],
    setWeights: () => undefined,
    getOptimizerState: () => Promise.resolve([]),
    setOptimizerState: () => Promise.resolve(),
    serialize: () => Promise.resolve({ modelJson: '{}', weights: new Uint8Array(0) }),
    paramCount: () => 0,
    dispose: () => undefined,
  };
}

const examples = (n: number): Example[] =>
  Array.from({ length: n }, (_, k) => ({ imageId: k + 1, maskVersionId: k + 1, name: `${k}.png`, rgb: new Uint8Array(16 * 16 * 3).fill(100), labels: new Uint8Array(16 * 16).fill(k % 3), instances: null }));

function request(p: Partial<TrainRequest>): TrainRequest {
  return { ...DEFAULT_TRAIN, name: 't', model: { family: 'unet', config: { task: 'multiclass', inputSize: 16, depth: 2, baseFilters: 4, dropout: 0 } }, patience: null, batch: 2, ...p, augmentation: { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 } };
}

async function run(req: TrainRequest, train: number, val: number, stepSeconds: number, predictSeconds: number) {
  const clock = { t: 0 };
  const points: TrainPoint[] = [];
  const result = await runTrainer(
    { net: fakeNet(clock, stepSeconds, predictSeconds), train: examples(train), val: examples(val), request: req, task: 'multiclass', resume: null },
    { onPoint: (p) => points.push({ ...p }), onCheckpoint: () => undefined, cancelled: () => false, breathe: () => Promise.resolve(), now: () => clock.t },
  );
  return { result, points };
}

describe('training progress and the time budget', () => {
  it('cuts the first epoch by the minutes budget, validation included, and ends at 100 %', async () => {
    // 40 images, batch 2: 20 steps of 7 s = 140 s per epoch, far over a 1-minute budget.
    const { result, points } = await run(request({ epochs: 50, minutes: 1 }), 40, 4, 7, 2);
    expect(result.stoppedBy).toBe('minutes');
    expect(result.epochsRun).toBe(1);
    expect(result.trainingSeconds).toBeLessThanOrEqual(60);
    const last = points[points.length - 1];
    expect(last).toMatchObject({ kind: 'epoch', final: true, fraction: 1, epochsDone: 1, epochsExpected: 1, budgetSeconds: 60 });
    // Before the first epoch ended, no epoch count is claimed; progress goes by time.
    const steps = points.filter((p) => p.kind === 'step');
    expect(steps.length).toBeGreaterThan(0);
    expect(steps.every((p) => p.epochsExpected === null && p.epochsDone === 0 && !p.final)).toBe(true);
    expect(steps[steps.length - 1].fraction).toBeGreaterThan(0.8);
  });

  it('reports epochs expected only after an epoch ends, and 100 % on the planned last epoch', async () => {
    const { result, points } = await run(request({ epochs: 3, minutes: null }), 8, 2, 1, 0.5);
    expect(result.stoppedBy).toBe('epochs');
    const epochs = points.filter((p) => p.kind === 'epoch');
    expect(epochs.map((p) => p.final)).toEqual([false, false, true]);
    expect(epochs[2].fraction).toBe(1);
    const firstEpochSteps = points.filter((p) => p.kind === 'step' && p.epoch === 1);
    expect(firstEpochSteps.every((p) => p.epochsExpected === null)).toBe(true);
    expect(points.filter((p) => p.kind === 'step' && p.epoch === 2).every((p) => p.epochsExpected === 3)).toBe(true);
    const fractions = points.map((p) => p.fraction!);
    expect(fractions.every((f, k) => k === 0 || f >= fractions[k - 1])).toBe(true);
    expect(fractions.slice(0, -1).every((f) => f < 1)).toBe(true);
  });

  it('ends a budgeted run at 100 % when the budget is used up between epochs', async () => {
    // 4 steps of 5 s + validation 2 s = 22 s per epoch; 1 minute fits two epochs, not three.
    const { result, points } = await run(request({ epochs: 100_000, minutes: 1 }), 8, 2, 5, 2);
    expect(result.stoppedBy).toBe('minutes');
    expect(result.trainingSeconds).toBeLessThanOrEqual(60);
    const last = points[points.length - 1];
    expect(last.final).toBe(true);
    expect(last.fraction).toBe(1);
    expect(points.filter((p) => p.final)).toHaveLength(1);
  });
});

// A stand-in network whose only "weight" is the number of steps trained, and whose
// validation cost is a chosen function of it: probabilities exp(-cost) on every class make
// the validation cross-entropy exactly `cost`, so stopping rules and best weights are exact.
function scheduledNet(cost: (stepsTrained: number) => number): SegmentationNetwork {
  const config = resolveUnetConfig({ task: 'multiclass', inputSize: 16, depth: 2, baseFilters: 4, dropout: 0 }, 'new') as unknown as NetConfig;
  let w = 0;
  return {
    family: 'unet', config, sizeMultiple: 4, channels: 3,
    predictProbs: (_x, n, h = 16, wd = 16) => new Float32Array(n * h * wd * 3).fill(Math.exp(-cost(w))),
    trainStep: () => {
      w++;
      return 1 / w;
    },
    getWeights: () => [{ name: 'w', shape: [1], data: Float32Array.of(w) }],
    setWeights: (ws) => {
      w = ws[0].data[0];
    },
    getOptimizerState: () => Promise.resolve([{ name: 'iter', shape: [], data: Float32Array.of(w) }]),
    setOptimizerState: () => Promise.resolve(),
    serialize: () => Promise.resolve({ modelJson: '{}', weights: new Uint8Array(0) }),
    paramCount: () => 1,
    dispose: () => undefined,
  };
}

interface ScheduledRun {
  result: Awaited<ReturnType<typeof runTrainer>>;
  points: TrainPoint[];
  checkpoints: Checkpoint[];
}

/** 10 images, batch 2: 5 steps per epoch. `cancelAfterCheckpoints` kills the run after that many epochs. */
async function scheduled(req: TrainRequest, cost: (w: number) => number, resume: Checkpoint | null = null, cancelAfterCheckpoints = Infinity): Promise<ScheduledRun> {
  const points: TrainPoint[] = [];
  const checkpoints: Checkpoint[] = [];
  const result = await runTrainer(
    { net: scheduledNet(cost), train: examples(10), val: examples(2), request: req, task: 'multiclass', resume },
    {
      onPoint: (p) => points.push({ ...p }),
      // Through the file format, as a real run stores it.
      onCheckpoint: (c) => void checkpoints.push(decodeCheckpoint(encodeCheckpoint(c))),
      cancelled: () => checkpoints.length >= cancelAfterCheckpoints,
      breathe: () => Promise.resolve(),
      now: () => 0,
    },
  );
  return { result, points, checkpoints };
}

const bestWeight = (r: ScheduledRun): number => r.result.weights[0].data[0];
// Falls to 1.4 at step 6, then zigzags (1.6, 1.5, 1.6, ...) without a new best and without two rises in a row.
const zigzag = (w: number): number => (w <= 6 ? 2 - 0.1 * w : w % 4 === 0 ? 1.6 : 1.5);
// Falls to 1.4 at step 6, then rises for ever.
const vShape = (w: number): number => (w <= 6 ? 2 - 0.1 * w : 1.4 + 0.01 * (w - 6));

describe('validation every K steps and step-based early stopping', () => {
  it('validates every K steps, records each validation with its step, and keeps the best weights', async () => {
    const r = await scheduled(request({ epochs: 3, minutes: null, patience: null, validateEvery: 3 }), vShape);
    const vals = r.result.curves.filter((p) => p.kind === 'validation');
    expect(vals.map((p) => p.step)).toEqual([3, 6, 9, 12, 15]);
    expect(vals.map((p) => p.epoch)).toEqual([1, 2, 2, 3, 3]);
    expect(vals[1].valLoss).toBeCloseTo(1.4, 5);
    // The training loss of a validation point is the mean since the previous one (steps 4..6 -> 1/4, 1/5, 1/6).
    expect(vals[1].loss).toBeCloseTo((1 / 4 + 1 / 5 + 1 / 6) / 3, 6);
    // Epoch points no longer validate; the points the UI gets include the validations.
    const epochs = r.result.curves.filter((p) => p.kind === 'epoch');
    expect(epochs).toHaveLength(3);
    expect(epochs.every((p) => p.valLoss === null)).toBe(true);
    expect(r.points.filter((p) => p.kind === 'validation')).toHaveLength(5);
    expect(r.result.stoppedBy).toBe('epochs');
    expect(bestWeight(r)).toBe(6);
    expect(r.result.bestStep).toBe(6);
    expect(r.result.bestEpoch).toBe(2);
    expect(r.result.metrics.bestStep).toBe(6);
    expect(r.result.metrics.valLoss).toBeCloseTo(1.4, 5);
  });

  it('no-improvement counts validations: stops after `patience` validations without a new best', async () => {
    // Validations at 2, 4, 6 (best), 8, 10: two without a best -> stop at step 10 (end of epoch 2).
    const r = await scheduled(request({ epochs: 20, minutes: null, patience: 2, validateEvery: 2 }), zigzag);
    expect(r.result.stoppedBy).toBe('early-stopping');
    expect(r.result.curves.filter((p) => p.kind === 'validation').map((p) => p.step)).toEqual([2, 4, 6, 8, 10]);
    expect(bestWeight(r)).toBe(6);
    const last = r.points[r.points.length - 1];
    expect(last).toMatchObject({ kind: 'epoch', final: true, fraction: 1 });
  });

  it('consecutive-increases ignores a zigzag that no-improvement stops on, and stops mid-epoch on a steady rise', async () => {
    const zig = await scheduled(request({ epochs: 4, minutes: null, patience: 2, validateEvery: 2, stopRule: 'consecutive-increases' }), zigzag);
    expect(zig.result.stoppedBy).toBe('epochs');
    expect(zig.result.curves.filter((p) => p.kind === 'validation')).toHaveLength(10);
    expect(bestWeight(zig)).toBe(6);

    // Rises at validations 8, 10, 12: the third increase (step 12, epoch 3 step 2) ends the run there.
    const rise = await scheduled(request({ epochs: 20, minutes: null, patience: 3, validateEvery: 2, stopRule: 'consecutive-increases' }), vShape);
    expect(rise.result.stoppedBy).toBe('early-stopping');
    expect(rise.result.curves.filter((p) => p.kind === 'validation').at(-1)?.step).toBe(12);
    expect(rise.result.epochsRun).toBe(3);
    expect(bestWeight(rise)).toBe(6);
    // The cut epoch is still checkpointed and its point ends the run at 100 %.
    expect(rise.checkpoints.at(-1)?.state).toMatchObject({ epoch: 3, stepsDone: 12, bestStep: 6 });
    expect(rise.checkpoints.at(-1)?.state.stopping).toMatchObject({ validations: 6, increases: 3, bestValidation: 3 });
    expect(rise.points.at(-1)).toMatchObject({ kind: 'epoch', step: 12, final: true });
  });

  it('validates once at the end when the run ends before its first every-K-steps validation', async () => {
    const r = await scheduled(request({ epochs: 2, minutes: null, patience: 3, validateEvery: 100 }), vShape);
    const kinds = r.result.curves.map((p) => `${p.kind}@${p.step}`);
    expect(kinds).toEqual(['epoch@5', 'validation@10', 'epoch@10']);
    expect(r.result.bestStep).toBe(10);
    expect(bestWeight(r)).toBe(10);
    expect(r.result.metrics.valLoss).toBeCloseTo(vShape(10), 5);
  });

  it('resumes mid-run from an epoch checkpoint exactly as an uninterrupted run goes on', async () => {
    const req = request({ epochs: 20, minutes: null, patience: 4, validateEvery: 3, stopRule: 'consecutive-increases' });
    const whole = await scheduled(req, vShape);
    const killed = await scheduled(req, vShape, null, 2);
    expect(killed.result.stoppedBy).toBe('cancelled');
    const ck = killed.checkpoints[1];
    // Step 10 is mid-way between validations 9 and 12: the loss since validation 9 is carried.
    expect(ck.state).toMatchObject({ epoch: 2, stepsDone: 10, sinceValidation: { steps: 1 } });
    const resumed = await scheduled(req, vShape, ck);
    expect(resumed.result.stoppedBy).toBe(whole.result.stoppedBy);
    expect(resumed.result.stoppedBy).toBe('early-stopping');
    // Progress estimates (ETA, epochs expected) are per session; what was measured must match.
    const essentials = (c: TrainPoint[]) => c.map((p) => ({ kind: p.kind, epoch: p.epoch, step: p.step, loss: p.loss, valLoss: p.valLoss }));
    expect(essentials(resumed.result.curves)).toEqual(essentials(whole.result.curves));
    expect(resumed.result.bestStep).toBe(whole.result.bestStep);
    expect(bestWeight(resumed)).toBe(6);
  });

  it('resumes a checkpoint written before step-level validation (no stopping state) with the epoch rule', async () => {
    const req = request({ epochs: 12, minutes: null, patience: 3 });
    // Per-epoch validation: costs at steps 5, 10, 15, ... ; best at 5 (1.5), then 10 (1.44), then rising.
    const cost = (w: number): number => (w <= 5 ? 2 - 0.1 * w : 1.44 + (w === 10 ? 0 : 0.01 * w));
    const whole = await scheduled(req, cost);
    const killed = await scheduled(req, cost, null, 2);
    const old = killed.checkpoints[1];
    const { stopping: _s, bestStep: _b, sinceValidation: _v, ...legacyState } = old.state;
    const resumed = await scheduled(req, cost, { ...old, state: legacyState as CheckpointState });
    expect(whole.result.stoppedBy).toBe('early-stopping');
    expect(resumed.result.stoppedBy).toBe('early-stopping');
    expect(resumed.result.epochsRun).toBe(whole.result.epochsRun);
    expect(whole.result.epochsRun).toBe(5);
    expect(bestWeight(resumed)).toBe(10);
    expect(resumed.result.bestEpoch).toBe(2);
  });
});
