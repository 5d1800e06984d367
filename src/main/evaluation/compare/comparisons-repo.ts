// Stored N-way comparisons (table comparisons, migration 8). The numbers live in the
// evaluations each source got; a comparison row records which ones, on which image set.
import type { Db } from '../../project/open-project';
import type { ComparisonInfo, ComparisonSettings, DroppedImage } from '../../../shared/core/comparison';

/** Per source, what the row keeps besides its evaluation id. */
export interface StoredComparisonSource {
  asked: string;
  label: string;
  evaluationId: number;
  dropped: DroppedImage[];
  missingOwn: number;
}

export interface NewComparison {
  label: string | null;
  settings: ComparisonSettings;
  imageIds: number[];
  noTruth: number;
  sources: StoredComparisonSource[];
}

export interface StoredComparison extends NewComparison {
  id: number;
  createdAt: string;
}

interface Row {
  id: number;
  created_at: string;
  label: string | null;
  truth_source: string;
  split: string;
  sources: string;
  image_ids: string;
  evaluation_ids: string;
  settings: string;
}

export class ComparisonsRepo {
  constructor(private readonly db: Db) {}

  /** False only for a read-only reader of a file from before migration 8. */
  private exists(): boolean {
    return !!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'comparisons'").get();
  }

  insert(c: NewComparison, now = new Date().toISOString()): number {
    const info = this.db
      .prepare('INSERT INTO comparisons (created_at, label, truth_source, split, sources, image_ids, evaluation_ids, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(
        now, c.label, c.settings.truth, c.settings.split, JSON.stringify(c.sources), JSON.stringify(c.imageIds),
        JSON.stringify(c.sources.map((s) => s.evaluationId)), JSON.stringify({ ...c.settings, noTruth: c.noTruth }),
      );
    return Number(info.lastInsertRowid);
  }

  list(): ComparisonInfo[] {
    if (!this.exists()) return [];
    return (this.db.prepare('SELECT * FROM comparisons ORDER BY id DESC').all() as Row[]).map((r) => ({
      id: r.id, createdAt: r.created_at, label: r.label, truth: r.truth_source, split: r.split,
      sources: (JSON.parse(r.sources) as StoredComparisonSource[]).map((s) => s.label),
      images: (JSON.parse(r.image_ids) as number[]).length,
      evaluationIds: JSON.parse(r.evaluation_ids) as number[],
    }));
  }

  get(id: number): StoredComparison | null {
    if (!this.exists()) return null;
    const r = this.db.prepare('SELECT * FROM comparisons WHERE id = ?').get(id) as Row | undefined;
    if (!r) return null;
    const { noTruth, ...settings } = JSON.parse(r.settings) as ComparisonSettings & { noTruth: number };
    return {
      id: r.id, createdAt: r.created_at, label: r.label, settings, noTruth,
      imageIds: JSON.parse(r.image_ids) as number[], sources: JSON.parse(r.sources) as StoredComparisonSource[],
    };
  }
}
