// Image sequences (table sequences, migration 6) and their frames (sequence_frames). A frame
// is an image of its own; this repository orders them, keeps the frame count and owns the
// frames' split (per sequence, or per frame as a protocol prescribes).
import { createHash } from 'node:crypto';
import type { Db } from './open-project';
import { FRAME_SPLITS, SPLITS, type FrameSplit, type SequenceInfo, type Split } from '../../shared/domain';
import { defaultSplit } from './split';
import { FRAME_PROTOCOLS } from './frame-protocols';

export interface NewSequence {
  name: string;
  width: number;
  height: number;
  source: string;
  frameInterval?: number | null;
  /** A per-frame protocol by name (FRAME_PROTOCOLS, e.g. 'seed000'); default: one split for the whole sequence. */
  protocol?: string;
  /** The whole sequence's split; default from a hash of its name (deterministic, like images' default split). */
  split?: FrameSplit;
}

interface SequenceRow {
  id: number;
  name: string;
  frame_count: number;
  frame_interval: number | null;
  split_mode: 'sequence' | 'frame';
  split: FrameSplit | null;
  protocol: string | null;
  width: number;
  height: number;
  source: string;
  created_at: string;
  labelled: number;
  first_frame: number | null;
  last_frame: number | null;
}

const SEQUENCE_SQL = `
  SELECT s.*,
         (SELECT count(*) FROM sequence_frames f JOIN current_masks c ON c.image_id = f.image_id AND c.kind = 'ground-truth'
           WHERE f.sequence_id = s.id) AS labelled,
         (SELECT min(frame_index) FROM sequence_frames f WHERE f.sequence_id = s.id) AS first_frame,
         (SELECT max(frame_index) FROM sequence_frames f WHERE f.sequence_id = s.id) AS last_frame
  FROM sequences s`;

/** A sequence's default split: from its name, so a re-import or another machine agrees. */
export function sequenceDefaultSplit(name: string): Split {
  return defaultSplit(createHash('sha256').update(name).digest('hex'));
}

export class SequencesRepo {
  constructor(private readonly db: Db) {}

  private toInfo(r: SequenceRow): SequenceInfo {
    const bySplit = Object.fromEntries(FRAME_SPLITS.map((s) => [s, 0])) as Record<FrameSplit, number>;
    for (const row of this.db.prepare('SELECT split AS s, count(*) AS n FROM sequence_frames WHERE sequence_id = ? GROUP BY split').all(r.id) as { s: FrameSplit; n: number }[]) {
      bySplit[row.s] = row.n;
    }
    return {
      id: r.id, name: r.name, frameCount: r.frame_count, labelledFrames: r.labelled, frameInterval: r.frame_interval,
      splitMode: r.split_mode, split: r.split, protocol: r.protocol, bySplit, width: r.width, height: r.height,
      firstFrame: r.first_frame, lastFrame: r.last_frame, source: r.source, createdAt: r.created_at,
    };
  }

  list(): SequenceInfo[] {
    return (this.db.prepare(`${SEQUENCE_SQL} ORDER BY s.name, s.id`).all() as SequenceRow[]).map((r) => this.toInfo(r));
  }

  get(id: number): SequenceInfo | null {
    const row = this.db.prepare(`${SEQUENCE_SQL} WHERE s.id = ?`).get(id) as SequenceRow | undefined;
    return row ? this.toInfo(row) : null;
  }

  byName(name: string): SequenceInfo | null {
    const row = this.db.prepare(`${SEQUENCE_SQL} WHERE s.name = ?`).get(name) as SequenceRow | undefined;
    return row ? this.toInfo(row) : null;
  }

  /** The sequence named `s.name`, created (with no frames) when there is none. */
  ensure(s: NewSequence, now = new Date().toISOString()): SequenceInfo {
    const existing = this.byName(s.name);
    if (existing) return existing;
    if (s.protocol !== undefined && !FRAME_PROTOCOLS[s.protocol]) throw new Error(`unknown frame protocol '${s.protocol}' (known: ${Object.keys(FRAME_PROTOCOLS).join(', ')})`);
    if (s.frameInterval !== undefined && s.frameInterval !== null && !(s.frameInterval > 0)) throw new Error(`frame interval must be positive, got ${s.frameInterval}`);
    const mode = s.protocol ? 'frame' : 'sequence';
    const split = s.protocol ? null : s.split ?? sequenceDefaultSplit(s.name);
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO sequences (name, frame_count, frame_interval, split_mode, split, protocol, width, height, source, created_at)
           VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(s.name, s.frameInterval ?? null, mode, split, s.protocol ?? null, s.width, s.height, s.source, now).lastInsertRowid,
    );
    return this.get(id) as SequenceInfo;
  }

  /** The image at a frame index, if any. */
  imageAt(sequenceId: number, frameIndex: number): number | null {
    const row = this.db.prepare('SELECT image_id FROM sequence_frames WHERE sequence_id = ? AND frame_index = ?').get(sequenceId, frameIndex) as { image_id: number } | undefined;
    return row?.image_id ?? null;
  }

  /** The sequence and index of an image that is a frame, else null. */
  frameOf(imageId: number): { sequenceId: number; frameIndex: number; split: FrameSplit } | null {
    const row = this.db.prepare('SELECT sequence_id, frame_index, split FROM sequence_frames WHERE image_id = ?').get(imageId) as
      | { sequence_id: number; frame_index: number; split: FrameSplit }
      | undefined;
    return row ? { sequenceId: row.sequence_id, frameIndex: row.frame_index, split: row.split } : null;
  }

  /**
   * Make an image frame `frameIndex` of a sequence; its split comes from the sequence (or its
   * protocol). Call inside the import's transaction. Throws when the index is taken or the
   * image is another sequence's frame: the caller reports it per file.
   */
  addFrame(sequenceId: number, imageId: number, frameIndex: number): FrameSplit {
    if (!Number.isInteger(frameIndex) || frameIndex < 0) throw new Error(`frame index must be a non-negative integer, got ${frameIndex}`);
    const seq = this.db.prepare('SELECT name, split_mode, split, protocol FROM sequences WHERE id = ?').get(sequenceId) as
      | { name: string; split_mode: 'sequence' | 'frame'; split: FrameSplit | null; protocol: string | null }
      | undefined;
    if (!seq) throw new Error(`no sequence with id ${sequenceId}`);
    const other = this.frameOf(imageId);
    if (other) {
      if (other.sequenceId === sequenceId && other.frameIndex === frameIndex) return other.split;
      throw new Error(`the same image is already frame ${other.frameIndex} of ${other.sequenceId === sequenceId ? 'this sequence' : `sequence ${this.nameOf(other.sequenceId)}`}`);
    }
    const taken = this.imageAt(sequenceId, frameIndex);
    if (taken !== null) throw new Error(`frame ${frameIndex} of sequence ${seq.name} is already another image`);
    let split: FrameSplit;
    if (seq.split_mode === 'sequence') split = seq.split as FrameSplit;
    else {
      // A protocol this version does not know (a newer file): the frame stays out of every split.
      const splitOf = seq.protocol ? FRAME_PROTOCOLS[seq.protocol] : undefined;
      split = splitOf ? splitOf(frameIndex) : 'unused';
    }
    this.db.prepare('INSERT INTO sequence_frames (image_id, sequence_id, frame_index, split) VALUES (?, ?, ?, ?)').run(imageId, sequenceId, frameIndex, split);
    this.mirrorSplit(imageId, split);
    this.db.prepare('UPDATE sequences SET frame_count = (SELECT count(*) FROM sequence_frames WHERE sequence_id = ?) WHERE id = ?').run(sequenceId, sequenceId);
    return split;
  }

  private nameOf(id: number): string {
    return (this.db.prepare('SELECT name FROM sequences WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? String(id);
  }

  /** images.split follows a frame's split where it is one (readers of that column alone then agree). */
  private mirrorSplit(imageId: number, split: FrameSplit): void {
    if ((SPLITS as readonly string[]).includes(split)) this.db.prepare('UPDATE images SET split = ? WHERE id = ?').run(split, imageId);
  }

  /**
   * One split for the whole sequence (every frame gets it); a per-frame protocol is replaced.
   * Returns the updated sequence.
   */
  setSplit(sequenceId: number, split: FrameSplit): SequenceInfo {
    if (!(FRAME_SPLITS as readonly string[]).includes(split)) throw new Error(`split must be one of ${FRAME_SPLITS.join(', ')}, got ${String(split)}`);
    this.db
      .transaction(() => {
        const changed = this.db.prepare("UPDATE sequences SET split_mode = 'sequence', split = ?, protocol = NULL WHERE id = ?").run(split, sequenceId).changes;
        if (!changed) throw new Error(`no sequence with id ${sequenceId}`);
        this.db.prepare('UPDATE sequence_frames SET split = ? WHERE sequence_id = ?').run(split, sequenceId);
        if ((SPLITS as readonly string[]).includes(split)) this.db.prepare('UPDATE images SET split = ? WHERE id IN (SELECT image_id FROM sequence_frames WHERE sequence_id = ?)').run(split, sequenceId);
      })
      .immediate();
    return this.get(sequenceId) as SequenceInfo;
  }

  /** The frame before an image's frame in its sequence (gaps skipped), or null (first frame, or no frame). */
  previousFrame(imageId: number): { imageId: number; frameIndex: number } | null {
    const row = this.db
      .prepare(
        `SELECT p.image_id, p.frame_index FROM sequence_frames f JOIN sequence_frames p ON p.sequence_id = f.sequence_id AND p.frame_index < f.frame_index
         WHERE f.image_id = ? ORDER BY p.frame_index DESC LIMIT 1`,
      )
      .get(imageId) as { image_id: number; frame_index: number } | undefined;
    return row ? { imageId: row.image_id, frameIndex: row.frame_index } : null;
  }

  /** Image ids of a sequence's frames in frame order. */
  frameIds(sequenceId: number): number[] {
    return (this.db.prepare('SELECT image_id FROM sequence_frames WHERE sequence_id = ? ORDER BY frame_index').all(sequenceId) as { image_id: number }[]).map((r) => r.image_id);
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM sequences').get() as { n: number }).n;
  }

  /** Frames in all sequences, and how many of them are in no split. */
  frameCounts(): { frames: number; unused: number } {
    const r = this.db.prepare("SELECT count(*) AS frames, coalesce(sum(split = 'unused'), 0) AS unused FROM sequence_frames").get() as { frames: number; unused: number };
    return { frames: r.frames, unused: r.unused };
  }
}
