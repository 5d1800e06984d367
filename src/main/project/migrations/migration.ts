import type Database from 'better-sqlite3';

/**
 * One schema step. `up` runs inside the transaction that also bumps user_version, so it
 * may transform data as well as alter tables; a throw leaves the file at the previous
 * version. Never edit a shipped migration: add the next number in a file of its own.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
  /**
   * Columns it adds (`table.column`) that a read-only reader of an older file can do
   * without (its repository supplies the old meaning), so read-only commands keep working
   * on files this version has not upgraded.
   */
  optionalWhenReading?: readonly string[];
}
