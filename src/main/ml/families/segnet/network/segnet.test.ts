// SegNet-Basic: config validation, forward shapes, the parameter count of the description
// against the built network, and a tiny SegNet learning a toy task on the wasm backend.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/initBackend';
import { createOptimizer, trainStep } from '../../../model/train';
import { familyInfos, resolveModelSpec } from '../../registry';
import { toyDisks } from '../../../model/toy-disks';
import { resolveSegnetConfig, segnetParamCount, segnetWidths, SEGNET_DEFAULTS } from '../config';
import { segnetFamily } from '../index';
import { createSegnet } from './segnet';

describe('SegNet configuration', () => {
  it('fills defaults, presets the paper variant and refuses configs that cannot build', () => {
    expect(resolveSegnetConfig({}, 'new')).toEqual(SEGNET_DEFAULTS);
    expect(segnetWidths(SEGNET_DEFAULTS)).toEqual([16, 32, 64, 64]);
    const paper = resolveModelSpec({ family: 'segnet', variant: 'segnet-paper', config: {} }).config;
    expect(segnetWidths(paper as never)).toEqual([64, 128, 256, 512]);
    expect(paper).toMatchObject({ kernelSize: 7, depth: 4, init: 'xavier' });
    expect(() => resolveModelSpec({ family: 'segnet', config: { inputSize: 120 } })).toThrow(/input size 120 must be divisible by 2\^depth = 16.*--size 128.*segnet options: --task .*--kernel/);
    expect(() => resolveModelSpec({ family: 'segnet', config: { kernelSize: 4 } })).toThrow(/kernel size must be odd/);
    expect(() => resolveModelSpec({ family: 'segnet', config: { baseFilters: 64, maxFilters: 32 } })).toThrow(/--max-filters 32 is below --base-filters 64/);
    expect(() => resolveModelSpec({ family: 'segnet', config: { init: 'zeros' } })).toThrow(/must be one of he, xavier, normal/);
    expect(() => resolveModelSpec({ family: 'segnet', config: { depth: 3 } })).not.toThrow();
  });

  it('is listed with its options, variants and parameter count', () => {
    const info = familyInfos().find((f) => f.id === 'segnet')!;
    expect(info.options.map((o) => o.flag)).toEqual(['task', 'size', 'input-mode', 'cell-diameter', 'stain-norm', 'depth', 'kernel', 'base-filters', 'max-filters', 'dropout', 'init', 'activation']);
    expect(info.paramCount).toBe(segnetParamCount(SEGNET_DEFAULTS));
    expect(info.variants.map((v) => v.name)).toEqual(['segnet', 'segnet-paper']);
    expect(info.onnx).toBe(true);
    // By hand: enc 7*7*(3*16 + 16*32 + 32*64 + 64*64) + 2*(16+32+64+64),
    // dec 7*7*(64*64 + 64*32 + 32*16 + 16*16) + 2*(64+32+16+16), out 16*4 + 4.
    expect(info.paramCount).toBe(49 * (48 + 512 + 2048 + 4096) + 352 + 49 * (4096 + 2048 + 512 + 256) + 256 + 68);
  });
});

describe('SegNet network', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('builds every task and variant at small sizes: output shapes and parameter count', () => {
    for (const task of ['binary', 'multiclass', 'multiclass-edge'] as const) {
      for (const preset of [{}, { kernelSize: 3, depth: 2, activation: 'leaky' as const, init: 'normal' as const }]) {
        const config = resolveSegnetConfig({ task, inputSize: 32, baseFilters: 2, maxFilters: 4, ...preset }, 'new');
        const model = createSegnet(config, 3);
        expect(model.paramCount()).toBe(segnetFamily.paramCount(config));
        const x = tf.randomUniform([2, 32, 48, 3]) as tf.Tensor4D;
        const logits = model.apply(x, { training: true, updateStats: false });
        expect(logits.shape).toEqual([2, 32, 48, task === 'binary' ? 1 : task === 'multiclass' ? 3 : 4]);
        const probs = model.predictProbs(x);
        expect(probs.shape).toEqual(logits.shape);
        expect(() => model.apply(tf.zeros([1, 18, 32, 3]) as tf.Tensor4D)).toThrow(/divisible by 2\^depth/);
        tf.dispose([x, logits, probs]);
        model.dispose();
      }
    }
  });

  it('a tiny SegNet learns bright disks on the wasm backend (loss falls)', () => {
    expect(tf.getBackend()).toBe('wasm');
    const model = createSegnet({ task: 'binary', inputSize: 32, depth: 2, kernelSize: 3, baseFilters: 4, maxFilters: 8, dropout: 0 }, 11);
    const optimizer = createOptimizer({ learningRate: 3e-3 });
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const d = toyDisks(8, 32, step + 1);
      const batch = { x: tf.tensor4d(d.x, [8, 32, 32, 3]), y: tf.tensor3d(d.labels, [8, 32, 32], 'int32') };
      losses.push(trainStep(model, optimizer, batch.x, batch.y, { clipNorm: 5 }).loss);
      tf.dispose([batch.x, batch.y]);
    }
    const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
    const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
    expect(last).toBeLessThan(first * 0.7);
    model.dispose();
    optimizer.dispose();
  });
});
