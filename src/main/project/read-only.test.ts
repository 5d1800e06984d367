// Reading never writes: read-only opens refuse what is not a project without creating or
// upgrading anything, work on read-only files and folders (also after a crash), and the
// online backup copies what is still in the WAL. Writers checkpoint on close.
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Project } from './project';
import { backupProject } from './backup-project';
import { LATEST_SCHEMA, MIGRATIONS } from './migrations/index';
import { tempDir } from '../testing/fixtures';
import { AppContext } from '../api/app-context';
import { ApiService } from '../api/api-service';

const CLI = resolve(__dirname, '../cli/index.ts');
const isRoot = process.getuid?.() === 0;

/** Run a script with tsx; as root, as user nobody so file permissions really apply. */
function run(args: string[], unprivileged = false): Promise<{ code: number; out: string }> {
  const node = [process.execPath, '--import', 'tsx', ...args];
  const cmd = unprivileged && isRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', ...node] : node;
  return new Promise((done) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HEMASEG_HOME: tempDir(), HOME: '/tmp' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => done({ code: code ?? 1, out }));
  });
}

const img = (k: number) => ({ hash: `${k}`.padStart(64, 'a'), name: `${k}.png`, originalPath: `${k}.png`, width: 2, height: 1, format: 'png' as const, bytes: new Uint8Array([k]), thumbnail: null });

function projectWith(n: number, dir = tempDir()): string {
  const file = join(dir, 'p.hemaseg');
  const p = Project.open(file, { create: true });
  for (let k = 0; k < n; k++) p.images.insert(img(k));
  p.close();
  return file;
}

/** A folder the unprivileged user can enter (mkdtemp makes 0700 folders). */
function openDir(): string {
  const d = tempDir();
  chmodSync(d, 0o755);
  return d;
}

const readonlyDirs: string[] = [];
afterAll(() => {
  for (const d of readonlyDirs) chmodSync(d, 0o755);
});

describe('opening read-only', () => {
  it('refuses an empty file and leaves it empty (CLI info too)', async () => {
    const file = join(tempDir(), 'empty.hemaseg');
    writeFileSync(file, '');
    expect(() => Project.open(file, { readonly: true })).toThrow(/empty\.hemaseg: empty file, not a HemaSeg project/);
    expect(() => Project.open(file)).toThrow(/empty file/);
    const r = await run([CLI, 'info', file]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/empty file, not a HemaSeg project/);
    expect(statSync(file).size).toBe(0);
  });

  it('refuses a non-project file and another SQLite database without touching them', () => {
    const text = join(tempDir(), 'notes.hemaseg');
    writeFileSync(text, 'just some text, not a database at all');
    expect(() => Project.open(text, { readonly: true })).toThrow(/not a HemaSeg project \(not an SQLite database\)/);
    const other = join(tempDir(), 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    const before = readFileSync(other);
    expect(() => Project.open(other, { readonly: true })).toThrow(/not a HemaSeg project/);
    expect(readFileSync(other).equals(before)).toBe(true);
    const blank = join(tempDir(), 'blank.db');
    new Database(blank).pragma('user_version = 0');
    expect(() => Project.open(blank, { readonly: true })).toThrow(/without HemaSeg tables/);
    expect(() => Project.open(join(tempDir(), 'missing.hemaseg'), { readonly: true })).toThrow(/no such project file/);
  });

  it('does not upgrade an older schema: reads it when it can, else says to upgrade', async () => {
    // Schema 1 lacks columns later versions read: refused with a way forward, not upgraded.
    const old = join(tempDir(), 'old.hemaseg');
    const db = new Database(old);
    MIGRATIONS[0].up(db);
    db.pragma('user_version = 1');
    db.pragma(`application_id = ${0x48534547}`);
    db.close();
    expect(() => Project.open(old, { readonly: true })).toThrow(/schema 1 is older than this HemaSeg's .* upgrade/);
    const r = await run([CLI, 'info', old]);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/upgrade/);
    const after = new Database(old, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(1);
    after.close();

    // An older version number whose tables already hold everything this version reads.
    const readable = projectWith(2);
    const w = new Database(readable);
    w.pragma(`user_version = ${LATEST_SCHEMA - 1}`);
    w.close();
    const p = Project.open(readable, { readonly: true });
    expect(p.images.count()).toBe(2);
    p.close();
    const check = new Database(readable, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA - 1);
    check.close();
  });

  it('a read-only project never writes: inserting fails, the file is unchanged', () => {
    const file = projectWith(3);
    const before = readFileSync(file);
    const p = Project.open(file, { readonly: true });
    expect(p.images.count()).toBe(3);
    expect(() => p.images.insert(img(9))).toThrow(/readonly/);
    p.close();
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it.each([
    ['a read-only folder', true, false],
    ['a read-only file in a writable folder', false, false],
    ['a read-only folder holding a crashed project (commits only in its -wal)', true, 'crashed'],
    ['a read-only folder holding a crashed project whose -shm is gone (read through a private copy)', true, 'wal-only'],
  ] as const)('`hemaseg info` inspects %s and creates nothing there', async (_label, lockDir, crashed) => {
    const dir = openDir();
    const file = projectWith(4, dir);
    if (crashed) {
      const c = await run([resolve(__dirname, 'crash-writer.child.ts'), file, '5']);
      expect(c.code, c.out).toBe(0);
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      if (crashed === 'wal-only') rmSync(`${file}-shm`);
    }
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o444);
    if (!lockDir) chmodSync(dir, 0o777);
    else {
      chmodSync(dir, 0o555);
      readonlyDirs.push(dir);
    }
    const before = readdirSync(dir).sort();
    const r = await run([CLI, 'info', file, '--json'], true);
    expect(r.code, r.out).toBe(0);
    expect(JSON.parse(r.out.slice(r.out.indexOf('{'))).images).toBe(crashed ? 9 : 4);
    expect(readdirSync(dir).sort()).toEqual(before);
  });
});

describe('closing and backup', () => {
  it('a writer checkpoints on close: the file alone holds every commit, with no -wal beside it', () => {
    const dir = tempDir();
    const file = join(dir, 'p.hemaseg');
    const p = Project.open(file, { create: true });
    p.db.pragma('wal_autocheckpoint = 0');
    for (let k = 0; k < 8; k++) p.images.insert(img(k));
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
    p.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const copy = join(tempDir(), 'copy.hemaseg');
    copyFileSync(file, copy);
    const c = Project.open(copy, { readonly: true });
    expect(c.images.count()).toBe(8);
    c.close();
  });

  it('backs up an open project including what is only in its WAL, and never overwrites', async () => {
    const file = join(tempDir(), 'live.hemaseg');
    const p = Project.open(file, { create: true });
    p.db.pragma('wal_autocheckpoint = 0');
    for (let k = 0; k < 8; k++) p.images.insert(img(k));
    // Copying the file alone loses the commits still in the WAL …
    const naive = join(tempDir(), 'naive.hemaseg');
    copyFileSync(file, naive);
    const n = new Database(naive, { readonly: true });
    expect((n.prepare("SELECT count(*) AS c FROM sqlite_master WHERE name = 'images'").get() as { c: number }).c).toBe(0);
    n.close();
    // … the online backup does not.
    const out = join(tempDir(), 'backup.hemaseg');
    const r = await backupProject(p, out);
    expect(r.images).toBe(8);
    const b = Project.open(out, { readonly: true });
    expect(b.images.count()).toBe(8);
    b.close();
    expect(readdirSync(resolve(out, '..'))).toEqual(['backup.hemaseg']);
    const before = readFileSync(out);
    await expect(backupProject(p, out)).rejects.toThrow(/already exists; a backup never overwrites/);
    expect(readFileSync(out).equals(before)).toBe(true);
    await expect(backupProject(p, file)).rejects.toThrow(/is the project itself/);
    p.close();
  });

  it('`hemaseg backup` copies a crashed project (WAL) read-only, refuses an existing OUT', async () => {
    const file = projectWith(2);
    const c = await run([resolve(__dirname, 'crash-writer.child.ts'), file, '6']);
    expect(c.code, c.out).toBe(0);
    const out = join(tempDir(), 'b.hemaseg');
    const r = await run([CLI, 'backup', file, out]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/8 images/);
    const again = await run([CLI, 'backup', file, out]);
    expect(again.code).not.toBe(0);
    expect(again.out).toMatch(/already exists/);
  });

  it('the API saves a copy of the open project', async () => {
    process.env.HEMASEG_HOME = tempDir();
    const ctx = new AppContext('web');
    try {
      ctx.open(projectWith(3));
      const service = new ApiService(ctx);
      const out = join(tempDir(), 'ui-copy.hemaseg');
      const r = await service.call('project.backup', { out });
      expect(r).toEqual({ ok: true, value: expect.objectContaining({ path: out, images: 3 }) });
      const again = await service.call('project.backup', { out });
      expect(again.ok).toBe(false);
    } finally {
      ctx.close();
    }
  });
});
