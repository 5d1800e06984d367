// Sharing a model version as a folder: model.json (tfjs layout: family, config + weights
// manifest; ../families/model-file.ts), weights.bin, and metadata.json (name, version,
// family, task, metrics, lineage...). metadata.json version 1 (before families) has no
// family field: model.json's format says it is a U-Net.
// Import checks everything before touching the project and says which file is wrong.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Project } from '../../project/project';
import type { Backend, ModelTask } from '../../../shared/domain';
import type { ModelInfo, ModelLineage } from '../../../shared/ml';
import { appVersion } from '../../app-version';
import { inspectModelFiles, ModelFileError } from '../families/model-file';

export { ModelFileError };
import { type StoredModel } from './models-repo';

export const METADATA_FORMAT = 'hemaseg-model-metadata';

/** 2: adds `family` (version 1 folders are read too). */
export const METADATA_FORMAT_VERSION = 2;

export interface ModelMetadata {
  format: typeof METADATA_FORMAT;
  formatVersion: 1 | 2;
  name: string;
  /** The model family (absent in version 1: a U-Net). */
  family?: string;
  version: number;
  ref: string;
  task: ModelTask;
  config: Record<string, unknown>;
  backend: Backend | null;
  trainImages: number;
  metrics: Record<string, number>;
  createdAt: string;
  parentRef: string | null;
  lineage: ModelLineage | null;
  weightsSha256: string;
  exportedAt: string;
  exportedBy: string;
}

export interface ModelFolder {
  dir: string;
  modelJson: string;
  weights: Uint8Array;
  metadata: ModelMetadata | null;
  family: string;
  task: ModelTask;
  config: Record<string, unknown>;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function writeAtomic(file: string, data: string | Uint8Array): void {
  writeFileSync(`${file}.tmp`, data);
  renameSync(`${file}.tmp`, file);
}

/**
 * Write a stored version to `dir` (created if needed); returns the files written.
 * `as` renames it in the metadata (the shipped default model is trained under another name).
 */
export function writeModelFolder(dir: string, m: StoredModel, as?: { name: string; version: number }): string[] {
  mkdirSync(dir, { recursive: true });
  const name = as?.name ?? m.info.name;
  const version = as?.version ?? m.info.version;
  const meta: ModelMetadata = {
    format: METADATA_FORMAT,
    formatVersion: METADATA_FORMAT_VERSION,
    name,
    family: m.info.family,
    version,
    ref: `${name}@${version}`,
    task: m.info.task,
    config: m.rawConfig,
    backend: m.info.backend,
    trainImages: m.info.trainImages,
    metrics: m.info.metrics,
    createdAt: m.info.createdAt,
    parentRef: m.info.parentRef,
    lineage: m.lineage,
    weightsSha256: sha256(m.weights),
    exportedAt: new Date().toISOString(),
    exportedBy: `HemaSeg ${appVersion()}`,
  };
  const files = [join(dir, 'model.json'), join(dir, 'weights.bin'), join(dir, 'metadata.json')];
  writeAtomic(files[1], m.weights);
  writeAtomic(files[0], JSON.stringify(JSON.parse(m.modelJson), null, 1));
  writeAtomic(files[2], JSON.stringify(meta, null, 2));
  return files;
}

/** Read and validate an exported model folder. Every problem names the folder or file. */
export function readModelFolder(dirIn: string): ModelFolder {
  const dir = resolve(dirIn);
  if (!existsSync(dir)) throw new ModelFileError(`${dirIn}: no such folder`);
  if (!statSync(dir).isDirectory()) throw new ModelFileError(`${dirIn}: not a folder (an exported model is a folder with model.json, weights.bin and metadata.json)`);
  const jsonFile = join(dir, 'model.json');
  if (!existsSync(jsonFile)) throw new ModelFileError(`${dirIn}: no model.json (an exported model folder holds model.json, weights.bin and metadata.json)`);
  const modelJson = readFileSync(jsonFile, 'utf8');
  let manifestPaths: string[];
  try {
    const parsed = JSON.parse(modelJson) as { weightsManifest?: { paths?: string[] }[] };
    manifestPaths = (parsed.weightsManifest ?? []).flatMap((g) => g.paths ?? []);
  } catch (err) {
    throw new ModelFileError(`${jsonFile}: not valid JSON (${(err as Error).message})`);
  }
  if (manifestPaths.length === 0) throw new ModelFileError(`${jsonFile}: the weights manifest names no weight file`);
  const parts: Uint8Array[] = [];
  for (const p of manifestPaths) {
    const wf = join(dir, p);
    if (!existsSync(wf)) throw new ModelFileError(`${wf}: missing (model.json lists it in its weights manifest)`);
    parts.push(new Uint8Array(readFileSync(wf)));
  }
  const weights = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  let config: Record<string, unknown>;
  let family: string;
  try {
    ({ config, family } = inspectModelFiles(modelJson, weights.byteLength));
  } catch (err) {
    throw new ModelFileError(`${dirIn}: ${(err as Error).message}`);
  }
  let metadata: ModelMetadata | null = null;
  const metaFile = join(dir, 'metadata.json');
  if (existsSync(metaFile)) {
    try {
      metadata = JSON.parse(readFileSync(metaFile, 'utf8')) as ModelMetadata;
    } catch (err) {
      throw new ModelFileError(`${metaFile}: not valid JSON (${(err as Error).message})`);
    }
    if (metadata.format !== METADATA_FORMAT) throw new ModelFileError(`${metaFile}: not HemaSeg model metadata (format '${String(metadata.format)}')`);
    if (typeof metadata.formatVersion !== 'number' || metadata.formatVersion > METADATA_FORMAT_VERSION) {
      throw new ModelFileError(`${metaFile}: metadata format version ${String(metadata.formatVersion)}; this HemaSeg reads up to ${METADATA_FORMAT_VERSION} (update HemaSeg)`);
    }
    if (metadata.family !== undefined && metadata.family !== family) {
      throw new ModelFileError(`${metaFile}: says family '${metadata.family}' but model.json holds a '${family}' model; the files do not belong together`);
    }
    if (metadata.weightsSha256 && metadata.weightsSha256 !== sha256(weights)) {
      throw new ModelFileError(`${dirIn}: weights.bin does not match metadata.json (checksum differs; the folder is damaged or mixed up)`);
    }
  }
  return { dir, modelJson, weights, metadata, family, task: config.task as ModelTask, config };
}

export interface ImportResult {
  model: ModelInfo;
  /** True when an identical version was already in the project (nothing was added). */
  existing: boolean;
}

/** Add an exported folder to the project's registry as the next version of its name (or `name`). */
export function importModelFolder(project: Project, dir: string, opts: { name?: string } = {}): ImportResult {
  const f = readModelFolder(dir);
  const name = opts.name ?? f.metadata?.name ?? basename(f.dir);
  const repo = project.models;
  const same = repo.findIdentical(name, f.weights);
  if (same) return { model: same, existing: true };
  const lineage: ModelLineage = {
    ...(f.metadata?.lineage ?? {
      parentRef: null, runId: null, trainImages: [], valImages: [], hyperparameters: null, backend: null, backendDetail: null,
      curves: [], bestEpoch: null, epochsRun: null, trainingSeconds: null, stoppedBy: null,
    }),
    importedFrom: { dir: f.dir, originalRef: f.metadata?.ref ?? null, importedAt: new Date().toISOString() },
  };
  const model = repo.add({
    name,
    family: f.family,
    task: f.task,
    config: f.config,
    backend: f.metadata?.backend ?? null,
    parentId: null,
    trainImages: f.metadata?.trainImages ?? 0,
    metrics: f.metadata?.metrics ?? {},
    lineage,
    modelJson: f.modelJson,
    weights: f.weights,
  });
  return { model, existing: false };
}
