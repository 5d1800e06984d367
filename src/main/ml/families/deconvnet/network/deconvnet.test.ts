// DeconvNet: config validation (poolings must divide the input), both decoders at small
// sizes (forward shapes, parameter count of the description against the built network), the
// nearest up-sampling, and a tiny DeconvNet of each decoder learning a toy task on wasm.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../backend/initBackend';
import { createOptimizer, trainStep } from '../../../model/train';
import { familyInfos, resolveModelSpec } from '../../registry';
import { toyDisks } from '../../../model/toy-disks';
import { DECONVNET_DEFAULTS, deconvLayers, deconvnetParamCount, deconvWidths, resolveDeconvnetConfig, type DeconvDecoder } from '../config';
import { deconvnetFamily } from '../index';
import { createDeconvnet, upsampleNearest } from './deconvnet';

describe('DeconvNet configuration', () => {
  it('fills defaults, has 13 conv layers mirrored at seed 002 poolings, refuses bad configs', () => {
    expect(resolveDeconvnetConfig({}, 'new')).toEqual(DECONVNET_DEFAULTS);
    const layers = deconvLayers(DECONVNET_DEFAULTS);
    expect(layers.encoder.flat()).toHaveLength(13);
    expect(layers.decoder.flat()).toHaveLength(13);
    expect(deconvWidths(DECONVNET_DEFAULTS)).toEqual([8, 16, 32, 64, 64]);
    const paper = resolveModelSpec({ family: 'deconvnet', variant: 'deconvnet-paper-unpool', config: {} }).config;
    expect(deconvWidths(paper as never)).toEqual([64, 128, 256, 512, 512]);
    expect(paper).toMatchObject({ decoder: 'unpool', poolings: '1,2,2,2,3', inputSize: 120 });
    expect(() => resolveModelSpec({ family: 'deconvnet', config: { inputSize: 128 } })).toThrow(
      /input size 128 must be divisible by the product of the poolings 1,2,2,2,3 = 24; e\.g\. --size 120 or --poolings 2,2,2,2,2 \| 2,2,2,2 \| 1,2,2,2,2 \| 2,2,2 \| 2,2.*deconvnet options: --task/,
    );
    expect(() => resolveModelSpec({ family: 'deconvnet', config: { poolings: '3,3' } })).toThrow(/\(--poolings\) must be one of 1,2,2,2,3/);
    expect(() => resolveModelSpec({ family: 'deconvnet', config: { decoder: 'deconv' } })).toThrow(/--decoder\) must be one of upsample, unpool/);
  });

  it('is listed with its options, variants and parameter count', () => {
    const info = familyInfos().find((f) => f.id === 'deconvnet')!;
    expect(info.options.map((o) => o.flag)).toEqual(['task', 'size', 'input-mode', 'cell-diameter', 'stain-norm', 'poolings', 'decoder', 'upsampling', 'base-filters', 'max-filters', 'dropout', 'init', 'activation', 'bias-init']);
    expect(info.paramCount).toBe(deconvnetParamCount(DECONVNET_DEFAULTS));
    // The form's size list holds the default and only sizes the default poolings divide.
    const sizes = info.options.find((o) => o.key === 'inputSize')!.suggestions!;
    expect(sizes).toContain(DECONVNET_DEFAULTS.inputSize);
    for (const s of sizes) expect(() => resolveDeconvnetConfig({ inputSize: s })).not.toThrow();
    expect(info.variants.map((v) => v.name)).toEqual(['deconvnet', 'deconvnet-unpool', 'deconvnet-paper', 'deconvnet-paper-unpool']);
    // VGG16's 13 convolutions at 64..512 are 14.7 M weights; the mirrored decoder about as many.
    const paper = info.variants.find((v) => v.name === 'deconvnet-paper')!;
    expect(paper.paramCount).toBeGreaterThan(2 * 14e6);
    expect(paper.paramCount).toBeLessThan(2 * 15e6);
    expect(info.onnx).toBe(true);
  });
});

describe('DeconvNet network', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('nearest up-sampling repeats every pixel f x f times', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 2, 2]);
    const y = upsampleNearest(x, 3);
    expect(y.shape).toEqual([1, 6, 6, 2]);
    const v = y.arraySync()[0];
    expect(v[0][0]).toEqual([1, 2]);
    expect(v[2][2]).toEqual([1, 2]);
    expect(v[2][3]).toEqual([3, 4]);
    expect(v[5][5]).toEqual([7, 8]);
    expect(v[3][0]).toEqual([5, 6]);
    tf.dispose([x, y]);
  });

  it('builds both decoders and every task at small sizes: shapes and parameter count', () => {
    for (const decoder of ['upsample', 'unpool'] as DeconvDecoder[]) {
      for (const task of ['binary', 'multiclass-edge'] as const) {
        for (const extra of [{}, { upsampling: 'bilinear' as const, activation: 'leaky' as const, init: 'xavier' as const }]) {
          const config = resolveDeconvnetConfig({ task, decoder, inputSize: 24, baseFilters: 2, maxFilters: 4, ...extra }, 'new');
          const model = createDeconvnet(config, 2);
          expect(model.paramCount()).toBe(deconvnetFamily.paramCount(config));
          const x = tf.randomUniform([2, 24, 48, 3]) as tf.Tensor4D;
          const logits = model.apply(x, { training: true, updateStats: false });
          expect(logits.shape).toEqual([2, 24, 48, task === 'binary' ? 1 : 4]);
          const probs = model.predictProbs(x);
          expect(probs.shape).toEqual(logits.shape);
          expect(() => model.apply(tf.zeros([1, 32, 24, 3]) as tf.Tensor4D)).toThrow(/product of the poolings 1,2,2,2,3 = 24/);
          tf.dispose([x, logits, probs]);
          model.dispose();
        }
      }
    }
  });

  it('a tiny DeconvNet of each decoder learns bright disks on the wasm backend (loss falls)', () => {
    expect(tf.getBackend()).toBe('wasm');
    for (const decoder of ['upsample', 'unpool'] as DeconvDecoder[]) {
      const model = createDeconvnet({ task: 'binary', inputSize: 32, poolings: '2,2', decoder, baseFilters: 4, maxFilters: 8, dropout: 0 }, 11);
      const optimizer = createOptimizer({ learningRate: 3e-3 });
      const losses: number[] = [];
      for (let step = 0; step < 40; step++) {
        const d = toyDisks(8, 32, step + 1);
        const x = tf.tensor4d(d.x, [8, 32, 32, 3]);
        const y = tf.tensor3d(d.labels, [8, 32, 32], 'int32');
        losses.push(trainStep(model, optimizer, x, y, { clipNorm: 5 }).loss);
        tf.dispose([x, y]);
      }
      const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
      const last = losses.slice(-5).reduce((a, b) => a + b) / 5;
      expect(last, decoder).toBeLessThan(first * 0.75);
      model.dispose();
      optimizer.dispose();
    }
  });
});
