// Checking model files without TensorFlow: the main process (import-model, the registry)
// validates a model.json (../model/serialize.ts's format: 'hemaseg-unet', a U-Net config and
// a tfjs weights manifest) against its weight bytes with plain JSON, so a bad folder is
// refused with a clear message before anything reaches a worker.
import { resolveUnetConfig, type UnetConfig as NetConfig } from '../model/config';

export const MODEL_FORMAT = 'hemaseg-unet';
const MAX_FORMAT_VERSION = 1;
const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };

export class ModelFileError extends Error {}

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

/** The config and weight count of a model.json, after checking it matches `weightBytes`. */
export function inspectModelFiles(modelJson: string, weightBytes: number): { config: NetConfig; tensors: number } {
  let json: { format?: unknown; formatVersion?: unknown; config?: unknown; weightsManifest?: { paths?: string[]; weights?: ManifestEntry[] }[] };
  try {
    json = JSON.parse(modelJson) as typeof json;
  } catch (err) {
    throw new ModelFileError(`model.json is not valid JSON (${(err as Error).message})`);
  }
  if (!json || typeof json !== 'object' || json.format !== MODEL_FORMAT) {
    throw new ModelFileError(`model.json is not a HemaSeg U-Net (format '${String(json?.format)}', expected '${MODEL_FORMAT}')`);
  }
  if (typeof json.formatVersion !== 'number' || json.formatVersion > MAX_FORMAT_VERSION) {
    throw new ModelFileError(`model.json has format version ${String(json.formatVersion)}; this HemaSeg reads up to ${MAX_FORMAT_VERSION} (update HemaSeg)`);
  }
  let config: NetConfig;
  try {
    config = resolveUnetConfig(json.config as Partial<NetConfig>);
  } catch (err) {
    throw new ModelFileError(`model.json: ${(err as Error).message}`);
  }
  const specs = (json.weightsManifest ?? []).flatMap((g) => g.weights ?? []);
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
  return { config, tensors: specs.length };
}
