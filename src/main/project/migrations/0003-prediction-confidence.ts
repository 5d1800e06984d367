import type { Migration } from './migration';

/**
 * How sure each prediction is (PredictionConfidence): the image-level value and the lowest
 * per-cell value as columns, so the gallery can sort and filter "needs review" in SQL, and
 * the whole record (per-cell values) as JSON for the editor and the CNR report.
 */
export const predictionConfidence: Migration = {
  version: 3,
  name: 'confidence of each prediction',
  up(db) {
    db.exec(`
      ALTER TABLE masks ADD COLUMN confidence REAL;
      ALTER TABLE masks ADD COLUMN confidence_min_cell REAL;
      ALTER TABLE masks ADD COLUMN confidence_detail TEXT;
    `);
  },
};
