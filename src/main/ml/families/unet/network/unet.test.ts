// U-Net behaviour: configuration, parameter count against the PyTorch reference, equality of
// the fast (project kernels) and generic paths and of wasm and cpu, batch-norm modes, the
// loss, and that a tiny U-Net learns a synthetic segmentation task on wasm.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/initBackend';
import { onBackend, randomArray, relError } from '../../../kernels/testUtil';
import { outputChannels } from '../../common-config';
import { UNET_DEFAULTS as DEFAULT_UNET_CONFIG, levelWidths, resolveUnetConfig, unetParamCount } from '../config';
import { labelsToClasses, lossFn } from '../../../model/loss';
import { probsToClasses } from '../../../model/predict';
import { toyDisks } from '../../../model/toy-disks';
import { createOptimizer, trainStep } from '../../../model/train';
import { createUnet } from './unet';

/** The families' toy task (bright disks on a noisy background) as tensors. */
export function makeDisks(n: number, size: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor3D; labels: Uint8Array } {
  const { x, labels } = toyDisks(n, size, seed);
  return { x: tf.tensor4d(x, [n, size, size, 3]), y: tf.tensor3d(labels, [n, size, size], 'int32'), labels: Uint8Array.from(labels) };
}

function dice(pred: Uint8Array | Int32Array, truth: Uint8Array): number {
  let inter = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < truth.length; i++) {
    const p = pred[i] === 1 ? 1 : 0;
    const t = truth[i] === 1 ? 1 : 0;
    inter += p * t;
    a += p;
    b += t;
  }
  return (2 * inter) / Math.max(a + b, 1);
}

describe('U-Net configuration', () => {
  it('fills defaults and validates', () => {
    // A new model gets every default; a stored config without the input settings keeps them absent ('squash').
    expect(resolveUnetConfig({}, 'new')).toEqual(DEFAULT_UNET_CONFIG);
    const { inputMode: _fit, ...stored } = DEFAULT_UNET_CONFIG;
    expect(resolveUnetConfig()).toEqual(stored);
    expect(resolveUnetConfig({ task: 'binary', depth: 2 }).task).toBe('binary');
    expect(() => resolveUnetConfig({ inputSize: 100, depth: 3 })).toThrow(/divisible/);
    expect(() => resolveUnetConfig({ depth: 0 })).toThrow(/depth/);
    expect(() => resolveUnetConfig({ dropout: 1 })).toThrow(/dropout/);
    expect(() => resolveUnetConfig({ task: 'edges' as never })).toThrow(/task/);
    expect(levelWidths(resolveUnetConfig({ baseFilters: 16, depth: 3 }))).toEqual([16, 32, 64, 128]);
    expect([outputChannels('binary'), outputChannels('multiclass'), outputChannels('multiclass-edge')]).toEqual([1, 3, 4]);
  });
});

describe('U-Net model', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('has the reference network parameter count (PyTorch minus the biases before batch norm)', () => {
    const model = createUnet({ task: 'multiclass', inputSize: 128, depth: 3, baseFilters: 16 });
    // torch_unet_ref.py reports 537459; its 816 conv biases before BN never change the output.
    const widths = levelWidths(model.config);
    const biasesBeforeBn = widths.reduce((s, w) => s + 2 * w, 0) + widths.slice(0, -1).reduce((s, w) => s + 3 * w, 0);
    expect(biasesBeforeBn).toBe(816);
    expect(model.paramCount()).toBe(537459 - 816);
    // The family counts the same without building the network (hemaseg families, models --json).
    expect(unetParamCount(model.config)).toBe(model.paramCount());
    for (const c of [{ task: 'binary' as const, depth: 2, baseFilters: 8 }, { task: 'multiclass-edge' as const, depth: 4, baseFilters: 4, inputSize: 64 }]) {
      const m = createUnet(c);
      expect(unetParamCount(m.config)).toBe(m.paramCount());
      m.dispose();
    }
    model.dispose();
  });

  it('builds every task with the right output channels and rejects bad inputs', () => {
    for (const task of ['binary', 'multiclass', 'multiclass-edge'] as const) {
      const model = createUnet({ task, inputSize: 16, depth: 2, baseFilters: 2 }, 3);
      const out = model.apply(tf.zeros([1, 16, 16, 3]) as tf.Tensor4D);
      expect(out.shape).toEqual([1, 16, 16, outputChannels(task)]);
      const probs = model.predictProbs(tf.zeros([2, 24, 8, 3]) as tf.Tensor4D);
      expect(probs.shape).toEqual([2, 24, 8, outputChannels(task)]);
      expect(() => model.apply(tf.zeros([1, 10, 16, 3]) as tf.Tensor4D)).toThrow(/divisible/);
      tf.dispose([out, probs]);
      model.dispose();
    }
  });

  it('gives the same initial weights and outputs for a seed on wasm and cpu', async () => {
    const x = randomArray(2 * 16 * 16 * 3, 5).map((v) => Math.abs(v));
    const run = () => {
      const model = createUnet({ task: 'multiclass', inputSize: 16, depth: 2, baseFilters: 4 }, 42);
      const out = [model.apply(tf.tensor4d(x, [2, 16, 16, 3])), model.apply(tf.tensor4d(x, [2, 16, 16, 3]), { training: true, updateStats: false, dropoutSeed: 1 })];
      model.dispose();
      return out;
    };
    const wasm = await onBackend('wasm', run);
    const cpu = await onBackend('cpu', run);
    expect(relError(wasm[0], cpu[0])).toBeLessThan(1e-4);
    expect(relError(wasm[1], cpu[1])).toBeLessThan(1e-4);
  });

  it('fast path (project kernels) and generic tfjs-op path agree in training mode, with gradients', async () => {
    const xData = randomArray(2 * 16 * 16 * 3, 8).map((v) => Math.abs(v));
    const yData = Int32Array.from(randomArray(2 * 16 * 16, 9), (v) => (v > 0.3 ? 2 : v > -0.3 ? 1 : 0));
    const run = (fast: boolean) => () => {
      const model = createUnet({ task: 'multiclass', inputSize: 16, depth: 2, baseFilters: 4, dropout: 0 }, 7);
      const x = tf.tensor4d(xData, [2, 16, 16, 3]);
      const y = tf.tensor3d(yData, [2, 16, 16], 'int32');
      const vars = model.trainableVariables();
      const { value, grads } = tf.variableGrads(() => lossFn(model.apply(x, { training: true, fast, updateStats: false }), y), vars);
      const out = [value, ...vars.map((v) => grads[v.name])];
      const kept = out.map((t) => tf.keep(t.clone()));
      model.dispose();
      return kept;
    };
    const generic = await onBackend('cpu', run(false));
    for (const backend of ['cpu', 'wasm']) {
      const fast = await onBackend(backend, run(true));
      fast.forEach((g, i) => expect(relError(g, generic[i]), `${backend} tensor ${i}`).toBeLessThan(2e-3));
    }
  });

  it('updates batch-norm running statistics only in training mode and uses them at inference', () => {
    const model = createUnet({ task: 'binary', inputSize: 8, depth: 1, baseFilters: 2 }, 1);
    const mm = model.variables.get('enc0/conv1/bn/moving_mean') as tf.Variable;
    const before = Array.from(mm.dataSync());
    const x = tf.add(tf.mul(tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 3), 5), 2) as tf.Tensor4D;
    tf.dispose(model.apply(x));
    expect(Array.from(mm.dataSync())).toEqual(before);
    tf.dispose(model.apply(x, { training: true, updateStats: false }));
    expect(Array.from(mm.dataSync())).toEqual(before);
    tf.dispose(model.apply(x, { training: true }));
    expect(Array.from(mm.dataSync())).not.toEqual(before);
    model.dispose();
  });

  it('loss: categorical and binary cross-entropy with class weights', () => {
    const logits = tf.tensor4d([2, 0, 0, 0, 1, 0], [1, 1, 2, 3]);
    const labels = tf.tensor3d([0, 2], [1, 1, 2], 'int32');
    const lse = (a: number[]) => Math.log(a.reduce((s, v) => s + Math.exp(v), 0));
    const l0 = lse([2, 0, 0]) - 2;
    const l1 = lse([0, 1, 0]) - 0;
    expect(lossFn(logits, labels).dataSync()[0]).toBeCloseTo((l0 + l1) / 2, 5);
    expect(lossFn(logits, labels, { classWeights: [1, 1, 3] }).dataSync()[0]).toBeCloseTo((l0 + 3 * l1) / 4, 5);
    const z = tf.tensor4d([3, -1], [1, 1, 2, 1]);
    const yb = tf.tensor3d([1, 1], [1, 1, 2], 'int32');
    const bce = (v: number) => Math.log(1 + Math.exp(-v));
    expect(lossFn(z, yb).dataSync()[0]).toBeCloseTo((bce(3) + bce(-1)) / 2, 5);
    expect(() => lossFn(z, yb, { classWeights: [1, 2, 3] })).toThrow(/classWeights/);
    expect(Array.from(labelsToClasses(Uint8Array.from([0, 1, 2, 3]), 'binary'))).toEqual([0, 1, 1, 1]);
    expect(Array.from(labelsToClasses(Uint8Array.from([0, 1, 2, 3]), 'multiclass'))).toEqual([0, 1, 2, 1]);
    expect(Array.from(labelsToClasses(Uint8Array.from([0, 1, 2, 3]), 'multiclass-edge'))).toEqual([0, 1, 2, 3]);
  });

  it('a tiny U-Net learns to segment bright disks on the wasm backend (loss falls, Dice > 0.8)', () => {
    expect(tf.getBackend()).toBe('wasm');
    const model = createUnet({ task: 'binary', inputSize: 32, depth: 2, baseFilters: 4, dropout: 0.5 }, 11);
    const optimizer = createOptimizer({ learningRate: 3e-3 });
    const test = makeDisks(16, 32, 999);
    const losses: number[] = [];
    for (let step = 0; step < 90; step++) {
      const batch = makeDisks(8, 32, step + 1);
      losses.push(trainStep(model, optimizer, batch.x, batch.y, { clipNorm: 5 }).loss);
      tf.dispose([batch.x, batch.y]);
    }
    const probs = model.predictProbs(test.x);
    const pred = probsToClasses(probs, 'binary');
    const d = dice(pred.dataSync() as Int32Array, test.labels);
    const first = losses.slice(0, 10).reduce((a, b) => a + b) / 10;
    const last = losses.slice(-10).reduce((a, b) => a + b) / 10;
    expect(last).toBeLessThan(first * 0.5);
    expect(d).toBeGreaterThan(0.8);
    tf.dispose([probs, pred, test.x, test.y]);
    model.dispose();
    optimizer.dispose();
  });

  it('frees every intermediate tensor of a training step', () => {
    const model = createUnet({ task: 'multiclass-edge', inputSize: 16, depth: 2, baseFilters: 2 }, 2);
    const optimizer = createOptimizer();
    const x = tf.randomUniform([2, 16, 16, 3]) as tf.Tensor4D;
    const y = tf.randomUniform([2, 16, 16], 0, 4, 'int32') as tf.Tensor3D;
    trainStep(model, optimizer, x, y); // creates the optimizer's slots
    const before = tf.memory().numTensors;
    trainStep(model, optimizer, x, y, { clipNorm: 1, classWeights: [1, 2, 2, 4] });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    model.dispose();
    optimizer.dispose();
  });
});
