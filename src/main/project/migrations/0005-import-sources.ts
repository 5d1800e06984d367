import type { Migration } from './migration';

/**
 * The files each image and its imported mask came from (absolute paths), so that an
 * export never writes over a data set's own images or masks.
 */
export const importSources: Migration = {
  version: 5,
  name: 'files images and masks were imported from',
  up(db) {
    db.exec(`
      CREATE TABLE import_sources (
        id INTEGER PRIMARY KEY,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        role TEXT NOT NULL CHECK (role IN ('image', 'mask')),
        path TEXT NOT NULL,
        imported_at TEXT NOT NULL
      );
      CREATE INDEX import_sources_image ON import_sources(image_id);
    `);
  },
};
