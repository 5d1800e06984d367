// Numbered schema migrations, applied in order inside one transaction each. A new one is a
// file `NNNN-what-it-does.ts` beside these plus one line in this list.
import type { Migration } from './migration';
import { initialSchema } from './0001-initial-schema';
import { predictionBackend } from './0002-prediction-backend';
import { predictionConfidence } from './0003-prediction-confidence';
import { reviewState } from './0004-review-state';
import { importSources } from './0005-import-sources';
import { sequences } from './0006-sequences';
import { modelFamily } from './0007-model-family';
import { comparisons } from './0008-comparisons';

export type { Migration } from './migration';

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  predictionBackend,
  predictionConfidence,
  reviewState,
  importSources,
  sequences,
  modelFamily,
  comparisons,
];

export const LATEST_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1].version;
