import type { Migration } from './migration';

/**
 * Stored N-way comparisons: which sources (as asked and as resolved), against which truth, on
 * which split, the one image set they all were evaluated on, and the stored evaluation of each
 * (a comparison reopens from those). `label` names where it came from, e.g. 'experiment seed002'.
 */
export const comparisons: Migration = {
  version: 8,
  name: 'comparisons',
  // A read-only reader of an older file has no stored comparisons (comparisons-repo.ts); the
  // entry has the form checkReadable reports a missing table in.
  optionalWhenReading: ['table comparisons'],
  up(db) {
    db.exec(`
      CREATE TABLE comparisons (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        label TEXT,
        truth_source TEXT NOT NULL,
        split TEXT NOT NULL,
        sources TEXT NOT NULL,
        image_ids TEXT NOT NULL,
        evaluation_ids TEXT NOT NULL,
        settings TEXT NOT NULL
      );
    `);
  },
};
