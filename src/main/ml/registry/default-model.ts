// The shipped default model (resources/models/default, an exported model folder). In a
// project, `--model default` imports it into the registry on first use as `default@1` (so
// its predictions have a model row, a source `default@1` and a lineage like any other
// model); segmenting a plain folder loads it directly. A newer shipped default becomes the
// next version of `default`; an identical one is never imported twice.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Project } from '../../project/project';
import type { ModelInfo } from '../../../shared/ml';
import { importModelFolder, readModelFolder, type ImportResult, type ModelFolder } from './model-folder';
import { parseModelRef } from './models-repo';

export const DEFAULT_MODEL_NAME = 'default';

/**
 * The folder holding the shipped default model: HEMASEG_DEFAULT_MODEL_DIR, Electron's
 * resources folder when packaged, else resources/models/default found upwards from this
 * file (sources, tests and the built out/main bundles all sit below the repository root).
 */
export function defaultModelDir(): string {
  const override = process.env.HEMASEG_DEFAULT_MODEL_DIR;
  if (override) return override;
  const packaged = (process as unknown as { resourcesPath?: string }).resourcesPath;
  if (packaged && existsSync(join(packaged, 'models', 'default', 'model.json'))) return join(packaged, 'models', 'default');
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'resources', 'models', 'default');
    if (existsSync(join(candidate, 'model.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('the default model is not installed (resources/models/default/model.json not found); re-create it with `npx tsx scripts/train-default-model.ts`');
}

export function readDefaultModel(): ModelFolder {
  return readModelFolder(defaultModelDir());
}

/** The default model as a version in the project's registry (imported on first use). */
export function ensureDefaultModel(project: Project): ImportResult {
  return importModelFolder(project, defaultModelDir(), { name: DEFAULT_MODEL_NAME });
}

/**
 * Resolve a model reference in a project, where `default` means the shipped model
 * (imported on first use) and `default@N` works once it is imported.
 */
export function resolveModelRef(project: Project, ref: string): ModelInfo {
  if (ref === DEFAULT_MODEL_NAME) return projectDefaultModel(project) ?? ensureDefaultModel(project).model;
  const repo = project.models;
  if (parseModelRef(ref).name === DEFAULT_MODEL_NAME && !repo.list().some((m) => m.name === DEFAULT_MODEL_NAME)) ensureDefaultModel(project);
  return repo.resolve(ref);
}

/**
 * The version the project chose as its default (settings.defaultModel, "Make default"), or
 * null for the shipped model. A chosen version that is no longer in the registry falls back
 * to the shipped model rather than breaking every `--model default`.
 */
export function projectDefaultModel(project: Project): ModelInfo | null {
  const ref = project.settings.get().defaultModel;
  if (!ref) return null;
  const repo = project.models;
  return repo.list().find((m) => m.ref === ref) ?? null;
}

/** Make `ref` (any reference the registry resolves) the project's default; null restores the shipped model. */
export function setProjectDefaultModel(project: Project, ref: string | null): ModelInfo | null {
  if (ref === null || ref === DEFAULT_MODEL_NAME) {
    project.settings.set({ defaultModel: null });
    return null;
  }
  const info = project.models.resolve(ref);
  project.settings.set({ defaultModel: info.ref });
  return info;
}
