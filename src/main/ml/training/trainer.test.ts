import { describe, expect, it } from 'vitest';
import type { TrainPoint, TrainRequest } from '../../../shared/ml';
import { DEFAULT_TRAIN } from '../../../shared/ml';
import type { Example } from '../data/dataset';
import { resolveUnetConfig } from '../families/unet/config';
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
