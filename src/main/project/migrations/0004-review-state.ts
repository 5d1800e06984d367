import type { Migration } from './migration';

/**
 * An explicit review state per image (draft | reviewed), separate from "corrected": saving a
 * mask never marks an image reviewed, a person does. Who and when are kept for the record.
 */
export const reviewState: Migration = {
  version: 4,
  name: 'review state of each image',
  up(db) {
    db.exec(`
      ALTER TABLE images ADD COLUMN review TEXT NOT NULL DEFAULT 'draft' CHECK (review IN ('draft','reviewed'));
      ALTER TABLE images ADD COLUMN reviewed_by TEXT;
      ALTER TABLE images ADD COLUMN reviewed_at TEXT;
      CREATE INDEX images_review ON images(review);
    `);
  },
};
