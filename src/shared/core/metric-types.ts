// Result types of the metrics: plain JSON, stored in the project, carried by the API
// (eval.get) and shown by the renderer exactly as the main side computed them.

export const METRIC_CLASSES = ['cell', 'cytoplasm', 'nucleus', 'edge'] as const;
export type MetricClass = (typeof METRIC_CLASSES)[number];

/** Per-class metric groups, in the order tables show them. */
export const METRIC_GROUPS = ['iou_b', 'iou', 'dice', 'precision', 'recall'] as const;
export type MetricGroup = (typeof METRIC_GROUPS)[number];

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** Per-image scores; a class absent from both masks scores 1 (see README). `null` = not defined. */
export interface ImageMetrics {
  accuracy: number;
  iou: Record<MetricClass, number | null>;
  iou_b: Record<MetricClass, number | null>;
  dice: Record<MetricClass, number | null>;
  precision: Record<MetricClass, number | null>;
  recall: Record<MetricClass, number | null>;
  seg: number | null;
}

export interface ImageRow {
  imageId: number;
  name: string;
  difficulty: number | null;
  /** Name of the sequence the image is a frame of (absent in evaluations stored before sequences). */
  sequence?: string | null;
  /** Its frame index in that sequence. */
  frameIndex?: number | null;
  truthMaskId: number | null;
  predMaskId: number | null;
  metrics: ImageMetrics;
}

export interface MeanSe {
  mean: number;
  se: number;
  n: number;
}

/** Flattened metric name (e.g. `iou.nucleus`, `accuracy`, `seg`) -> mean and standard error. */
export type MetricTable = Record<string, MeanSe>;

export interface EvaluationSettings {
  borderPx: number | 'auto';
  borderPer128: number;
  threshold: number | null;
  truth: string;
  pred: string;
  split: string;
}

export interface EvaluationResult {
  settings: EvaluationSettings;
  images: number;
  means: MetricTable;
  /** Tables per difficulty class '1'..'8' ('none' for unclassified images). */
  byDifficulty: Record<string, MetricTable>;
  /**
   * Tables per sequence name, over the frames evaluated; images that are no frame are in no
   * group. Empty when no evaluated image is a frame; absent in results stored before it existed.
   */
  bySequence?: Record<string, MetricTable>;
  histogram: { metric: string; bins: number[]; edges: number[] };
  perImage: ImageRow[];
}
