import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Project } from '../project/project';
import { importFolder } from './import-folder';
import { makeImageFolder, tempDir } from '../testing/fixtures';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('crash safety', () => {
  it('an import killed midway leaves a readable, consistent project that a re-import completes', async () => {
    const dir = tempDir();
    const N = 160;
    await makeImageFolder(dir, N, { size: 96, formats: ['bmp', 'png'] });
    const file = join(tempDir(), 'crash.hemaseg');
    Project.open(file, { create: true }).close();
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../testing/import-child.ts'), file, dir], { stdio: 'ignore' });
    // Kill it once some images are in, but not all.
    let seen = 0;
    for (let t = 0; t < 600 && seen < 24; t++) {
      await sleep(50);
      try {
        const db = new Database(file, { readonly: true });
        seen = (db.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
        db.close();
      } catch {
        seen = 0;
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(seen).toBeGreaterThan(0);

    const p = Project.open(file);
    expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const n = p.images.count();
    expect(n).toBeLessThan(N);
    // Every image that landed has its mask: image and mask were one transaction.
    const orphan = p.db.prepare(`SELECT count(*) AS n FROM images i WHERE NOT EXISTS (SELECT 1 FROM current_masks c WHERE c.image_id = i.id)`).get() as { n: number };
    expect(orphan.n).toBe(0);
    const dangling = p.db.prepare('SELECT count(*) AS n FROM current_masks c LEFT JOIN masks m ON m.id = c.mask_id WHERE m.id IS NULL').get() as { n: number };
    expect(dangling.n).toBe(0);
    const r = await importFolder(p, dir, { maskConvention: 'gray3' });
    expect(r.duplicates).toBe(n);
    expect(p.images.count()).toBe(N);
    expect(p.counts().masksByKind['ground-truth']).toBe(N);
    p.close();
  });
});
