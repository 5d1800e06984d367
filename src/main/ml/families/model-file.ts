// The model file format (model.json + weights.bin), read without TensorFlow: the main side
// (import-model, the registry), the ONNX exporter and the worker all parse model.json here.
//   format 'hemaseg-model', formatVersion 2: { family, config, weightsManifest, generatedBy, metadata? }
//   format 'hemaseg-unet', formatVersion 1 (every model before families): a U-Net, no family field.
// The config is checked by the family (registry.ts), so a bad file is refused with a clear
// message before anything reaches a worker.
import { familyOf, UnknownFamilyError } from './registry';
import type { BaseModelConfig } from './common-config';

export const MODEL_FORMAT = 'hemaseg-model';
export const MODEL_FORMAT_VERSION = 2;
/** The format of model files written before model families (always a U-Net). */
export const LEGACY_UNET_FORMAT = 'hemaseg-unet';
export const LEGACY_UNET_FAMILY = 'unet';
export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

export class ModelFileError extends Error {}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

export interface ModelFileHeader {
  format: string;
  formatVersion: number;
  family: string;
  /** The config as the family resolves a stored one. */
  config: BaseModelConfig & Record<string, unknown>;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  metadata?: Record<string, unknown>;
}

/** The model.json written for a new model of `family`. */
export function modelFileJson(family: string, config: BaseModelConfig, weights: WeightSpec[], generatedBy: string, metadata?: Record<string, unknown>): ModelFileHeader & { generatedBy: string } {
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    family,
    generatedBy,
    config: config as ModelFileHeader['config'],
    weightsManifest: [{ paths: [WEIGHTS_FILE], weights }],
    ...(metadata ? { metadata } : {}),
  };
}

/** Parse and check model.json (text or parsed): format, version, family, config, manifest. */
export function parseModelFile(modelJson: string | unknown): ModelFileHeader {
  let json: Record<string, unknown>;
  if (typeof modelJson === 'string') {
    try {
      json = JSON.parse(modelJson) as Record<string, unknown>;
    } catch (err) {
      throw new ModelFileError(`model.json is not valid JSON (${(err as Error).message})`);
    }
  } else json = modelJson as Record<string, unknown>;
  if (!json || typeof json !== 'object') throw new ModelFileError('model.json is not an object');
  let family: string;
  if (json.format === LEGACY_UNET_FORMAT) {
    if (json.formatVersion !== 1) throw new ModelFileError(`model.json has format '${LEGACY_UNET_FORMAT}' version ${String(json.formatVersion)}; only version 1 exists`);
    family = LEGACY_UNET_FAMILY;
  } else if (json.format === MODEL_FORMAT) {
    if (typeof json.formatVersion !== 'number' || json.formatVersion > MODEL_FORMAT_VERSION) {
      throw new ModelFileError(`model.json has format version ${String(json.formatVersion)}; this HemaSeg reads up to ${MODEL_FORMAT_VERSION} (update HemaSeg)`);
    }
    if (typeof json.family !== 'string') throw new ModelFileError('model.json names no model family');
    family = json.family;
  } else {
    throw new ModelFileError(`model.json is not a HemaSeg model (format '${String(json.format)}', expected '${MODEL_FORMAT}' or '${LEGACY_UNET_FORMAT}')`);
  }
  let config: ModelFileHeader['config'];
  try {
    config = familyOf(family).resolve((json.config ?? {}) as Record<string, unknown>, 'stored') as ModelFileHeader['config'];
  } catch (err) {
    if (err instanceof UnknownFamilyError) throw new ModelFileError(`model.json: ${err.message} (made by a newer HemaSeg?)`);
    throw new ModelFileError(`model.json: ${(err as Error).message}`);
  }
  const manifest = json.weightsManifest as ModelFileHeader['weightsManifest'] | undefined;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new ModelFileError('model.json has no weights manifest');
  return {
    format: json.format as string,
    formatVersion: json.formatVersion as number,
    family,
    config,
    weightsManifest: manifest.map((g) => ({ paths: g.paths ?? [WEIGHTS_FILE], weights: g.weights ?? [] })),
    ...(json.metadata ? { metadata: json.metadata as Record<string, unknown> } : {}),
  };
}

/** The family, config and weight count of a model.json, after checking it matches `weightBytes`. */
export function inspectModelFiles(modelJson: string, weightBytes: number): { family: string; config: ModelFileHeader['config']; tensors: number } {
  const header = parseModelFile(modelJson);
  const specs = header.weightsManifest.flatMap((g) => g.weights);
  if (!specs.length) throw new ModelFileError('model.json has an empty weights manifest');
  let bytes = 0;
  for (const s of specs) {
    if (s.quantization) throw new ModelFileError(`weight ${s.name} is quantized; HemaSeg stores float32 weights only`);
    const per = DTYPE_BYTES[s.dtype];
    if (!per || !Array.isArray(s.shape)) throw new ModelFileError(`weight ${s.name} has an unsupported dtype or shape`);
    bytes += s.shape.reduce((a, b) => a * b, 1) * per;
  }
  if (weightBytes !== bytes) {
    throw new ModelFileError(`the weights are ${weightBytes} bytes but model.json describes ${bytes} (${specs.length} tensors); the files do not belong together or are damaged`);
  }
  return { family: header.family, config: header.config, tensors: specs.length };
}

/** A stored model's weights as plain Float32Arrays (the ONNX exporter reads them without TensorFlow). */
export interface NamedWeights {
  family: string;
  config: BaseModelConfig & Record<string, unknown>;
  /** Every tensor of the weights manifest under its stable name (e.g. 'enc0/conv1/kernel'). */
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
}

export function readNamedWeights(modelJson: string, weights: Uint8Array): NamedWeights {
  const header = parseModelFile(modelJson);
  const specs = header.weightsManifest.flatMap((g) => g.weights);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32' || s.quantization) throw new ModelFileError(`weight ${s.name} is ${s.quantization ? 'quantized' : s.dtype}; float32 weights are needed`);
    const count = s.shape.reduce((a, b) => a * b, 1);
    if (offset + count * 4 > weights.byteLength) throw new ModelFileError(`the weights file is shorter than model.json describes (at ${s.name})`);
    // Copy: the blob's offset may not be 4-byte aligned.
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(weights.subarray(offset, offset + count * 4));
    tensors.set(s.name, { shape: [...s.shape], data });
    offset += count * 4;
  }
  if (offset !== weights.byteLength) throw new ModelFileError(`the weights file has ${weights.byteLength} bytes but model.json describes ${offset}`);
  return { family: header.family, config: header.config, tensors };
}
