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

/**
 * Split of a sequence's frames. A protocol may leave frames out of every split ('unused'):
 * they stay in the project as context (the frames before a frame to segment) but no split
 * filter ever returns them, so they are never trained on, validated or tested.
 */
export const FRAME_SPLITS = [...SPLITS, 'unused'] as const;
export type FrameSplit = (typeof FRAME_SPLITS)[number];

/**
 * An image sequence (time-lapse): ordered frames, each an image of its own. The split is set
 * per sequence (every frame the same, so neighbouring frames never straddle train and test)
 * or per frame, as a protocol prescribes (`protocol` names it, e.g. the flow film's seed000).
 */
export interface SequenceInfo {
  id: number;
  name: string;
  /** Frames in the project (gaps in the numbering are not counted). */
  frameCount: number;
  /** Frames with a current ground-truth mask (sparse labels are the norm). */
  labelledFrames: number;
  /** Time between frames in seconds; null when unknown. */
  frameInterval: number | null;
  splitMode: 'sequence' | 'frame';
  /** The sequence's split (splitMode 'sequence'); null when set per frame. */
  split: FrameSplit | null;
  protocol: string | null;
  /** Frames per split ('unused' included). */
  bySplit: Record<FrameSplit, number>;
  /** Frame size (every frame of a sequence has the same size). */
  width: number;
  height: number;
  firstFrame: number | null;
  lastFrame: number | null;
  /** Where it came from: a folder or a TIFF stack (as given at import), or 'synthetic'. */
  source: string;
  createdAt: string;
}

export const MASK_KINDS = ['ground-truth', 'prediction', 'baseline'] as const;
export type MaskKind = (typeof MASK_KINDS)[number];

export const MASK_CONVENTIONS = ['gray3', 'rgb', 'binary', 'index'] as const;
export type MaskConvention = (typeof MASK_CONVENTIONS)[number];

export const IMAGE_FORMATS = ['png', 'jpeg', 'tiff', 'bmp'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** Source names with a fixed meaning; model predictions use `name@version`. */
export const SOURCE = {
  imported: 'imported',
  handEdited: 'hand-edited',
  /** Ground truth that is a prediction or baseline stored unchanged by an explicit accept: not a correction. */
  accepted: 'accepted',
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
  /** The sequence this image is a frame of (SequenceInfo.id), else null. */
  sequenceId: number | null;
  frameIndex: number | null;
  /**
   * True for a frame its sequence's protocol leaves out of every split: no split filter
   * returns it, so it is never trained on, validated or tested; `split` says nothing then.
   */
  unused?: boolean;
  /** Mask kinds that have at least one version for this image. */
  maskKinds: MaskKind[];
  /** True when the current ground truth was hand-edited (a correction). */
  corrected: boolean;
  /** Set explicitly by a person (images.setReview); every image starts as a draft. */
  review: ReviewState;
  importedAt: string;
  /** Image-level confidence of the newest current prediction (1 = certain); null when none is stored. */
  confidence?: number | null;
  /** Lowest per-cell confidence of that prediction; null when none is stored. */
  minCellConfidence?: number | null;
}

/** Review state of an image's ground truth: saving a mask does not change it. */
export const REVIEW_STATES = ['draft', 'reviewed'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

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
  /** Image-level confidence stored with a prediction (1 = certain); null when none. */
  confidence?: number | null;
}

export interface ProjectCounts {
  images: number;
  masksByKind: Record<MaskKind, number>;
  imagesWithMaskKind: Record<MaskKind, number>;
  byDifficulty: Record<string, number>;
  bySplit: Record<Split, number>;
  byReview: Record<ReviewState, number>;
  /** Images per tag (an image with two tags counts in both). */
  byTag: Record<string, number>;
  sequences: number;
  /** Images that are frames of a sequence, and those of them in no split ('unused', not in bySplit). */
  frames: number;
  unusedFrames: number;
}

export interface ProjectSettings {
  pixelsPerMicrometre: number;
  threshold: number;
  /** Border band for IoU_b, in pixels per 128 px of image side. */
  borderPer128: number;
  /** Model `--model default` means in this project (name@version); null = the shipped model. */
  defaultModel: string | null;
  /** Images or cells whose prediction confidence is below this go to "needs review". */
  reviewThreshold: number;
  /** Keyboard habits the editor and gallery follow (see SHORTCUT_PRESETS). */
  shortcutPreset: ShortcutPreset;
  /** Class colours of the mask overlays. */
  overlayPalette: OverlayPalette;
  /** Outline width of mask overlays in screen pixels. */
  outlineWidth: number;
  /** Opacity of the editor's mask overlay, 0..1. */
  overlayOpacity: number;
  /** Images and masks declaring more pixels than this (megapixels) are refused before decoding. */
  maxMegapixels: number;
  /** Host folder last used with this project (import, batch); the folder browser starts there. */
  lastFolder: string | null;
}

export const SHORTCUT_PRESETS = ['hemaseg', 'cellpose', 'napari'] as const;
export type ShortcutPreset = (typeof SHORTCUT_PRESETS)[number];
export const OVERLAY_PALETTES = ['default', 'high-contrast', 'colorblind'] as const;
export type OverlayPalette = (typeof OVERLAY_PALETTES)[number];

export const DEFAULT_SETTINGS: ProjectSettings = {
  pixelsPerMicrometre: 10.2,
  threshold: 0.5,
  borderPer128: 1,
  maxMegapixels: 50,
  defaultModel: null,
  reviewThreshold: 0.5,
  shortcutPreset: 'hemaseg',
  overlayPalette: 'default',
  outlineWidth: 1,
  overlayOpacity: 0.55,
  lastFolder: null,
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
