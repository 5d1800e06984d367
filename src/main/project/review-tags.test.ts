import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Project } from './project';
import { applyTagsCsv, parseTagsCsv } from './tags-csv';
import { makeImageFolder, tempDir } from '../testing/fixtures';
import { importFolder } from '../transfer/import-folder';
import { selectTrainingImages } from '../ml/data/dataset';
import { reviewState } from './migrations/0004-review-state';

async function project(count: number, names?: (i: number) => string): Promise<{ p: Project; dir: string }> {
  const dir = tempDir('hemaseg-review-');
  const images = join(dir, 'images');
  await makeImageFolder(images, count, { formats: ['bmp'] });
  if (names) {
    // makeImageFolder names files 001.bmp...; a tags file beside them is read at import.
    writeFileSync(join(images, 'class-labels.csv'), ['image ID,class label', ...Array.from({ length: count }, (_, i) => `${i + 1},${(i % 5) + 1}`)].join('\n'));
  }
  const p = Project.open(join(dir, 'p.hemaseg'), { create: true });
  await importFolder(p, images);
  return { p, dir };
}

describe('review states', () => {
  it('start as draft, change only when set, are counted and filter images.list', async () => {
    const { p } = await project(6);
    const ids = p.images.list().map((i) => i.id);
    expect(p.images.list().every((i) => i.review === 'draft')).toBe(true);
    expect(p.images.setReview(ids.slice(0, 2), 'reviewed', 'tech')).toBe(2);
    expect(p.images.setReview(ids.slice(0, 2), 'reviewed', 'tech')).toBe(0); // already reviewed
    expect(p.images.reviewCounts()).toEqual({ draft: 4, reviewed: 2 });
    expect(p.counts().byReview).toEqual({ draft: 4, reviewed: 2 });
    expect(p.images.list({ review: ['reviewed'] }).map((i) => i.id)).toEqual(ids.slice(0, 2));
    // Saving a mask is not a review.
    const img = p.images.get(ids[3])!;
    p.masks.append({ imageId: img.id, kind: 'ground-truth', source: 'hand-edited', author: 't', mask: { width: img.width, height: img.height, labels: new Uint8Array(img.width * img.height) } });
    expect(p.images.get(ids[3])!.review).toBe('draft');
    const row = p.db.prepare('SELECT reviewed_by, reviewed_at FROM images WHERE id = ?').get(ids[0]) as { reviewed_by: string; reviewed_at: string };
    expect(row.reviewed_by).toBe('tech');
    p.images.setReview([ids[0]], 'draft', 'tech');
    expect(p.db.prepare('SELECT reviewed_by FROM images WHERE id = ?').get(ids[0])).toEqual({ reviewed_by: null });
    p.close();
  });

  it('select training images: reviewed only', async () => {
    const { p } = await project(12);
    const train = p.images.list({ split: ['train'] });
    expect(train.length).toBeGreaterThan(2);
    p.images.setReview([train[0].id, train[1].id], 'reviewed', 't');
    expect(selectTrainingImages(p, { split: 'train', images: 'reviewed' }).map((i) => i.imageId).sort()).toEqual([train[0].id, train[1].id].sort());
    expect(selectTrainingImages(p, { split: 'train', images: 'all' }).length).toBe(train.length);
    p.close();
  });

  it('migration 4 adds the column to an existing images table with draft as the default', () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE images (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO images (name) VALUES ('a.png')");
    reviewState.up(db);
    expect(db.prepare('SELECT review FROM images').get()).toEqual({ review: 'draft' });
    expect(() => db.prepare("UPDATE images SET review = 'maybe'").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('tags from a CSV', () => {
  it("reads wbc-dataset1's class-labels.csv beside the images at import (numeric ids, WBC type names)", async () => {
    const { p } = await project(6, () => '');
    const byName = new Map(p.images.list().map((i) => [i.name, i.tags]));
    expect(byName.get('0001.bmp')).toContain('neutrophil');
    expect(byName.get('0002.bmp')).toContain('lymphocyte');
    expect(byName.get('0005.bmp')).toContain('basophil');
    expect(p.images.list({ tags: ['monocyte'] }).map((i) => i.name)).toEqual(['0003.bmp']);
    expect(p.images.tagCounts().find((t) => t.tag === 'neutrophil')).toEqual({ tag: 'neutrophil', images: 2 });
    expect(p.counts().byTag.neutrophil).toBe(2);
    p.close();
  });

  it('applies file,tag rows (several tags with ;) and reports rows it cannot use', async () => {
    const { p, dir } = await project(3);
    const csv = join(dir, 'tags.csv');
    writeFileSync(csv, 'file,tag\n001.bmp,blast;urgent\n"002.bmp",lymphocyte\nmissing.bmp,x\n003.bmp,\n');
    const r = applyTagsCsv(p, csv);
    expect(r).toMatchObject({ rows: 4, tagged: 2, tags: { blast: 1, urgent: 1, lymphocyte: 1 } });
    expect(r.unmatched.map((u) => [u.row, u.reason])).toEqual([[4, 'no project image has this name'], [5, 'no tag']]);
    expect(p.images.list({ tags: ['urgent', 'lymphocyte'] }).map((i) => i.name)).toEqual(['0001.bmp', '0002.bmp']);
    p.close();
  });

  it('refuses a CSV without file and tag columns, naming the file', () => {
    expect(() => parseTagsCsv('a,b\n1,2', '/x/t.csv')).toThrow(/\/x\/t\.csv: the header must name a file column/);
  });
});
