import type { Db } from './open-project';
import type { DifficultyClass, FrameSplit, ImageFormat, ImageSummary, MaskKind, ReviewState, Split } from '../../shared/domain';
import { defaultSplit } from './split';

export interface NewImage {
  hash: string;
  name: string;
  originalPath: string;
  width: number;
  height: number;
  format: ImageFormat;
  bytes: Uint8Array;
  thumbnail: Uint8Array | null;
  difficulty?: DifficultyClass | null;
  split?: Split;
  tags?: string[];
}

export interface ImageQuery {
  difficulty?: (DifficultyClass | 0)[]; // 0 = unclassified
  split?: Split[];
  ids?: number[];
  /** Frames of this sequence; null: images that are no sequence's frame. */
  sequenceId?: number | null;
  review?: ReviewState[];
  /** Images carrying any of these tags. */
  tags?: string[];
}

interface ImageRow {
  id: number;
  hash: string;
  name: string;
  original_path: string;
  width: number;
  height: number;
  format: ImageFormat;
  difficulty: DifficultyClass | null;
  split: Split;
  tags: string;
  sequence_id: number | null;
  frame_index: number | null;
  frame_split: FrameSplit | null;
  imported_at: string;
  kinds: string | null;
  corrected: number;
  review: ReviewState;
  confidence: number | null;
  min_cell_confidence: number | null;
}

const SUMMARY_SQL = `
  SELECT i.id, i.hash, i.name, i.original_path, i.width, i.height, i.format, i.difficulty, i.split,
         i.tags, f.sequence_id, f.frame_index, f.split AS frame_split, i.imported_at, i.review,
         (SELECT group_concat(DISTINCT c.kind) FROM current_masks c WHERE c.image_id = i.id) AS kinds,
         EXISTS (SELECT 1 FROM current_masks c JOIN masks m ON m.id = c.mask_id
                 WHERE c.image_id = i.id AND c.kind = 'ground-truth' AND m.source = 'hand-edited') AS corrected,
         (SELECT m.confidence FROM current_masks c JOIN masks m ON m.id = c.mask_id
                 WHERE c.image_id = i.id AND c.kind = 'prediction' ORDER BY m.id DESC LIMIT 1) AS confidence,
         (SELECT m.confidence_min_cell FROM current_masks c JOIN masks m ON m.id = c.mask_id
                 WHERE c.image_id = i.id AND c.kind = 'prediction' ORDER BY m.id DESC LIMIT 1) AS min_cell_confidence
  FROM images i LEFT JOIN sequence_frames f ON f.image_id = i.id`;

/**
 * An image's split: a frame's own (which may be 'unused', matching no split filter), else
 * the image's. The repository's split filters and counts read only this.
 */
const EFFECTIVE_SPLIT = 'coalesce(f.split, i.split)';

function toSummary(r: ImageRow): ImageSummary {
  return {
    id: r.id,
    hash: r.hash,
    name: r.name,
    path: r.original_path,
    width: r.width,
    height: r.height,
    format: r.format,
    difficulty: r.difficulty,
    split: r.frame_split && r.frame_split !== 'unused' ? r.frame_split : r.split,
    tags: JSON.parse(r.tags) as string[],
    sequenceId: r.sequence_id,
    frameIndex: r.frame_index,
    ...(r.frame_split === 'unused' ? { unused: true } : {}),
    maskKinds: (r.kinds ? r.kinds.split(',') : []) as MaskKind[],
    corrected: r.corrected === 1,
    review: r.review,
    confidence: r.confidence,
    minCellConfidence: r.min_cell_confidence,
    importedAt: r.imported_at,
  };
}

export class ImagesRepo {
  constructor(private readonly db: Db) {}

  find(hash: string, name: string): number | null {
    const row = this.db.prepare('SELECT id FROM images WHERE hash = ? AND name = ?').get(hash, name) as { id: number } | undefined;
    return row?.id ?? null;
  }

  /** Another image with the same pixels under a different name, if any. */
  sameContent(hash: string, name: string): string | null {
    const row = this.db.prepare('SELECT name FROM images WHERE hash = ? AND name <> ? LIMIT 1').get(hash, name) as { name: string } | undefined;
    return row?.name ?? null;
  }

  insert(img: NewImage, now = new Date().toISOString()): number {
    const info = this.db
      .prepare(
        `INSERT INTO images (hash, name, original_path, width, height, format, bytes, thumbnail, difficulty,
                             split, tags, imported_at)
         VALUES (@hash, @name, @originalPath, @width, @height, @format, @bytes, @thumbnail, @difficulty,
                 @split, @tags, @now)`,
      )
      .run({
        ...img,
        bytes: Buffer.from(img.bytes),
        thumbnail: img.thumbnail ? Buffer.from(img.thumbnail) : null,
        difficulty: img.difficulty ?? null,
        split: img.split ?? defaultSplit(img.hash),
        tags: JSON.stringify(img.tags ?? []),
        now,
      });
    return Number(info.lastInsertRowid);
  }

  list(q: ImageQuery = {}): ImageSummary[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.ids?.length) {
      where.push(`i.id IN (${q.ids.map(() => '?').join(',')})`);
      params.push(...q.ids);
    }
    if (q.split?.length) {
      where.push(`${EFFECTIVE_SPLIT} IN (${q.split.map(() => '?').join(',')})`);
      params.push(...q.split);
    }
    if (q.difficulty?.length) {
      const cls = q.difficulty.filter((d) => d !== 0);
      const parts = [];
      if (cls.length) {
        parts.push(`i.difficulty IN (${cls.map(() => '?').join(',')})`);
        params.push(...cls);
      }
      if (q.difficulty.includes(0)) parts.push('i.difficulty IS NULL');
      where.push(`(${parts.join(' OR ')})`);
    }
    if (q.sequenceId === null) where.push('f.sequence_id IS NULL');
    else if (q.sequenceId !== undefined) {
      where.push('f.sequence_id = ?');
      params.push(q.sequenceId);
    }
    if (q.review?.length) {
      where.push(`i.review IN (${q.review.map(() => '?').join(',')})`);
      params.push(...q.review);
    }
    if (q.tags?.length) {
      where.push(`EXISTS (SELECT 1 FROM json_each(i.tags) t WHERE t.value IN (${q.tags.map(() => '?').join(',')}))`);
      params.push(...q.tags);
    }
    const sql = `${SUMMARY_SQL} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY f.sequence_id, f.frame_index, i.name, i.id`;
    return (this.db.prepare(sql).all(...params) as ImageRow[]).map(toSummary);
  }

  get(id: number): ImageSummary | null {
    const row = this.db.prepare(`${SUMMARY_SQL} WHERE i.id = ?`).get(id) as ImageRow | undefined;
    return row ? toSummary(row) : null;
  }

  bytes(id: number): { bytes: Uint8Array; format: ImageFormat; name: string } | null {
    const row = this.db.prepare('SELECT bytes, format, name FROM images WHERE id = ?').get(id) as
      | { bytes: Buffer; format: ImageFormat; name: string }
      | undefined;
    return row ? { bytes: new Uint8Array(row.bytes), format: row.format, name: row.name } : null;
  }

  thumbnail(id: number): Uint8Array | null {
    const row = this.db.prepare('SELECT thumbnail FROM images WHERE id = ?').get(id) as { thumbnail: Buffer | null } | undefined;
    return row?.thumbnail ? new Uint8Array(row.thumbnail) : null;
  }

  /** Bulk edits from the gallery or editor; one transaction so a multi-select is all-or-nothing. */
  update(ids: number[], patch: { difficulty?: DifficultyClass | null; split?: Split; tags?: string[]; addTags?: string[] }): number {
    let changed = 0;
    if (patch.split !== undefined) {
      // A frame's split belongs to its sequence (or the sequence's protocol): moving one frame
      // alone would put neighbouring frames of one film into train and test.
      const frame = ids.find((id) => this.db.prepare('SELECT 1 FROM sequence_frames WHERE image_id = ?').get(id) !== undefined);
      if (frame !== undefined) throw new Error(`image ${frame} is a frame of a sequence: set the split of the whole sequence instead (sequences.setSplit)`);
    }
    this.db.transaction(() => {
      for (const id of ids) {
        if (patch.difficulty !== undefined) changed += this.db.prepare('UPDATE images SET difficulty = ? WHERE id = ?').run(patch.difficulty, id).changes;
        if (patch.split !== undefined) changed += this.db.prepare('UPDATE images SET split = ?, split_manual = 1 WHERE id = ?').run(patch.split, id).changes;
        if (patch.tags !== undefined) changed += this.db.prepare('UPDATE images SET tags = ? WHERE id = ?').run(JSON.stringify(patch.tags), id).changes;
        if (patch.addTags?.length) {
          const row = this.db.prepare('SELECT tags FROM images WHERE id = ?').get(id) as { tags: string } | undefined;
          if (!row) continue;
          const tags = new Set(JSON.parse(row.tags) as string[]);
          patch.addTags.forEach((t) => tags.add(t));
          changed += this.db.prepare('UPDATE images SET tags = ? WHERE id = ?').run(JSON.stringify([...tags]), id).changes;
        }
      }
    }).immediate(); // reads tags then writes: take the write lock first (see Project.transaction)
    return changed;
  }

  /** Mark images draft or reviewed (explicitly, never as a side effect of saving); returns how many changed. */
  setReview(ids: number[], review: ReviewState, by: string, now = new Date().toISOString()): number {
    const stmt = this.db.prepare(
      "UPDATE images SET review = ?, reviewed_by = CASE WHEN ? = 'reviewed' THEN ? END, reviewed_at = CASE WHEN ? = 'reviewed' THEN ? END WHERE id = ? AND review <> ?",
    );
    let changed = 0;
    this.db.transaction(() => {
      for (const id of ids) changed += stmt.run(review, review, by, review, now, id, review).changes;
    }).immediate();
    return changed;
  }

  reviewCounts(): Record<ReviewState, number> {
    const out: Record<ReviewState, number> = { draft: 0, reviewed: 0 };
    for (const r of this.db.prepare('SELECT review AS r, count(*) AS n FROM images GROUP BY review').all() as { r: ReviewState; n: number }[]) out[r.r] = r.n;
    return out;
  }

  /** Every tag in use with its image count, most used first. */
  tagCounts(): { tag: string; images: number }[] {
    return this.db
      .prepare('SELECT t.value AS tag, count(DISTINCT i.id) AS images FROM images i, json_each(i.tags) t GROUP BY t.value ORDER BY images DESC, tag')
      .all() as { tag: string; images: number }[];
  }

  /** Image ids by name (a name may belong to two images with different pixels). */
  idsByName(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    for (const r of this.db.prepare('SELECT id, name FROM images ORDER BY id').all() as { id: number; name: string }[]) {
      out.set(r.name, [...(out.get(r.name) ?? []), r.id]);
    }
    return out;
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
  }

  /** Image ids in id order. */
  ids(): number[] {
    return (this.db.prepare('SELECT id FROM images ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  }

  /** Images per difficulty class ('none' for unclassified) and per split (frames in no split are not counted). */
  groupCounts(): { byDifficulty: Record<string, number>; bySplit: Partial<Record<Split, number>> } {
    const byDifficulty: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT difficulty AS d, count(*) AS n FROM images GROUP BY difficulty').all() as { d: number | null; n: number }[]) {
      byDifficulty[r.d === null ? 'none' : String(r.d)] = r.n;
    }
    const bySplit: Partial<Record<Split, number>> = {};
    const rows = this.db
      .prepare(`SELECT ${EFFECTIVE_SPLIT} AS s, count(*) AS n FROM images i LEFT JOIN sequence_frames f ON f.image_id = i.id GROUP BY 1`)
      .all() as { s: FrameSplit; n: number }[];
    for (const r of rows) if (r.s !== 'unused') bySplit[r.s] = r.n;
    return { byDifficulty, bySplit };
  }
}
