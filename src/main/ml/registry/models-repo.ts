// The model registry: every trained or imported network is a numbered version of a name
// in the project's `models` table, with its config, weights, metrics and lineage. Versions
// are never overwritten; a new training or import appends `max(version) + 1`.
import type { Db } from '../../project/open-project';
import type { Backend, ModelTask } from '../../../shared/domain';
import type { ModelConfig, ModelInfo, ModelLineage } from '../../../shared/ml';
import { findFamily } from '../families/registry';

/** A stored model version with its artefacts (model.json text and the weights file). */
export interface StoredModel {
  info: ModelInfo;
  /** The architecture config exactly as stored. */
  rawConfig: Record<string, unknown>;
  lineage: ModelLineage | null;
  modelJson: string;
  weights: Uint8Array;
}

export interface NewModelVersion {
  name: string;
  /** The model family (families/registry.ts), as in the model file. */
  family: string;
  task: ModelTask;
  config: Record<string, unknown>;
  backend: Backend | null;
  parentId: number | null;
  trainImages: number;
  metrics: Record<string, number>;
  lineage: ModelLineage;
  modelJson: string;
  weights: Uint8Array;
}

interface ModelRow {
  id: number;
  name: string;
  version: number;
  task: ModelTask;
  family: string;
  config: string;
  backend: Backend | null;
  parent_id: number | null;
  created_at: string;
  train_images: number;
  metrics: string;
  parent_ref: string | null;
  training_seconds: number | null;
}

const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Names with a fixed meaning in `--model`, not available for trained models. */
export const RESERVED_MODEL_NAMES = new Set(['active-contour']);

export class ModelRefError extends Error {}

export function checkModelName(name: string): void {
  if (!NAME_RE.test(name)) {
    throw new ModelRefError(`invalid model name '${name}': use letters, digits, '.', '_' or '-' (up to 64, no '@')`);
  }
  if (RESERVED_MODEL_NAMES.has(name)) throw new ModelRefError(`'${name}' is reserved (it names a built-in segmenter)`);
}

/** `name@3` -> { name, version: 3 }; `name` -> { name, version: null } (newest). */
export function parseModelRef(ref: string): { name: string; version: number | null } {
  const at = ref.lastIndexOf('@');
  if (at < 0) return { name: ref, version: null };
  const name = ref.slice(0, at);
  const v = Number(ref.slice(at + 1));
  if (!name || !Number.isInteger(v) || v < 1) throw new ModelRefError(`'${ref}' is not a model reference (expected NAME or NAME@VERSION)`);
  return { name, version: v };
}

/** `family` is the column of schema 7; a file opened read-only before it holds U-Nets only. */
const select = (hasFamily: boolean): string => `SELECT m.id, m.name, m.version, m.task, ${hasFamily ? 'm.family' : "'unet' AS family"}, m.config, m.backend, m.parent_id, m.created_at, m.train_images, m.metrics,
  json_extract(m.lineage, '$.trainingSeconds') AS training_seconds,
  (SELECT p.name || '@' || p.version FROM models p WHERE p.id = m.parent_id) AS parent_ref FROM models m`;

/** The stored config as its family reads it (every field kept), its summary and size. */
function describeConfig(familyId: string, raw: Record<string, unknown>): { config: ModelConfig; arch: string; paramCount: number | null } {
  const family = findFamily(familyId);
  if (family) {
    try {
      const c = family.resolve(raw, 'stored');
      return { config: c as unknown as ModelConfig, arch: family.arch(c), paramCount: family.paramCount(c) };
    } catch {
      // A config this version cannot read: list it as stored rather than hide the version.
    }
  }
  return { config: raw as ModelConfig, arch: `${familyId} (unknown to this HemaSeg)`, paramCount: null };
}

function toInfo(r: ModelRow): ModelInfo {
  const raw = JSON.parse(r.config) as Record<string, unknown>;
  return {
    id: r.id,
    name: r.name,
    version: r.version,
    ref: `${r.name}@${r.version}`,
    task: r.task,
    family: r.family,
    ...describeConfig(r.family, raw),
    backend: r.backend,
    trainingSeconds: typeof r.training_seconds === 'number' ? r.training_seconds : null,
    trainImages: r.train_images,
    metrics: JSON.parse(r.metrics) as Record<string, number>,
    createdAt: r.created_at,
    parentRef: r.parent_ref,
  };
}

export class ModelsRepo {
  private readonly SELECT: string;

  constructor(private readonly db: Db) {
    this.SELECT = select(db.prepare("SELECT 1 FROM pragma_table_info('models') WHERE name = 'family'").get() !== undefined);
  }

  list(): ModelInfo[] {
    return (this.db.prepare(`${this.SELECT} ORDER BY m.name, m.version`).all() as ModelRow[]).map(toInfo);
  }

  get(id: number): ModelInfo | null {
    const row = this.db.prepare(`${this.SELECT} WHERE m.id = ?`).get(id) as ModelRow | undefined;
    return row ? toInfo(row) : null;
  }

  /** Resolve `name@version` or `name` (its newest version); a clear error names what exists. */
  resolve(ref: string): ModelInfo {
    const { name, version } = parseModelRef(ref);
    const row = (
      version === null
        ? this.db.prepare(`${this.SELECT} WHERE m.name = ? ORDER BY m.version DESC LIMIT 1`).get(name)
        : this.db.prepare(`${this.SELECT} WHERE m.name = ? AND m.version = ?`).get(name, version)
    ) as ModelRow | undefined;
    if (row) return toInfo(row);
    const versions = (this.db.prepare('SELECT version FROM models WHERE name = ? ORDER BY version').all(name) as { version: number }[]).map((r) => r.version);
    if (versions.length) throw new ModelRefError(`model ${name} has no version ${version} (versions: ${versions.join(', ')})`);
    const names = (this.db.prepare('SELECT DISTINCT name FROM models ORDER BY name').all() as { name: string }[]).map((r) => r.name);
    throw new ModelRefError(`no model named '${name}' in this project${names.length ? ` (models: ${names.join(', ')})` : ' (it has no models yet; train one with `hemaseg train`)'}`);
  }

  load(id: number): StoredModel | null {
    const info = this.get(id);
    if (!info) return null;
    const row = this.db.prepare('SELECT config, lineage, model_json, weights FROM models WHERE id = ?').get(id) as {
      config: string;
      lineage: string;
      model_json: string;
      weights: Buffer;
    };
    const lineage = JSON.parse(row.lineage) as Partial<ModelLineage>;
    return {
      info,
      rawConfig: JSON.parse(row.config) as Record<string, unknown>,
      lineage: 'curves' in lineage ? (lineage as ModelLineage) : null,
      modelJson: row.model_json,
      weights: new Uint8Array(row.weights.buffer, row.weights.byteOffset, row.weights.byteLength),
    };
  }

  /** Append a version (max + 1 for the name) in one transaction; returns its info. */
  add(m: NewModelVersion, now = new Date().toISOString()): ModelInfo {
    checkModelName(m.name);
    const id = this.db.transaction(() => {
      const next = (this.db.prepare('SELECT coalesce(max(version), 0) + 1 AS v FROM models WHERE name = ?').get(m.name) as { v: number }).v;
      const info = this.db
        .prepare(
          `INSERT INTO models (name, version, task, family, config, backend, parent_id, created_at, train_images, metrics, lineage, model_json, weights)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          m.name, next, m.task, m.family, JSON.stringify(m.config), m.backend, m.parentId, now, m.trainImages,
          JSON.stringify(m.metrics), JSON.stringify(m.lineage), m.modelJson, Buffer.from(m.weights.buffer, m.weights.byteOffset, m.weights.byteLength),
        );
      return Number(info.lastInsertRowid);
    }).immediate(); // reads max(version) then writes: the write lock first, or a second writer gets SQLITE_BUSY_SNAPSHOT
    return this.get(id) as ModelInfo;
  }

  /** A version whose weights are byte-identical to `weights` under `name`, if any (idempotent imports). */
  findIdentical(name: string, weights: Uint8Array): ModelInfo | null {
    const rows = this.db.prepare('SELECT id, weights FROM models WHERE name = ? ORDER BY version').all(name) as { id: number; weights: Buffer }[];
    const w = Buffer.from(weights.buffer, weights.byteOffset, weights.byteLength);
    const hit = rows.find((r) => r.weights.equals(w));
    return hit ? this.get(hit.id) : null;
  }
}
