import type { Migration } from './migration';

export const predictionBackend: Migration = {
  version: 2,
  name: 'backend of each prediction',
  up(db) {
    db.exec('ALTER TABLE masks ADD COLUMN backend TEXT');
  },
};
