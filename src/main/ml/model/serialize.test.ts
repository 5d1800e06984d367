// Save/load: model.json + weights give identical predictions, rebuild from the stored config,
// fail clearly on damaged files; the optimizer state round-trips for resumable checkpoints.
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { relError } from '../kernels/testUtil';
import {
  deserializeModel,
  MODEL_JSON_FILE,
  readModelFiles,
  restoreOptimizer,
  serializeModel,
  serializeOptimizer,
  writeModelFiles,
  type ModelJson,
} from './serialize';
import { createOptimizer, trainStep } from './train';
import { createUnet, type Unet } from '../families/unet/network/unet';
import type { SegmentationModel } from './segmentation-model';

const CONFIG = { task: 'multiclass-edge' as const, inputSize: 16, depth: 2, baseFilters: 4, dropout: 0.5, inChannels: 3 };

function batch(seed: number): { x: tf.Tensor4D; y: tf.Tensor3D } {
  return {
    x: tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', seed) as tf.Tensor4D,
    y: tf.randomUniform([2, 16, 16], 0, 4, 'int32', seed + 1) as tf.Tensor3D,
  };
}

function trained(): Unet {
  const model = createUnet(CONFIG, 5);
  const opt = createOptimizer({ learningRate: 1e-2 });
  for (let i = 0; i < 3; i++) {
    const b = batch(i);
    trainStep(model, opt, b.x, b.y);
    tf.dispose([b.x, b.y]);
  }
  opt.dispose();
  return model;
}

describe('model serialization', () => {
  let dir = '';
  beforeAll(async () => {
    await initBackend('wasm');
    dir = await mkdtemp(join(tmpdir(), 'hemaseg-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round trip gives identical predictions and the same config', async () => {
    const model = trained();
    const { modelJson, weights } = await serializeModel(model, { name: 'test', version: 1 });
    expect(modelJson.format).toBe('hemaseg-model');
    expect(modelJson.formatVersion).toBe(2);
    expect(modelJson.family).toBe('unet');
    expect(modelJson.config).toEqual(CONFIG);
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(modelJson.metadata).toEqual({ name: 'test', version: 1 });
    // Everything is float32: trainable weights plus batch-norm running statistics.
    const scalars = [...model.variables.values()].reduce((s, v) => s + v.size, 0);
    expect(weights.byteLength).toBe(4 * scalars);

    const copy = await deserializeModel(JSON.parse(JSON.stringify(modelJson)), weights);
    expect(copy.config).toEqual(model.config);
    const x = tf.randomUniform([3, 16, 16, 3], 0, 1, 'float32', 77) as tf.Tensor4D;
    const a = model.predictProbs(x);
    const b = copy.predictProbs(x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    copy.dispose();
  });

  it('inference weights follow training (the folded-weight cache is invalidated)', async () => {
    const model = trained();
    const x = tf.randomUniform([2, 16, 16, 3], 0, 1, 'float32', 79) as tf.Tensor4D;
    tf.dispose(model.predictProbs(x)); // fills the cache
    const tensors = tf.memory().numTensors;
    tf.dispose(model.predictProbs(x));
    expect(tf.memory().numTensors).toBe(tensors);
    const opt = createOptimizer({ learningRate: 1e-2 });
    const b = batch(50);
    trainStep(model, opt, b.x, b.y);
    const after = model.predictProbs(x);
    const { modelJson, weights } = await serializeModel(model);
    const fresh = await deserializeModel(modelJson, weights);
    const expected = fresh.predictProbs(x);
    expect(Array.from(after.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, after, expected, b.x, b.y]);
    opt.dispose();
    model.dispose();
    fresh.dispose();
  });

  it('writes and reads model.json + weights.bin', async () => {
    const model = trained();
    const modelDir = join(dir, 'm1');
    await writeModelFiles(modelDir, model);
    const json = JSON.parse(await readFile(join(modelDir, MODEL_JSON_FILE), 'utf8')) as ModelJson;
    expect(json.config.task).toBe('multiclass-edge');
    const loaded = await readModelFiles(modelDir);
    const x = tf.randomUniform([1, 32, 16, 3], 0, 1, 'float32', 78) as tf.Tensor4D;
    const a = model.predictProbs(x);
    const b = loaded.predictProbs(x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('rejects damaged or mismatched files with a clear error', async () => {
    const model = createUnet(CONFIG, 1);
    const { modelJson, weights } = await serializeModel(model);
    await expect(deserializeModel({ ...modelJson, format: 'other' }, weights)).rejects.toThrow(/format/);
    await expect(deserializeModel({ ...modelJson, family: 'nonet' }, weights)).rejects.toThrow(/unknown model family 'nonet'/);
    await expect(deserializeModel({ ...modelJson, config: { ...CONFIG, baseFilters: 8 } }, weights)).rejects.toThrow();
    const missing = { ...modelJson, weightsManifest: [{ paths: ['weights.bin'], weights: modelJson.weightsManifest[0].weights.slice(1) }] };
    const firstBytes = 4 * (model.variables.values().next().value as tf.Variable).size;
    await expect(deserializeModel(missing, weights.subarray(firstBytes))).rejects.toThrow(/missing tensor/);
    await expect(deserializeModel({ ...modelJson, config: { ...CONFIG, inputSize: 15 } }, weights)).rejects.toThrow(/divisible/);
    model.dispose();
  });

  it('optimizer state round trip resumes training (to float rounding)', async () => {
    const steps = (model: SegmentationModel, opt: tf.Optimizer, from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const b = batch(100 + i);
        trainStep(model, opt, b.x, b.y, { dropoutSeed: i });
        tf.dispose([b.x, b.y]);
      }
    };
    const a = createUnet(CONFIG, 9);
    const optA = createOptimizer({ learningRate: 1e-2 });
    steps(a, optA, 0, 2);
    const saved = await serializeModel(a);
    const optState = await serializeOptimizer(optA);
    steps(a, optA, 2, 4);

    const b = await deserializeModel(saved.modelJson, saved.weights);
    const optB = createOptimizer({ learningRate: 1e-2 });
    await restoreOptimizer(optB, optState);
    steps(b, optB, 2, 4);
    for (const [name, v] of a.variables) {
      const w = b.variables.get(name) as tf.Variable;
      // Adam recomputes beta^t with pow() on restore instead of repeated products: ~1e-7.
      expect(relError(w.dataSync(), v.dataSync()), name).toBeLessThan(1e-5);
    }
    a.dispose();
    b.dispose();
    optA.dispose();
    optB.dispose();
  });
});
