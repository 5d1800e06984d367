import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Project } from './project';
import { resolveMaskSource } from '../evaluation/mask-source';
import { LATEST_SCHEMA, MIGRATIONS } from './migrations/index';
import { tempDir } from '../testing/fixtures';
import { defaultSplit } from './split';

const mask = (w: number, h: number, fill: number) => ({ width: w, height: h, labels: new Uint8Array(w * h).fill(fill) });

function projectWithImage() {
  const p = Project.open(join(tempDir(), 'p.hemaseg'), { create: true });
  const id = p.images.insert({ hash: 'ab'.repeat(32), name: 'a.png', originalPath: 'a.png', width: 4, height: 3, format: 'png', bytes: new Uint8Array([1]), thumbnail: null });
  return { p, id };
}

describe('project file', () => {
  it('is created in WAL mode with foreign keys and the latest schema', () => {
    const { p } = projectWithImage();
    expect(p.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(p.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(p.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA);
    p.close();
  });

  it('refuses a file written by a newer schema, naming the file', () => {
    const file = join(tempDir(), 'new.hemaseg');
    Project.open(file, { create: true }).close();
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA + 1}`);
    db.close();
    expect(() => Project.open(file)).toThrow(/new\.hemaseg: written by a newer HemaSeg/);
  });

  it('numbers migrations 1..N in list order, so none can be skipped by a later release', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(LATEST_SCHEMA).toBe(MIGRATIONS.length);
  });

  it('upgrades a file written by an older schema, keeping its data', () => {
    const file = join(tempDir(), 'old.hemaseg');
    const db = new Database(file);
    MIGRATIONS[0].up(db);
    db.pragma('user_version = 1');
    db.pragma(`application_id = ${0x48534547}`);
    db.prepare("INSERT INTO images (hash, name, original_path, width, height, format, bytes, split, imported_at) VALUES ('h', 'a.png', 'a.png', 2, 1, 'png', x'00', 'train', 'now')").run();
    db.close();
    const p = Project.open(file);
    expect(p.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA);
    expect(p.images.count()).toBe(1);
    const v = p.masks.append({ imageId: 1, kind: 'prediction', source: 'm@1', author: 't', mask: mask(2, 1, 1), backend: 'wasm' });
    expect(p.masks.info(v)?.backend).toBe('wasm');
    p.close();
  });

  it('refuses another SQLite database and a missing file', () => {
    const file = join(tempDir(), 'other.db');
    const db = new Database(file);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(() => Project.open(file)).toThrow(/not a HemaSeg project/);
    expect(() => Project.open(join(tempDir(), 'missing.hemaseg'))).toThrow(/no such project file/);
  });

  it('keeps every mask version and moves only the current pointer', () => {
    const { p, id } = projectWithImage();
    const v1 = p.masks.append({ imageId: id, kind: 'ground-truth', source: 'imported', author: 't', mask: mask(4, 3, 1) });
    const v2 = p.masks.append({ imageId: id, kind: 'ground-truth', source: 'hand-edited', author: 't', mask: mask(4, 3, 2), parentId: v1 });
    const versions = p.masks.versions(id);
    expect(versions.map((v) => v.id)).toEqual([v2, v1]);
    expect(versions.find((v) => v.id === v2)?.isCurrent).toBe(true);
    expect(versions.find((v) => v.id === v1)?.isCurrent).toBe(false);
    expect(p.masks.load(v1)?.labels[0]).toBe(1);
    expect(p.masks.current(id, 'ground-truth')?.id).toBe(v2);
    expect(p.images.get(id)?.corrected).toBe(true);
    p.close();
  });

  it('keeps a current prediction per model; a bare name resolves to the newest version once, without patterns', () => {
    const { p, id } = projectWithImage();
    const a1 = p.masks.append({ imageId: id, kind: 'prediction', source: 'unet@1', author: 't', mask: mask(4, 3, 1) });
    const a10 = p.masks.append({ imageId: id, kind: 'prediction', source: 'unet@10', author: 't', mask: mask(4, 3, 2) });
    p.masks.append({ imageId: id, kind: 'prediction', source: 'unet@2', author: 't', mask: mask(4, 3, 2) });
    const b = p.masks.append({ imageId: id, kind: 'prediction', source: 'u_et@1', author: 't', mask: mask(4, 3, 0) });
    expect(p.masks.current(id, 'prediction', 'unet@1')?.id).toBe(a1);
    // Sources are exact: a bare name is resolved before a batch, never per image.
    expect(p.masks.current(id, 'prediction', 'unet')).toBeNull();
    expect(p.masks.newestVersionSource('prediction', 'unet')).toBe('unet@10');
    expect(p.masks.current(id, 'prediction', 'unet@10')?.id).toBe(a10);
    // '_' is a character, not a wildcard.
    expect(p.masks.newestVersionSource('prediction', 'u_et')).toBe('u_et@1');
    expect(p.masks.newestVersionSource('prediction', 'uxet')).toBeNull();
    expect(p.masks.current(id, 'prediction', 'u_et@1')?.id).toBe(b);
    expect(resolveMaskSource(p, 'unet')).toEqual({ kind: 'prediction', source: 'unet@10', label: 'unet@10' });
    expect(resolveMaskSource(p, 'unet@2').source).toBe('unet@2');
    expect(resolveMaskSource(p, 'ground-truth').kind).toBe('ground-truth');
    p.close();
  });

  it('rejects a mask whose size does not match its image, writing nothing', () => {
    const { p, id } = projectWithImage();
    expect(() => p.masks.append({ imageId: id, kind: 'ground-truth', source: 'x', author: 't', mask: mask(5, 3, 1) })).toThrow(/5x3.*4x3/);
    expect(p.masks.versions(id)).toHaveLength(0);
    p.close();
  });

  it('splits 70/15/15 by content hash, deterministically', () => {
    const counts = { train: 0, val: 0, test: 0 };
    for (let i = 0; i < 4000; i++) counts[defaultSplit(((i * 2654435761) >>> 0).toString(16).padStart(8, '0'))]++;
    expect(counts.train / 4000).toBeGreaterThan(0.66);
    expect(counts.train / 4000).toBeLessThan(0.74);
    expect(counts.val / 4000).toBeGreaterThan(0.12);
    expect(counts.test / 4000).toBeGreaterThan(0.12);
    expect(defaultSplit('00000000')).toBe('train');
    expect(defaultSplit('ffffffff')).toBe('test');
  });

  it('validates settings', () => {
    const { p } = projectWithImage();
    expect(p.settings.get().pixelsPerMicrometre).toBe(10.2);
    expect(p.settings.set({ pixelsPerMicrometre: 5 }).pixelsPerMicrometre).toBe(5);
    expect(() => p.settings.set({ threshold: 2 })).toThrow(/threshold/);
    p.close();
  });
});
