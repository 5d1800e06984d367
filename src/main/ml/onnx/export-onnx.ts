// `hemaseg export-model --format onnx|triton`: a stored model version as an ONNX file, or as
// a Triton Inference Server model repository around that file. Everything is built in memory
// first, so a model that cannot be exported leaves nothing behind; files land atomically.
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { outputChannels } from '../families/common-config';
import { ModelFileError, readNamedWeights, type NamedWeights } from '../families/model-file';
import { familyOf } from '../families/registry';
import { ExportError, INPUT_NAME, OUTPUT_NAME } from './graph-builder';
import { metadataProps } from './onnx-metadata';
import { encodeModel } from './onnx-model';
import { tritonConfig, tritonReadme, type TritonOptions } from './triton-config';

export { ExportError };

export interface ExportSource {
  name: string;
  version: number;
  modelJson: string;
  weights: Uint8Array;
  /** Who exported it, e.g. 'HemaSeg 0.1.0'. */
  exportedBy: string;
}

export interface OnnxExport {
  bytes: Uint8Array;
  metadata: Record<string, string>;
  sha256: string;
  inputName: string;
  outputName: string;
  channels: number;
  inputSize: number;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** The ONNX model of a stored version (in memory). Throws ExportError saying why it cannot. */
export function buildOnnx(src: ExportSource): OnnxExport {
  let named: NamedWeights;
  try {
    named = readNamedWeights(src.modelJson, src.weights);
  } catch (err) {
    if (err instanceof ModelFileError) throw new ExportError(err.message);
    throw err;
  }
  // The family says whether it has an ONNX graph builder.
  const family = familyOf(named.family);
  if (!family.onnxGraph) throw new ExportError(`the ${family.id} family has no ONNX graph builder, so its models cannot be exported to ONNX (use --format tfjs, or segment with --engine tfjs)`);
  const ref = `${src.name}@${src.version}`;
  const metadata = metadataProps(named.config, {
    family: family.id, sizeMultiple: family.sizeMultiple(named.config), ref, name: src.name, version: src.version, weightsSha256: sha256(src.weights), exportedBy: src.exportedBy,
  });
  const bytes = encodeModel(family.onnxGraph(named, ref.replace(/[^A-Za-z0-9_]/g, '_')), metadata, src.exportedBy);
  return {
    bytes, metadata, sha256: sha256(bytes), inputName: INPUT_NAME, outputName: OUTPUT_NAME,
    channels: outputChannels(named.config.task), inputSize: named.config.inputSize,
  };
}

function writeAtomic(file: string, data: string | Uint8Array): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

/** DIR/model.onnx + DIR/onnx-metadata.json (the metadata_props and the file's checksum). */
export function writeOnnxFolder(dir: string, src: ExportSource): string[] {
  const e = buildOnnx(src);
  mkdirSync(dir, { recursive: true });
  const files = [join(dir, 'model.onnx'), join(dir, 'onnx-metadata.json')];
  writeAtomic(files[0], e.bytes);
  writeAtomic(files[1], JSON.stringify({ ...e.metadata, onnx_sha256: e.sha256, input: e.inputName, output: e.outputName }, null, 2));
  return files;
}

/** Triton model names: letters, digits, '-', '_' (they become a URL path segment). */
export function tritonModelName(name: string): string {
  const n = name.replace(/[^A-Za-z0-9_-]/g, '_');
  if (!n) throw new ExportError(`'${name}' gives an empty Triton model name; pass --triton-name`);
  return n;
}

/**
 * A Triton model repository: DIR/NAME/config.pbtxt, DIR/NAME/VERSION/model.onnx and
 * DIR/README.md with the tritonserver command (Triton ignores plain files at the top level).
 */
export function writeTritonRepository(dir: string, src: ExportSource, opts: Partial<TritonOptions> & { modelName?: string } = {}): string[] {
  const e = buildOnnx(src);
  const name = tritonModelName(opts.modelName ?? src.name);
  const o: TritonOptions = { maxBatchSize: opts.maxBatchSize ?? 32, instances: opts.instances ?? 2, queueDelayUs: opts.queueDelayUs ?? 2000 };
  const modelDir = join(dir, name);
  const versionDir = join(modelDir, String(src.version));
  mkdirSync(versionDir, { recursive: true });
  const files = [join(versionDir, 'model.onnx'), join(modelDir, 'config.pbtxt'), join(dir, 'README.md')];
  writeAtomic(files[0], e.bytes);
  writeAtomic(files[1], tritonConfig(name, e, o));
  writeAtomic(files[2], tritonReadme(name, src, e, o));
  return files;
}
