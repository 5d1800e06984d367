import Database from 'better-sqlite3';
import { constants, copyFileSync, existsSync, linkSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import type { Project } from './project';
import { ProjectError } from './open-project';

export interface BackupResult {
  path: string;
  bytes: number;
  images: number;
}

/**
 * A consistent copy of an open project through SQLite's online backup: it reads through the
 * connection, so commits still in the -wal file are included, and other connections may go
 * on writing meanwhile. The copy is written beside the target under a temporary name,
 * checked, switched to a self-contained rollback journal, and only then given its name;
 * an existing file is never overwritten.
 */
export async function backupProject(project: Project, out: string): Promise<BackupResult> {
  const target = resolve(out);
  if (target === project.path) throw new ProjectError(target, 'is the project itself; choose another file for the copy');
  if (existsSync(target)) throw new ProjectError(target, 'already exists; a backup never overwrites a file, choose a new name');
  const dir = dirname(target);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ProjectError(target, `no such folder ${dir}`);
  const partial = join(dir, `.${basename(target)}.${randomBytes(4).toString('hex')}.partial`);
  const cleanup = (): void => {
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`, `${partial}-journal`]) rmSync(f, { force: true });
  };
  try {
    await project.db.backup(partial);
    const copy = new Database(partial);
    let images: number;
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy failed its check (${String(check)})`);
      images = (copy.prepare('SELECT count(*) AS n FROM images').get() as { n: number }).n;
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    try {
      // A hard link fails when the name appeared meanwhile: no overwrite even in a race.
      linkSync(partial, target);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ProjectError(target, 'already exists; a backup never overwrites a file, choose a new name');
      // File systems without hard links (FAT, some shares): an exclusive copy.
      copyFileSync(partial, target, constants.COPYFILE_EXCL);
    }
    return { path: target, bytes: statSync(target).size, images };
  } catch (err) {
    if (err instanceof ProjectError) throw err;
    throw new ProjectError(target, `backup failed (${(err as Error).message})`);
  } finally {
    cleanup();
  }
}
