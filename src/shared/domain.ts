// Domain types shared by every side of HemaSeg. No runtime dependencies: the renderer,
// the main-side services, the CLI and the ML worker all import this file.

/** Pixel classes of a label map. Cell = cytoplasm + nucleus. */
export const LABEL = {
  background: 0,
  cytoplasm: 1,
  nucleus: 2,
  edge: 3,
} as const;
export type LabelValue = (typeof LABEL)[keyof typeof LABEL];
export const LABEL_NAMES = ['background', 'cytoplasm', 'nucleus', 'edge'] as const;
export type LabelName = (typeof LABEL_NAMES)[number];

/**
 * A segmentation of one image: one byte per pixel (row-major, LABEL values) and an
 * optional instance map (one id per white blood cell, 0 = none) so touching cells stay apart.
 */
export interface LabelMap {
  width: number;
  height: number;
  labels: Uint8Array;
  instances?: Uint16Array;
}

/** An RGB image in memory: 3 bytes per pixel, row-major. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export const DIFFICULTY_CLASSES = [
  { id: 1, key: 'easy', label: 'Easy' },
  { id: 2, key: 'multiple', label: 'Multiple cells' },
  { id: 3, key: 'half', label: 'Half cells' },
  { id: 4, key: 'difficult', label: 'Difficult' },
  { id: 5, key: 'adjacent-platelets', label: 'Adjacent platelets' },
  { id: 6, key: 'smudge', label: 'Smudge cells' },
  { id: 7, key: 'platelets', label: 'Platelets' },
  { id: 8, key: 'adjacent-cells', label: 'Adjacent cells' },
] as const;
export type DifficultyClass = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

export const SPLITS = ['train', 'val', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export const MASK_KINDS = ['ground-truth', 'prediction', 'baseline'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

export const MASK_CONVENTIONS = ['gray3', 'rgb', 'binary'] as const;
export type MaskConvention = (typeof MASK_CONVENTIONS)[number];

export const IMAGE_FORMATS = ['png', 'jpeg', 'tiff', 'bmp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Source names with a fixed meaning; model predictions use `name@version`. */
export const SOURCE = {
  imported: 'imported',
  handEdited: 'hand-edited',
  activeContour: 'active-contour',
  synthetic: 'synthetic',
} as const;

export type Backend = 'tensorflow' | 'wasm' | 'cpu';
export const BACKEND_LABEL: Record<Backend, string> = {
  tensorflow: 'native TF',
  wasm: 'wasm',
  cpu: 'cpu',
};

export interface ImageSummary {
  id: number;
  hash: string;
  name: string;
  path: string;
  width: number;
  height: number;
  format: ImageFormat;
  difficulty: DifficultyClass | null;
  split: Split;
  tags: string[];
  sequenceId: string | null;
  frameIndex: number | null;
  /** Mask kinds that have at least one version for this image. */
  maskKinds: MaskKind[];
  /** True when the current ground truth was hand-edited (a correction). */
  corrected: boolean;
  importedAt: string;
}

export interface MaskVersionInfo {
  id: number;
  imageId: number;
  kind: MaskKind;
  source: string;
  author: string;
  createdAt: string;
  parentId: number | null;
  modelId: number | null;
  note: string | null;
  /** TF backend that computed a prediction; null for other masks. */
  backend: string | null;
  isCurrent: boolean;
}

export interface ProjectCounts {
  images: number;
  masksByKind: Record<MaskKind, number>;
  imagesWithMaskKind: Record<MaskKind, number>;
  byDifficulty: Record<string, number>;
  bySplit: Record<Split, number>;
  sequences: number;
}

export interface ProjectSettings {
  pixelsPerMicrometre: number;
  threshold: number;
  /** Border band for IoU_b, in pixels per 128 px of image side. */
  borderPer128: number;
}

export const DEFAULT_SETTINGS: ProjectSettings = {
  pixelsPerMicrometre: 10.2,
  threshold: 0.5,
  borderPer128: 1,
};

export interface SkippedFile {
  file: string;
  reason: string;
}

export interface ImportReport {
  scanned: number;
  imported: number;
  duplicates: number;
  masksImported: number;
  skipped: SkippedFile[];
  /** Imported, but worth a look (e.g. the same pixels under two names). */
  notes: { file: string; note: string }[];
  imageIds: number[];
}

export type ModelTask = 'binary' | 'multiclass' | 'multiclass-edge';
