import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LATEST_SCHEMA, MIGRATIONS } from './migrations';

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

export interface OpenOptions {
  /** Create the file when it does not exist (otherwise a missing file is an error). */
  create?: boolean;
  readonly?: boolean;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  const file = resolve(path);
  const exists = existsSync(file);
  if (!exists && !opts.create) throw new ProjectError(file, 'no such project file (create it with `hemaseg init`)');
  if (!exists) mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false });
  } catch (err) {
    throw new ProjectError(file, `cannot open (${(err as Error).message})`);
  }
  try {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasTables = (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type='table'").get() as { n: number }).n > 0;
    if (hasTables && appId !== APPLICATION_ID) throw new ProjectError(file, 'not a HemaSeg project (another SQLite database)');
    if (version > LATEST_SCHEMA) {
      throw new ProjectError(file, `written by a newer HemaSeg (schema ${version}; this version reads up to ${LATEST_SCHEMA}). Update HemaSeg to open it.`);
    }
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) migrate(db, version);
  } catch (err) {
    db.close();
    if (err instanceof ProjectError) throw err;
    throw new ProjectError(file, `cannot read project (${(err as Error).message})`);
  }
  return db;
}

function migrate(db: Db, from: number): void {
  for (const m of MIGRATIONS) {
    if (m.version <= from) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      db.pragma(`application_id = ${APPLICATION_ID}`);
    })();
  }
}
