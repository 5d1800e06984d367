import type { Db } from '../project/open-project';
import type { EvaluationInfo } from '../../shared/api';
import type { EvaluationResult } from '../../shared/core/metric-types';

const HEADLINE = ['iou.cell', 'iou_b.cell', 'iou.cytoplasm', 'iou_b.cytoplasm', 'iou.nucleus', 'iou_b.nucleus', 'dice.cytoplasm', 'dice.nucleus', 'accuracy', 'seg'];

interface Row {
  id: number;
  created_at: string;
  pred_source: string;
  truth_source: string;
  split: string | null;
  result: string;
}

/** Stored evaluations: which sources and mask versions, the settings, and the full result. */
export class EvaluationsRepo {
  constructor(private readonly db: Db) {}

  insert(result: EvaluationResult, maskVersions: { imageId: number; truth: number; pred: number }[]): number {
    const info = this.db
      .prepare('INSERT INTO evaluations (created_at, pred_source, truth_source, split, settings, mask_versions, result) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(new Date().toISOString(), result.settings.pred, result.settings.truth, result.settings.split, JSON.stringify(result.settings), JSON.stringify(maskVersions), JSON.stringify(result));
    return Number(info.lastInsertRowid);
  }

  private toInfo(r: Row, result: EvaluationResult): EvaluationInfo {
    const headline: Record<string, number> = {};
    for (const k of HEADLINE) if (result.means[k]) headline[k] = result.means[k].mean;
    return { id: r.id, createdAt: r.created_at, pred: r.pred_source, truth: r.truth_source, split: r.split, images: result.images, headline };
  }

  list(): EvaluationInfo[] {
    return (this.db.prepare('SELECT * FROM evaluations ORDER BY id DESC').all() as Row[]).map((r) => this.toInfo(r, JSON.parse(r.result) as EvaluationResult));
  }

  /** The newest stored evaluations of `pred` against the ground truth on a split, with the mask versions each used. */
  recentFor(pred: string, split: string, limit = 20): { id: number; maskVersions: { imageId: number; truth: number; pred: number }[] }[] {
    const rows = this.db
      .prepare("SELECT id, mask_versions FROM evaluations WHERE pred_source = ? AND truth_source = 'ground-truth' AND split = ? ORDER BY id DESC LIMIT ?")
      .all(pred, split, limit) as { id: number; mask_versions: string }[];
    return rows.map((r) => ({ id: r.id, maskVersions: JSON.parse(r.mask_versions) as { imageId: number; truth: number; pred: number }[] }));
  }

  get(id: number): { info: EvaluationInfo; result: EvaluationResult } | null {
    const r = this.db.prepare('SELECT * FROM evaluations WHERE id = ?').get(id) as Row | undefined;
    if (!r) return null;
    const result = JSON.parse(r.result) as EvaluationResult;
    return { info: this.toInfo(r, result), result };
  }
}
