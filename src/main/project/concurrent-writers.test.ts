// Two processes writing one project at once (issue: import during a batch segmentation
// failed with "database is locked" after ~150 images, because read-then-write transactions
// began deferred and hit SQLITE_BUSY_SNAPSHOT in WAL mode). Both must finish.
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Project } from './project';
import { makeImageFolder, tempDir } from '../testing/fixtures';

const CLI = resolve(__dirname, '../cli/index.ts');

function run(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HEMASEG_HOME: tempDir() } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => done({ code: code ?? 1, out }));
  });
}

async function projectWith(images: number): Promise<{ file: string; more: string }> {
  const file = join(tempDir(), 'busy.hemaseg');
  const first = tempDir();
  await makeImageFolder(first, images, { size: 64, formats: ['png', 'bmp'] });
  Project.open(file, { create: true }).close();
  const r = await run([CLI, 'import', file, first, '--mask-convention', 'gray3']);
  expect(r.code, r.out).toBe(0);
  const more = tempDir();
  await makeImageFolder(more, 160, { size: 64, formats: ['png', 'bmp'], seed: 7 });
  return { file, more };
}

describe('two processes writing one project', () => {
  it('import + batch segmentation (active contour) both finish', async () => {
    const { file, more } = await projectWith(40);
    const [imp, seg] = await Promise.all([
      run([CLI, 'import', file, more, '--mask-convention', 'gray3']),
      run([CLI, 'segment', file, '--model', 'active-contour']),
    ]);
    expect(imp.out).not.toMatch(/database is locked/);
    expect(seg.out).not.toMatch(/database is locked/);
    expect(imp.code, imp.out).toBe(0);
    expect(seg.code, seg.out).toBe(0);
    const p = Project.open(file, { readonly: true });
    try {
      expect(p.images.count()).toBe(200);
      expect(p.counts().imagesWithMaskKind.baseline).toBeGreaterThanOrEqual(40);
      expect(p.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      p.close();
    }
  });

  it('import + mask saves (read current, append version) both finish', async () => {
    const { file, more } = await projectWith(20);
    const [imp, save] = await Promise.all([
      run([CLI, 'import', file, more, '--mask-convention', 'gray3']),
      run([resolve(__dirname, 'mask-saver.child.ts'), file, '300']),
    ]);
    expect(imp.out + save.out).not.toMatch(/database is locked/);
    expect(imp.code, imp.out).toBe(0);
    expect(save.code, save.out).toBe(0);
    expect(save.out).toMatch(/saved 300/);
    const p = Project.open(file, { readonly: true });
    try {
      expect(p.images.count()).toBe(180);
      expect(p.counts().masksByKind['ground-truth']).toBe(180 + 300);
    } finally {
      p.close();
    }
  });
});
