// Model files: a tfjs-style model.json (format, config, weights manifest) plus one binary
// weights blob encoded with tf.io.encodeWeights. The config is the model definition, so any
// stored version rebuilds exactly; variables are matched by their stable names.
import * as tf from '@tensorflow/tfjs-core';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MODEL_JSON_FILE, modelFileJson, parseModelFile, WEIGHTS_FILE, type ModelFileHeader } from '../families/model-file';
import { familyOf } from '../families/registry';
import type { SegmentationModel } from './segmentation-model';

export { MODEL_JSON_FILE, WEIGHTS_FILE };

export type ModelJson = ModelFileHeader & { generatedBy?: string };

export interface SerializedModel {
  modelJson: ModelJson;
  weights: Uint8Array;
}

/** Encodes every variable (trainable and batch-norm running statistics) with the model's family. */
export async function serializeModel(model: SegmentationModel, metadata?: Record<string, unknown>): Promise<SerializedModel> {
  const named: tf.NamedTensorMap = {};
  for (const [name, v] of model.variables) named[name] = v;
  const { data, specs } = await tf.io.encodeWeights(named);
  const modelJson = modelFileJson(model.family, model.config, specs, `hemaseg ml/model (tfjs-core ${tf.version_core})`, metadata);
  return { modelJson, weights: new Uint8Array(data) };
}

/** Checks a parsed model.json (format, family, config, manifest); see ../families/model-file.ts. */
export function parseModelJson(value: unknown): ModelJson {
  const json = parseModelFile(value);
  if (json.weightsManifest.length !== 1) throw new Error('model.json: expected exactly one weights group');
  return json;
}

/** Rebuilds the model its family describes and loads every weight (names and shapes must match). */
export async function deserializeModel(modelJson: ModelJson | unknown, weights: Uint8Array): Promise<SegmentationModel> {
  const json = parseModelJson(modelJson);
  const specs = json.weightsManifest[0].weights as tf.io.WeightsManifestEntry[];
  const builder = await familyOf(json.family).network();
  // decodeWeights wants an ArrayBuffer holding exactly the blob.
  const buffer = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, specs);
  const model = builder.create(json.config, 0);
  try {
    const expected = new Set(model.variables.keys());
    for (const name of Object.keys(decoded)) {
      if (!expected.has(name)) throw new Error(`weights: unexpected tensor ${name}`);
    }
    for (const [name, v] of model.variables) {
      const t = decoded[name];
      if (!t) throw new Error(`weights: missing tensor ${name}`);
      if (!tf.util.arraysEqual(t.shape, v.shape)) {
        throw new Error(`weights: ${name} has shape [${t.shape.join(', ')}], expected [${v.shape.join(', ')}]`);
      }
      v.assign(t.dtype === 'float32' ? t : tf.cast(t, 'float32'));
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(Object.values(decoded));
  }
  return model;
}

/** Writes model.json and weights.bin into `dir` (created if needed; files replaced atomically). */
export async function writeModelFiles(dir: string, model: SegmentationModel, metadata?: Record<string, unknown>): Promise<ModelJson> {
  const { modelJson, weights } = await serializeModel(model, metadata);
  await mkdir(dir, { recursive: true });
  await atomicWrite(join(dir, WEIGHTS_FILE), weights);
  await atomicWrite(join(dir, MODEL_JSON_FILE), JSON.stringify(modelJson, null, 2));
  return modelJson;
}

/** Reads a model written by writeModelFiles. */
export async function readModelFiles(dir: string): Promise<SegmentationModel> {
  const json = parseModelJson(JSON.parse(await readFile(join(dir, MODEL_JSON_FILE), 'utf8')));
  const weights = await readFile(join(dir, json.weightsManifest[0].paths[0] ?? WEIGHTS_FILE));
  return deserializeModel(json, new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength));
}

async function atomicWrite(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

export interface SerializedOptimizer {
  specs: tf.io.WeightsManifestEntry[];
  weights: Uint8Array;
}

/**
 * Adam's state (iteration count, first and second moments) for checkpoints. The moments are
 * stored in the order of model.trainableVariables(), which is how Adam matches them.
 */
export async function serializeOptimizer(optimizer: tf.Optimizer): Promise<SerializedOptimizer> {
  const named = await optimizer.getWeights();
  const renamed = named.map((w, i) => ({ name: i === 0 ? 'iter' : `slot${i}`, tensor: w.tensor }));
  const { data, specs } = await tf.io.encodeWeights(renamed);
  return { specs, weights: new Uint8Array(data) };
}

export async function restoreOptimizer(optimizer: tf.Optimizer, state: SerializedOptimizer): Promise<void> {
  const buffer = state.weights.buffer.slice(
    state.weights.byteOffset,
    state.weights.byteOffset + state.weights.byteLength,
  ) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, state.specs);
  const list = state.specs.map((s) => ({ name: s.name, tensor: decoded[s.name] }));
  await optimizer.setWeights(list);
  tf.dispose(Object.values(decoded));
}
