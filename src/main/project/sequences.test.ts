import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Project } from './project';
import { MIGRATIONS } from './migrations/index';
import { sequenceDefaultSplit } from './sequences-repo';
import { tempDir } from '../testing/fixtures';

function newProject(): Project {
  return Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
}

let counter = 0;
function addImage(p: Project, name: string, w = 4, h = 4): number {
  return p.images.insert({ hash: `h${++counter}`, name, originalPath: name, width: w, height: h, format: 'png', bytes: new Uint8Array([counter]), thumbnail: null, split: 'train' });
}

describe('sequences', () => {
  it('orders frames, counts them and keeps one image per frame index', () => {
    const p = newProject();
    const seq = p.sequences.ensure({ name: 'film', width: 4, height: 4, source: '/data/film', frameInterval: 0.5 });
    const ids = [3, 1, 2].map((k) => {
      const id = addImage(p, `f${k}.png`);
      p.sequences.addFrame(seq.id, id, k);
      return id;
    });
    const info = p.sequences.get(seq.id);
    expect(info).toMatchObject({ name: 'film', frameCount: 3, frameInterval: 0.5, splitMode: 'sequence', firstFrame: 1, lastFrame: 3 });
    expect(info?.split).toBe(sequenceDefaultSplit('film'));
    expect(p.images.list({ sequenceId: seq.id }).map((i) => i.frameIndex)).toEqual([1, 2, 3]);
    expect(p.sequences.frameIds(seq.id)).toEqual([ids[1], ids[2], ids[0]]);
    // Every frame of a per-sequence split shares the sequence's split.
    expect(new Set(p.images.list({ sequenceId: seq.id }).map((i) => i.split))).toEqual(new Set([info?.split]));
    const other = addImage(p, 'x.png');
    expect(() => p.sequences.addFrame(seq.id, other, 2)).toThrow(/frame 2 of sequence film is already another image/);
    const second = p.sequences.ensure({ name: 'film2', width: 4, height: 4, source: 's' });
    expect(() => p.sequences.addFrame(second.id, ids[0], 0)).toThrow(/already frame 3 of sequence film/);
    expect(p.sequences.ensure({ name: 'film', width: 9, height: 9, source: 'again' }).id).toBe(seq.id);
    expect(p.images.list({ sequenceId: null }).map((i) => i.name)).toEqual(['x.png']);
    p.close();
  });

  it("keeps a protocol's 'unused' frames out of every split filter, count and split change", () => {
    const p = newProject();
    const seq = p.sequences.ensure({ name: 'flow', width: 4, height: 4, source: 'synthetic', protocol: 'seed000' });
    for (const k of [0, 3, 5, 400, 401]) p.sequences.addFrame(seq.id, addImage(p, `flow-${k}.png`), k);
    const loose = addImage(p, 'loose.png');
    const info = p.sequences.get(seq.id);
    expect(info?.bySplit).toEqual({ train: 1, val: 1, test: 1, unused: 2 });
    expect(info?.splitMode).toBe('frame');
    const names = (split: 'train' | 'val' | 'test'): string[] => p.images.list({ split: [split] }).map((i) => i.name);
    expect(names('train')).toEqual(['loose.png', 'flow-0.png']);
    expect(names('val')).toEqual(['flow-400.png']);
    expect(names('test')).toEqual(['flow-5.png']);
    const unused = p.images.list({ sequenceId: seq.id }).filter((i) => i.unused).map((i) => i.frameIndex);
    expect(unused).toEqual([3, 401]);
    const c = p.counts();
    expect(c).toMatchObject({ images: 6, sequences: 1, frames: 5, unusedFrames: 2, bySplit: { train: 2, val: 1, test: 1 } });
    // A frame's split belongs to its sequence: moving one frame alone is refused, nothing changes.
    const frame5 = p.sequences.imageAt(seq.id, 5) as number;
    expect(() => p.images.update([loose, frame5], { split: 'train' })).toThrow(/frame of a sequence.*sequences.setSplit/);
    expect(p.images.get(loose)?.split).toBe('train');
    expect(p.images.get(frame5)?.split).toBe('test');
    const whole = p.sequences.setSplit(seq.id, 'val');
    expect(whole).toMatchObject({ splitMode: 'sequence', split: 'val', protocol: null, bySplit: { train: 0, val: 5, test: 0, unused: 0 } });
    expect(names('val')).toHaveLength(5);
    p.close();
  });

  it('migration 6 moves the loose sequence columns into sequences; a flow film gets seed 000 with unused frames', () => {
    const file = join(tempDir(), 'v5.hemaseg');
    const db = new Database(file);
    for (const m of MIGRATIONS.filter((m) => m.version <= 5)) m.up(db);
    db.pragma('user_version = 5');
    db.pragma(`application_id = ${0x48534547}`);
    const ins = db.prepare(
      "INSERT INTO images (hash, name, original_path, width, height, format, bytes, split, tags, sequence_id, frame_index, imported_at) VALUES (?, ?, ?, 8, 8, 'png', x'00', ?, ?, ?, ?, 'now')",
    );
    for (let f = 0; f < 12; f++) ins.run(`a${f}`, `rbc-flow-seed3-frame_${f}.png`, 'x', f % 10 === 0 || f % 10 === 5 ? (f % 10 === 0 ? 'train' : 'test') : 'train', '["synthetic","rbc-flow"]', 'rbc-flow-seed3', f);
    ins.run('b0', 'cam-1.png', 'x', 'val', '[]', 'cam', 1);
    ins.run('b1', 'cam-0.png', 'x', 'test', '[]', 'cam', 0);
    ins.run('b2', 'cam-x.png', 'x', 'train', '[]', 'cam', null);
    ins.run('c0', 'single.png', 'x', 'train', '[]', null, null);
    db.close();

    const p = Project.open(file);
    const seqs = p.sequences.list();
    expect(seqs.map((s) => [s.name, s.frameCount, s.protocol])).toEqual([
      ['cam', 3, null],
      ['rbc-flow-seed3', 12, 'seed000'],
    ]);
    const flow = seqs[1];
    expect(flow.bySplit).toEqual({ train: 2, val: 0, test: 1, unused: 9 });
    const cam = p.images.list({ sequenceId: seqs[0].id });
    // Splits kept frame by frame; the frame without an index goes after the last one.
    expect(cam.map((i) => [i.name, i.frameIndex, i.split])).toEqual([
      ['cam-0.png', 0, 'test'],
      ['cam-1.png', 1, 'val'],
      ['cam-x.png', 2, 'train'],
    ]);
    expect(p.images.list({ split: ['train'] }).map((i) => i.name)).toEqual(['single.png', 'cam-x.png', 'rbc-flow-seed3-frame_0.png', 'rbc-flow-seed3-frame_10.png']);
    const columns = (p.db.prepare('SELECT name FROM pragma_table_info(?)').all('images') as { name: string }[]).map((c) => c.name);
    expect(columns).not.toContain('sequence_id');
    expect(columns).not.toContain('frame_index');
    p.close();
  });
});
