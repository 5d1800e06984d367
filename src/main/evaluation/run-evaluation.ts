import type { Project } from '../project/project';
import type { LabelMap, Split } from '../../shared/domain';
import { evaluateImage } from '../metrics/evaluate-image';
import { byDifficulty, bySequence, histogram, metricOf, metricTable } from '../../shared/core/summary';
import type { EvaluationResult, ImageRow } from '../../shared/core/metric-types';
import { resolveMaskSource } from './mask-source';

export interface EvaluationRequest {
  pred: string;
  truth: string;
  split: Split | 'all';
  /** Fixed band in px; null = 1 px per 128 px of image side (settings.borderPer128). */
  borderPx: number | null;
  histogramMetric?: string;
  /** Only these images (within the split); e.g. an experiment's evaluation images. */
  imageIds?: number[];
  /** Store the result in the project (default true). */
  store?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface EvaluationRun {
  id: number | null;
  result: EvaluationResult;
  /** Images skipped because one of the two masks is missing. */
  missing: { imageId: number; name: string; reason: string }[];
  pairs: { imageId: number; name: string; truth: LabelMap; pred: LabelMap }[];
}

/** Compare two mask sources over the images that have both; store the result. */
export function runEvaluation(project: Project, req: EvaluationRequest): EvaluationRun {
  // A bare model name means one version for the whole evaluation (resolved here, not per image).
  const pred = resolveMaskSource(project, req.pred);
  const truth = resolveMaskSource(project, req.truth);
  const settings = project.settings.get();
  const images = project.images.list({ ...(req.split === 'all' ? {} : { split: [req.split] }), ...(req.imageIds ? { ids: req.imageIds } : {}) });
  const rows: ImageRow[] = [];
  const missing: EvaluationRun['missing'] = [];
  const versions: { imageId: number; truth: number; pred: number }[] = [];
  const pairs: EvaluationRun['pairs'] = [];
  const thresholds = new Set<number>();
  const sequenceNames = new Map(project.sequences.list().map((s) => [s.id, s.name]));
  images.forEach((img, k) => {
    const tv = project.masks.current(img.id, truth.kind, truth.source);
    const pv = project.masks.current(img.id, pred.kind, pred.source);
    if (!tv || !pv) {
      missing.push({ imageId: img.id, name: img.name, reason: !tv ? `no ${truth.label} mask` : `no ${pred.label} mask` });
      return;
    }
    const t = project.masks.load(tv.id)!;
    const p = project.masks.load(pv.id)!;
    const th = project.masks.threshold(pv.id);
    if (th !== null) thresholds.add(th);
    rows.push({
      imageId: img.id, name: img.name, difficulty: img.difficulty,
      sequence: img.sequenceId === null ? null : (sequenceNames.get(img.sequenceId) ?? null), frameIndex: img.frameIndex,
      truthMaskId: tv.id, predMaskId: pv.id,
      metrics: evaluateImage(t, p, { borderPx: req.borderPx ?? undefined, borderPer128: settings.borderPer128 }),
    });
    versions.push({ imageId: img.id, truth: tv.id, pred: pv.id });
    pairs.push({ imageId: img.id, name: img.name, truth: t, pred: p });
    req.onProgress?.(k + 1, images.length);
  });
  if (!rows.length) {
    throw new Error(`no image${req.split === 'all' ? '' : ` in the ${req.split} split`} has both a ${truth.label} and a ${pred.label} mask`);
  }
  const metric = req.histogramMetric ?? 'iou_b.cell';
  const result: EvaluationResult = {
    settings: {
      borderPx: req.borderPx ?? 'auto', borderPer128: settings.borderPer128,
      threshold: thresholds.size === 1 ? [...thresholds][0] : thresholds.size ? Math.max(...thresholds) : null,
      truth: truth.label, pred: pred.label, split: req.split,
    },
    images: rows.length,
    means: metricTable(rows),
    byDifficulty: byDifficulty(rows),
    bySequence: bySequence(rows),
    histogram: { metric, ...histogram(rows.map((r) => metricOf(r, metric)).filter((v): v is number => v !== null)) },
    perImage: rows,
  };
  const id = req.store === false ? null : project.evaluations.insert(result, versions);
  return { id, result, missing, pairs };
}
