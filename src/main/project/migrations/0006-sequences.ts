import type { Migration } from './migration';

interface LooseFrame {
  id: number;
  sequence_id: string;
  frame_index: number | null;
  split: 'train' | 'val' | 'test';
  width: number;
  height: number;
  tags: string;
}

/** Seed 000's split of the flow film, frozen here (a migration never changes with later code). */
function seed000Split(frame: number): 'train' | 'val' | 'test' | 'unused' {
  if (frame % 10 === 0 && frame < 400) return 'train';
  if (frame % 10 === 0 && frame < 500) return 'val';
  if (frame % 10 === 5 && frame < 500) return 'test';
  return 'unused';
}

/**
 * Sequences become first-class: a sequences table (name, frame count, frame interval, the
 * split per sequence or per frame with an 'unused' state) and one row per frame. The loose
 * images.sequence_id / frame_index columns move into them and are dropped. Until now only
 * `synth flow` filled those columns; its films put the frames outside seed 000's split in
 * train, so a film tagged rbc-flow gets the seed's protocol (those frames become 'unused');
 * any other sequence keeps each frame's split as it was.
 */
export const sequences: Migration = {
  version: 6,
  name: 'image sequences',
  up(db) {
    db.exec(`
      CREATE TABLE sequences (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        frame_count INTEGER NOT NULL DEFAULT 0,
        frame_interval REAL CHECK (frame_interval IS NULL OR frame_interval > 0),
        split_mode TEXT NOT NULL CHECK (split_mode IN ('sequence','frame')),
        split TEXT CHECK (split IN ('train','val','test','unused')),
        protocol TEXT,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        source TEXT NOT NULL,
        created_at TEXT NOT NULL,
        CHECK ((split_mode = 'sequence') = (split IS NOT NULL))
      );
      -- The frame's split is always stored here (for a per-sequence split, a copy of the
      -- sequence's), so every split filter reads one column.
      CREATE TABLE sequence_frames (
        image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
        sequence_id INTEGER NOT NULL REFERENCES sequences(id) ON DELETE CASCADE,
        frame_index INTEGER NOT NULL CHECK (frame_index >= 0),
        split TEXT NOT NULL CHECK (split IN ('train','val','test','unused')),
        UNIQUE (sequence_id, frame_index)
      );
      CREATE INDEX sequence_frames_split ON sequence_frames(split);
    `);
    const loose = db
      .prepare('SELECT id, sequence_id, frame_index, split, width, height, tags FROM images WHERE sequence_id IS NOT NULL ORDER BY sequence_id, frame_index IS NULL, frame_index, id')
      .all() as LooseFrame[];
    const groups = new Map<string, LooseFrame[]>();
    for (const r of loose) groups.set(r.sequence_id, [...(groups.get(r.sequence_id) ?? []), r]);
    const now = new Date().toISOString();
    const addSequence = db.prepare(
      `INSERT INTO sequences (name, frame_count, split_mode, split, protocol, width, height, source, created_at)
       VALUES (?, ?, 'frame', NULL, ?, ?, ?, ?, ?)`,
    );
    const addFrame = db.prepare('INSERT INTO sequence_frames (image_id, sequence_id, frame_index, split) VALUES (?, ?, ?, ?)');
    for (const [name, frames] of groups) {
      const flow = /^rbc-flow-seed\d+$/.test(name) && frames.every((f) => (JSON.parse(f.tags) as string[]).includes('rbc-flow'));
      const seqId = Number(addSequence.run(name, frames.length, flow ? 'seed000' : null, frames[0].width, frames[0].height, flow ? 'synthetic' : name, now).lastInsertRowid);
      // A missing or repeated index (never written by HemaSeg, but possible) goes after the last one.
      const taken = new Set<number>();
      let next = Math.max(-1, ...frames.map((f) => f.frame_index ?? -1)) + 1;
      for (const f of frames) {
        let index = f.frame_index;
        if (index === null || index < 0 || taken.has(index)) index = next++;
        taken.add(index);
        addFrame.run(f.id, seqId, index, flow ? seed000Split(index) : f.split);
      }
    }
    db.exec(`
      DROP INDEX IF EXISTS images_sequence;
      ALTER TABLE images DROP COLUMN sequence_id;
      ALTER TABLE images DROP COLUMN frame_index;
    `);
  },
};
