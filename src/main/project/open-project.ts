import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, statSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { LATEST_SCHEMA, MIGRATIONS } from './migrations/index';

export type Db = Database.Database;

export class ProjectError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'ProjectError';
  }
}

/** Identifies HemaSeg project files so we never "upgrade" some other SQLite database. */
const APPLICATION_ID = 0x48534547; // 'HSEG'
const SQLITE_MAGIC = 'SQLite format 3\0';

export interface OpenOptions {
  /** Create the file when it does not exist (otherwise a missing file is an error). */
  create?: boolean;
  /**
   * Only read: never creates, upgrades or writes the file. Works on a read-only file or
   * folder; an older schema opens when this version can still read it.
   */
  readonly?: boolean;
}

/** Temporary private copies made to read a project in a read-only folder, removed on close. */
const privateCopies = new WeakMap<Db, string>();

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const file = resolve(path);
  checkFile(file, statOrNull(file), opts);
  const db = opts.readonly ? openReadonly(file) : openWritable(file);
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type='table'").get() as { n: number }).n > 0;
    if (hasTables && appId !== APPLICATION_ID) throw new ProjectError(file, 'not a HemaSeg project (another SQLite database)');
    if (!hasTables && (opts.readonly || !opts.create)) {
      throw new ProjectError(file, 'not a HemaSeg project (an SQLite database without HemaSeg tables; create a project with `hemaseg init`)');
    }
    if (version > LATEST_SCHEMA) {
      throw new ProjectError(file, `written by a newer HemaSeg (schema ${version}; this version reads up to ${LATEST_SCHEMA}). Update HemaSeg to open it.`);
    }
    db.pragma('foreign_keys = ON');
    if (opts.readonly) checkReadable(file, db, version);
    else migrate(db);
  } catch (err) {
    closeDatabase(db);
    if (err instanceof ProjectError) throw err;
    throw new ProjectError(file, `cannot read project (${(err as Error).message})`);
  }
  return db;
}

/**
 * Close a connection. A writer first checkpoints the WAL into the file and switches it back
 * to a rollback journal, so at rest the project is one self-contained file: copying it
 * alone loses nothing, and it reads in a read-only folder without -wal/-shm beside it.
 * While another connection (the ML worker, a second process) is open the switch is busy and
 * skipped; the last one to close does it.
 */
export function closeDatabase(db: Db): void {
  if (db.open) {
    if (!db.readonly) {
      try {
        db.pragma('busy_timeout = 0');
        db.pragma('wal_checkpoint(TRUNCATE)');
        db.pragma('journal_mode = DELETE');
      } catch {
        // Busy: another connection still uses the WAL.
      }
    }
    db.close();
  }
  const copy = privateCopies.get(db);
  if (copy) {
    privateCopies.delete(db);
    rmSync(copy, { recursive: true, force: true });
  }
}

function statOrNull(file: string): Stats | null {
  try {
    return statSync(file);
  } catch {
    return null;
  }
}

/** Refuse what is not a project before SQLite touches it (SQLite would happily turn an empty file into a database). */
function checkFile(file: string, st: Stats | null, opts: OpenOptions): void {
  if (!st) {
    if (!opts.create || opts.readonly) throw new ProjectError(file, 'no such project file (create it with `hemaseg init`)');
    mkdirSync(dirname(file), { recursive: true });
    return;
  }
  if (st.isDirectory()) throw new ProjectError(file, 'is a folder, not a project file');
  if (st.size === 0) {
    if (opts.create && !opts.readonly) return;
    throw new ProjectError(file, 'empty file, not a HemaSeg project (create a project with `hemaseg init` in a new file)');
  }
  let head = '';
  try {
    const fd = openSync(file, 'r');
    try {
      const buf = Buffer.alloc(16);
      head = buf.subarray(0, readSync(fd, buf, 0, 16, 0)).toString('latin1');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new ProjectError(file, `cannot read (${(err as Error).message})`);
  }
  if (head !== SQLITE_MAGIC) throw new ProjectError(file, 'not a HemaSeg project (not an SQLite database)');
}

function openWritable(file: string): Db {
  let db: Db;
  try {
    // The busy timeout (5 s) is set before anything else, the journal-mode switch included.
    db = new Database(file, { timeout: 5000 });
  } catch (err) {
    throw new ProjectError(file, `cannot open (${(err as Error).message})`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN')) {
      throw new ProjectError(file, 'the file or its folder is read-only: this command needs to write (read-only commands such as `hemaseg info` work)');
    }
    if (code === 'SQLITE_NOTADB') throw new ProjectError(file, 'not a HemaSeg project (not an SQLite database)');
    throw new ProjectError(file, `cannot open (${(err as Error).message})`);
  }
  return db;
}

/**
 * Read-only open. SQLite must reach the -shm/-wal files of a WAL database; where the folder
 * is read-only and they cannot be created (a crashed project on a read-only share), the
 * file and its WAL are read through a private temporary copy instead.
 */
function openReadonly(file: string): Db {
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      db.pragma('user_version'); // the first read is where a missing -shm fails
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB') throw new ProjectError(file, 'not a HemaSeg project (not an SQLite database)');
    if (!code.startsWith('SQLITE_CANTOPEN') && !code.startsWith('SQLITE_READONLY')) throw new ProjectError(file, `cannot open (${(err as Error).message})`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'hemaseg-readonly-'));
  try {
    const copy = join(dir, basename(file));
    copyFileSync(file, copy);
    if (existsSync(`${file}-wal`)) copyFileSync(`${file}-wal`, `${copy}-wal`);
    const db = new Database(copy, { readonly: true, fileMustExist: true });
    privateCopies.set(db, dir);
    return db;
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new ProjectError(file, `cannot open read-only (${(err as Error).message})`);
  }
}

/**
 * An older schema read without upgrading: fine when every table and column this version
 * reads is already there (the latest schema is built in memory to compare), otherwise say
 * how to upgrade.
 */
function checkReadable(file: string, db: Db, version: number): void {
  if (version === LATEST_SCHEMA) return;
  const latest = new Database(':memory:');
  try {
    for (const m of MIGRATIONS) m.up(latest);
    let missing: string[] = [];
    for (const { name } of latest.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]) {
      const have = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(name) as { name: string }[]).map((c) => c.name));
      if (!have.size) {
        missing.push(`table ${name}`);
        continue;
      }
      for (const c of latest.prepare('SELECT name FROM pragma_table_info(?)').all(name) as { name: string }[]) if (!have.has(c.name)) missing.push(`${name}.${c.name}`);
    }
    const optional = new Set(MIGRATIONS.filter((m) => m.version > version).flatMap((m) => m.optionalWhenReading ?? []));
    missing = missing.filter((c) => !optional.has(c));
    if (missing.length) {
      throw new ProjectError(
        file,
        `schema ${version} is older than this HemaSeg's (${LATEST_SCHEMA}) and cannot be read without upgrading (missing ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', …' : ''}). ` +
          'Open it once with a command that writes (for example `hemaseg serve` or the app) to upgrade it; keep a copy first if an older HemaSeg still needs it.',
      );
    }
  } finally {
    latest.close();
  }
}

/** Apply pending migrations, each in an IMMEDIATE transaction that re-reads the version, so two processes opening one old file upgrade it once. */
function migrate(db: Db): void {
  for (const m of MIGRATIONS) {
    db.transaction(() => {
      const current = db.pragma('user_version', { simple: true }) as number;
      if (m.version <= current) return;
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    }).immediate();
  }
}
