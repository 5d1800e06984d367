import type { Db } from './open-project';
import type { LabelMap, MaskKind, MaskVersionInfo, Split } from '../../shared/domain';
import type { PredictionConfidence } from '../../shared/ml';
import { packInstances, packLabels, unpackInstances, unpackLabels } from './mask-blob';

export interface NewMaskVersion {
  imageId: number;
  kind: MaskKind;
  source: string;
  author: string;
  mask: LabelMap;
  parentId?: number | null;
  modelId?: number | null;
  threshold?: number | null;
  note?: string | null;
  /** TF backend that produced a prediction (native TF, wasm, cpu). */
  backend?: string | null;
  /** How sure the prediction is (stored with predictions only). */
  confidence?: PredictionConfidence | null;
}

interface MaskRow {
  id: number;
  image_id: number;
  kind: MaskKind;
  source: string;
  author: string;
  created_at: string;
  parent_id: number | null;
  model_id: number | null;
  note: string | null;
  backend: string | null;
  is_current: number;
  confidence: number | null;
}

/** Columns confidence, confidence_min_cell, confidence_detail (migration 3) for a record. */
function confidenceColumns(c: PredictionConfidence | null): [number | null, number | null, string | null] {
  if (!c) return [null, null, null];
  if (!Number.isFinite(c.image)) throw new Error(`prediction confidence must be a number, got ${c.image}`);
  const cells = c.cells.map((x) => x.confidence).filter((v) => Number.isFinite(v));
  return [c.image, cells.length ? Math.min(...cells) : null, JSON.stringify(c)];
}

/** Ground truth has a single current slot; every other source keeps its own. */
export function slotOf(kind: MaskKind, source: string): string {
  return kind === 'ground-truth' ? '' : source;
}

function toInfo(r: MaskRow): MaskVersionInfo {
  return {
    id: r.id,
    imageId: r.image_id,
    kind: r.kind,
    source: r.source,
    author: r.author,
    createdAt: r.created_at,
    parentId: r.parent_id,
    modelId: r.model_id,
    note: r.note,
    backend: r.backend,
    isCurrent: r.is_current === 1,
    confidence: r.confidence,
  };
}

const INFO_SQL = `SELECT m.id, m.image_id, m.kind, m.source, m.author, m.created_at, m.parent_id, m.model_id, m.note, m.backend, m.confidence,
  EXISTS (SELECT 1 FROM current_masks c WHERE c.mask_id = m.id) AS is_current FROM masks m`;

/**
 * Mask versions are append-only: a save, a prediction or an import adds a row and moves
 * the current pointer; no code path here updates or deletes a stored mask.
 */
export class MasksRepo {
  constructor(private readonly db: Db) {}

  /** Append a version and make it current. Call inside the caller's transaction when it belongs to a larger write. */
  append(v: NewMaskVersion, now = new Date().toISOString()): number {
    const { mask } = v;
    if (mask.labels.length !== mask.width * mask.height) throw new Error(`label map size ${mask.labels.length} does not match ${mask.width}x${mask.height}`);
    const image = this.db.prepare('SELECT width, height FROM images WHERE id = ?').get(v.imageId) as { width: number; height: number } | undefined;
    if (!image) throw new Error(`no image with id ${v.imageId}`);
    if (image.width !== mask.width || image.height !== mask.height) {
      throw new Error(`mask is ${mask.width}x${mask.height} but image ${v.imageId} is ${image.width}x${image.height}`);
    }
    const write = this.db.transaction(() => {
      const info = this.db
        .prepare(
          `INSERT INTO masks (image_id, kind, source, author, created_at, parent_id, model_id, width, height, labels, instances, threshold, note, backend,
                              confidence, confidence_min_cell, confidence_detail)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          v.imageId, v.kind, v.source, v.author, now, v.parentId ?? null, v.modelId ?? null, mask.width, mask.height,
          packLabels(mask.labels), mask.instances ? packInstances(mask.instances) : null, v.threshold ?? null, v.note ?? null, v.backend ?? null,
          ...confidenceColumns(v.confidence ?? null),
        );
      const id = Number(info.lastInsertRowid);
      this.db
        .prepare('INSERT INTO current_masks (image_id, kind, slot, mask_id) VALUES (?, ?, ?, ?) ON CONFLICT (image_id, kind, slot) DO UPDATE SET mask_id = excluded.mask_id')
        .run(v.imageId, v.kind, slotOf(v.kind, v.source), id);
      return id;
    });
    // IMMEDIATE: read-then-write transactions must hold the write lock from the start (see Project.transaction).
    return write.immediate();
  }

  load(id: number): LabelMap | null {
    const row = this.db.prepare('SELECT width, height, labels, instances FROM masks WHERE id = ?').get(id) as
      | { width: number; height: number; labels: Buffer; instances: Buffer | null }
      | undefined;
    if (!row) return null;
    const n = row.width * row.height;
    return {
      width: row.width,
      height: row.height,
      labels: unpackLabels(row.labels, n),
      ...(row.instances ? { instances: unpackInstances(row.instances, n) } : {}),
    };
  }

  /** The confidence record stored with a prediction version, or null. */
  confidence(id: number): PredictionConfidence | null {
    const row = this.db.prepare('SELECT confidence_detail AS d FROM masks WHERE id = ?').get(id) as { d: string | null } | undefined;
    return row?.d ? (JSON.parse(row.d) as PredictionConfidence) : null;
  }

  info(id: number): MaskVersionInfo | null {
    const row = this.db.prepare(`${INFO_SQL} WHERE m.id = ?`).get(id) as MaskRow | undefined;
    return row ? toInfo(row) : null;
  }

  versions(imageId: number): MaskVersionInfo[] {
    return (this.db.prepare(`${INFO_SQL} WHERE m.image_id = ? ORDER BY m.id DESC`).all(imageId) as MaskRow[]).map(toInfo);
  }

  /**
   * The current version of a kind: of exactly that `source` (e.g. `unet@2`) when given, else
   * the newest of any source. A bare model name is resolved to one version before a batch
   * (newestVersionSource), so every image of it uses the same version.
   */
  current(imageId: number, kind: MaskKind, source?: string): MaskVersionInfo | null {
    let row: MaskRow | undefined;
    if (kind === 'ground-truth' || source === undefined) {
      row = this.db
        .prepare(`${INFO_SQL} JOIN current_masks c ON c.mask_id = m.id WHERE c.image_id = ? AND c.kind = ? ORDER BY m.id DESC LIMIT 1`)
        .get(imageId, kind) as MaskRow | undefined;
    } else {
      row = this.db
        .prepare(`${INFO_SQL} JOIN current_masks c ON c.mask_id = m.id WHERE c.image_id = ? AND c.kind = ? AND c.slot = ?`)
        .get(imageId, kind, slotOf(kind, source)) as MaskRow | undefined;
    }
    return row ? toInfo(row) : null;
  }

  /**
   * The newest version `name@N` of a model that has current masks of `kind` in the project,
   * or null. Compares the exact prefix and a numeric version (no pattern matching, so '_' or
   * '%' in a name match only themselves).
   */
  newestVersionSource(kind: MaskKind, name: string): string | null {
    const prefix = `${name}@`;
    const slots = this.db
      .prepare('SELECT DISTINCT slot FROM current_masks WHERE kind = ? AND substr(slot, 1, ?) = ?')
      .all(kind, prefix.length, prefix) as { slot: string }[];
    let best: number | null = null;
    for (const { slot } of slots) {
      const rest = slot.slice(prefix.length);
      if (slot.startsWith(prefix) && /^[1-9]\d*$/.test(rest) && (best === null || Number(rest) > best)) best = Number(rest);
    }
    return best === null ? null : `${prefix}${best}`;
  }

  /**
   * Current mask version per image of one split, for a kind (and exact source when given):
   * image id -> mask version id.
   */
  currentInSplit(split: Split, kind: MaskKind, source?: string): Map<number, number> {
    const rows = this.db
      .prepare(
        `SELECT c.image_id AS imageId, c.mask_id AS maskId FROM current_masks c JOIN images i ON i.id = c.image_id
         WHERE i.split = ? AND c.kind = ? ${source === undefined ? '' : 'AND c.slot = ?'}`,
      )
      .all(...(source === undefined ? [split, kind] : [split, kind, slotOf(kind, source)])) as { imageId: number; maskId: number }[];
    return new Map(rows.map((r) => [r.imageId, r.maskId]));
  }

  /** The probability threshold a prediction version was made with (null: argmax or not a prediction). */
  threshold(id: number): number | null {
    const row = this.db.prepare('SELECT threshold FROM masks WHERE id = ?').get(id) as { threshold: number | null } | undefined;
    return row?.threshold ?? null;
  }

  /** Distinct prediction/baseline sources present in the project, newest first. */
  sources(): { kind: MaskKind; source: string; images: number }[] {
    return this.db
      .prepare(
        `SELECT c.kind AS kind, m.source AS source, count(*) AS images FROM current_masks c JOIN masks m ON m.id = c.mask_id
         GROUP BY c.kind, m.source ORDER BY max(m.id) DESC`,
      )
      .all() as { kind: MaskKind; source: string; images: number }[];
  }

  countByKind(): Record<string, { versions: number; images: number }> {
    const out: Record<string, { versions: number; images: number }> = {};
    for (const r of this.db.prepare('SELECT kind, count(*) AS n, count(DISTINCT image_id) AS i FROM masks GROUP BY kind').all() as { kind: string; n: number; i: number }[]) {
      out[r.kind] = { versions: r.n, images: r.i };
    }
    return out;
  }
}
