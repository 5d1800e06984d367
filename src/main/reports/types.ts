// Types of the CNR analysis and of the report input/model. Pure data: no I/O here.
import type { DifficultyClass, LabelMap, MaskKind, RgbImage, Split } from '../../shared/domain';

/** Why a cell has no CNR (or is not a white blood cell at all). */
export type CellFlagCode = 'partial' | 'smudge' | 'no-nucleus' | 'fragment' | 'prediction-only' | 'low-confidence';
/** Image-level conditions. */
/** 'unreadable-mask': the stored mask (or image) could not be read; the image is listed without analysis. */
export type ImageFlagCode = 'no-wbc' | 'prediction-only' | 'unreadable-mask';

export interface Flag<C extends string = string> {
  code: C;
  /** One sentence a haematologist can read, with the numbers that triggered the flag. */
  reason: string;
}
export type CellFlag = Flag<CellFlagCode>;
export type ImageFlag = Flag<ImageFlagCode>;

export interface Point {
  x: number;
  y: number;
}

/** Inclusive pixel bounds. */
export interface BBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface CellMeasurement {
  /** Instance id when the mask has an instance map, otherwise 1..n in raster order. */
  id: number;
  nucleusPx: number;
  cytoplasmPx: number;
  /** cytoplasm + nucleus; edge pixels are never counted. */
  cellPx: number;
  /** Edge-class pixels 8-adjacent to this cell (shared edge pixels count for both cells). */
  edgePx: number;
  nucleusUm2: number;
  cytoplasmUm2: number;
  cellUm2: number;
  /** cytoplasm / nucleus; null when any flag applies. */
  cnr: number | null;
  /** nucleus / cell (N:C); null when any flag applies. */
  ncRatio: number | null;
  /** 8-connected nucleus parts of at least the lobe threshold. */
  lobes: number;
  /** Outer outline length, summed over the cell's parts, pixels (see components.outerPerimeter). */
  perimeterPx: number;
  perimeterUm: number;
  /** 4*pi*A/P^2 with A = cell pixels, clamped to 1 (1 = disc). */
  circularity: number;
  /** Mean pixel position (0-based pixel indices). */
  centroid: Point;
  /** Distance of the centroid from the image centre ((w-1)/2, (h-1)/2), pixels. */
  centreDistance: number;
  bbox: BBox;
  touchesBorder: boolean;
  /** The reported cell of the image (nearest the centre among non-fragment cells). */
  centred: boolean;
  /** Small disconnected pieces merged into this cell (see AnalysisOptions.mergeGapPx). */
  fragmentsMerged: number;
  flags: CellFlag[];
}

export interface AnalysisOptions {
  pixelsPerMicrometre: number;
  /** Smudge when cytoplasm / cell is below this (default 0.05). */
  smudgeCytoplasmFraction?: number;
  /** Components smaller than this are fragments, not cells (default max(16, 0.2% of image area)). */
  minCellPx?: number;
  /** A fragment within this many background pixels of a cell joins it (default max(1, round(2% of the shorter side))). */
  mergeGapPx?: number;
  /** Nucleus parts smaller than this fraction of the cell's nucleus are not lobes (default 0.05). */
  minLobeFraction?: number;
  /** Set by the caller when corrected masks only were requested and this mask is a prediction. */
  predictionOnly?: boolean;
}

export interface ImageAnalysis {
  width: number;
  height: number;
  cells: CellMeasurement[];
  centredCellId: number | null;
  flags: ImageFlag[];
  /** All edge-class pixels of the mask. */
  edgePx: number;
  /** Per-pixel cell id (0 = none), for drawing outlines. */
  cellIds: Int32Array;
}

export interface CnrStats {
  count: number;
  mean: number | null;
  median: number | null;
  q1: number | null;
  q3: number | null;
  iqr: number | null;
  min: number | null;
  max: number | null;
}

/** One value for the summary: the CNR of an image's centred cell (null = withheld). */
export interface CnrRow {
  cnr: number | null;
  difficulty: DifficultyClass | null;
  typeTag: string | null;
  /** Name of the sequence the image is a frame of (null or absent: none). */
  sequence?: string | null;
}

export interface CnrSummary {
  overall: CnrStats;
  /** Rows whose CNR was withheld (flagged) or missing. */
  withoutCnr: number;
  /** Keyed by difficulty class id ('1'..'8') or 'none'. */
  byDifficulty: Record<string, CnrStats>;
  /** Keyed by type tag or 'none'; empty when no row carries a tag. */
  byType: Record<string, CnrStats>;
  /** Keyed by sequence name; empty when no image is a sequence's frame (loose images are in no group). */
  bySequence: Record<string, CnrStats>;
}

export interface ReportImageInput {
  name: string;
  hash: string;
  difficulty: DifficultyClass | null;
  typeTag: string | null;
  /** The sequence this image is a frame of, and its frame index (time-lapse reports group by it). */
  sequence?: string | null;
  frameIndex?: number | null;
  split: Split;
  image: RgbImage;
  mask: LabelMap;
  maskKind: MaskKind;
  maskSource: string;
  modelVersion: string | null;
  /** ISO time of the mask version used. */
  maskVersionTime: string;
  /** A ground truth (imported or hand-corrected). Default: maskKind === 'ground-truth'. */
  corrected?: boolean;
  /**
   * Why the mask or image could not be read (e.g. a corrupt blob). The image is then listed
   * with an 'unreadable-mask' flag and no cells; `image` and `mask` are placeholders.
   */
  unreadable?: string;
  /**
   * How sure the model was (predictions only): cells (by instance id) under `threshold` get
   * a 'low-confidence' flag asking for review; their CNR is still computed.
   */
  confidence?: { threshold: number; image: number; cells: { instance: number; confidence: number }[] };
}

export interface ReportInput {
  projectName: string;
  projectPath: string;
  /** ISO time. */
  createdAt: string;
  maskSource: string;
  /** Pixels per micrometre. */
  calibration: number;
  backend: string | null;
  modelVersion: string | null;
  images: ReportImageInput[];
  /** The user asked for corrected masks only: other masks get 'prediction-only' and no CNR. */
  correctedOnly?: boolean;
  /** Overrides of the analysis thresholds (calibration comes from `calibration`). */
  analysis?: Omit<AnalysisOptions, 'pixelsPerMicrometre' | 'predictionOnly'>;
}

// What writing a report produced is part of the API contract (the report job's result).
export type { ReportFormat, ReportResult } from '../../shared/api';
