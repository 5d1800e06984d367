import type { Migration } from './migration';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up(db) {
    db.exec(`
      CREATE TABLE images (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL,
        name TEXT NOT NULL,
        original_path TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        format TEXT NOT NULL CHECK (format IN ('png','jpeg','tiff','bmp')),
        bytes BLOB NOT NULL,
        thumbnail BLOB,
        difficulty INTEGER CHECK (difficulty BETWEEN 1 AND 8),
        split TEXT NOT NULL CHECK (split IN ('train','val','test')),
        split_manual INTEGER NOT NULL DEFAULT 0,
        tags TEXT NOT NULL DEFAULT '[]',
        sequence_id TEXT,
        frame_index INTEGER,
        imported_at TEXT NOT NULL,
        -- Identity is content plus name: a data set may hold the same pixels twice under two
        -- names with two different annotations (wbc-dataset1 112/139), and both must survive.
        UNIQUE (hash, name)
      );
      CREATE INDEX images_hash ON images(hash);
      CREATE INDEX images_difficulty ON images(difficulty);
      CREATE INDEX images_split ON images(split);
      CREATE INDEX images_sequence ON images(sequence_id, frame_index);

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        task TEXT NOT NULL,
        config TEXT NOT NULL,
        backend TEXT,
        parent_id INTEGER REFERENCES models(id),
        created_at TEXT NOT NULL,
        train_images INTEGER NOT NULL DEFAULT 0,
        metrics TEXT NOT NULL DEFAULT '{}',
        lineage TEXT NOT NULL DEFAULT '{}',
        model_json TEXT NOT NULL,
        weights BLOB NOT NULL,
        UNIQUE (name, version)
      );

      CREATE TABLE masks (
        id INTEGER PRIMARY KEY,
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('ground-truth','prediction','baseline')),
        source TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        parent_id INTEGER REFERENCES masks(id),
        model_id INTEGER REFERENCES models(id),
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        labels BLOB NOT NULL,
        instances BLOB,
        threshold REAL,
        note TEXT
      );
      CREATE INDEX masks_image ON masks(image_id, kind);

      -- The current version per image, kind and slot. Ground truth has one slot (''),
      -- predictions and baselines one per source, so each model keeps its own current mask.
      CREATE TABLE current_masks (
        image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        slot TEXT NOT NULL,
        mask_id INTEGER NOT NULL REFERENCES masks(id),
        PRIMARY KEY (image_id, kind, slot)
      );

      CREATE TABLE training_runs (
        id INTEGER PRIMARY KEY,
        model_name TEXT NOT NULL,
        status TEXT NOT NULL,
        config TEXT NOT NULL,
        backend TEXT,
        parent_model_id INTEGER REFERENCES models(id),
        result_model_id INTEGER REFERENCES models(id),
        started_at TEXT NOT NULL,
        finished_at TEXT,
        curves TEXT NOT NULL DEFAULT '[]',
        checkpoint BLOB,
        checkpoint_epoch INTEGER,
        error TEXT
      );

      CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        pred_source TEXT NOT NULL,
        truth_source TEXT NOT NULL,
        split TEXT,
        settings TEXT NOT NULL,
        mask_versions TEXT NOT NULL,
        result TEXT NOT NULL
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `);
  },
};
