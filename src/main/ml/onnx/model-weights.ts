// A stored model's weights as plain Float32Arrays, read from model.json + weights.bin without
// TensorFlow: the exporter runs in the CLI process, which never loads the tfjs engine.
import { resolveUnetConfig, type UnetConfig } from '../model/config';

export const UNET_FORMAT = 'hemaseg-unet';

export interface NamedWeights {
  config: UnetConfig;
  /** Every tensor of the weights manifest under its stable name (e.g. 'enc0/conv1/kernel'). */
  tensors: Map<string, { shape: number[]; data: Float32Array }>;
}

/** Thrown when a model cannot be turned into an ONNX graph; the message says why. */
export class ExportError extends Error {}

interface Manifest {
  format?: unknown;
  formatVersion?: unknown;
  config?: unknown;
  weightsManifest?: { weights?: { name: string; shape: number[]; dtype: string; quantization?: unknown }[] }[];
}

export function readNamedWeights(modelJson: string, weights: Uint8Array): NamedWeights {
  let json: Manifest;
  try {
    json = JSON.parse(modelJson) as Manifest;
  } catch (err) {
    throw new ExportError(`model.json is not valid JSON (${(err as Error).message})`);
  }
  if (json.format !== UNET_FORMAT) {
    // Only the U-Net family has an ONNX graph builder; other families must add theirs.
    throw new ExportError(`this model's family ('${String(json.format)}') has no ONNX exporter; only '${UNET_FORMAT}' models can be exported to ONNX`);
  }
  let config: UnetConfig;
  try {
    config = resolveUnetConfig(json.config as Partial<UnetConfig>);
  } catch (err) {
    throw new ExportError((err as Error).message);
  }
  const specs = (json.weightsManifest ?? []).flatMap((g) => g.weights ?? []);
  const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const s of specs) {
    if (s.dtype !== 'float32' || s.quantization) throw new ExportError(`weight ${s.name} is ${s.quantization ? 'quantized' : s.dtype}; the ONNX exporter needs float32 weights`);
    const count = s.shape.reduce((a, b) => a * b, 1);
    if (offset + count * 4 > weights.byteLength) throw new ExportError(`the weights file is shorter than model.json describes (at ${s.name})`);
    // Copy: the blob's offset may not be 4-byte aligned.
    const data = new Float32Array(count);
    new Uint8Array(data.buffer).set(weights.subarray(offset, offset + count * 4));
    tensors.set(s.name, { shape: [...s.shape], data });
    offset += count * 4;
  }
  if (offset !== weights.byteLength) throw new ExportError(`the weights file has ${weights.byteLength} bytes but model.json describes ${offset}`);
  return { config, tensors };
}
