// Types of the engine, shared by the worker, the services, the CLI and the UI.
import type { Backend, MaskConvention, ModelTask, Split } from './domain';

/** A value of a model family's config: numbers and choices only, so it travels as JSON. */
export type ModelConfigValue = number | string | boolean;
export type ModelConfig = Record<string, ModelConfigValue>;

/**
 * Which network to build: a registered family (src/main/ml/families) and its config. The
 * family validates the config and fills what is missing from its defaults; `variant` names
 * one of the family's presets (its config under the fields given here).
 */
export interface ModelSpec {
  family: string;
  config: ModelConfig;
  variant?: string;
}

/** The family a request without one builds (every model before families existed is one). */
export const DEFAULT_FAMILY = 'unet';

/** What a family's network reads: single images, or short clips of frames (time-lapse families). */
export type ModelInputKind = 'image' | 'clip';

/** One option of a family's config, described for the train form and the CLI. */
export interface FamilyOptionInfo {
  /** Field in the config, e.g. 'inputSize'. */
  key: string;
  /** Command-line flag without dashes, e.g. 'size' for --size. */
  flag: string;
  label: string;
  help: string;
  type: 'int' | 'float' | 'choice';
  /** Value for a new model; null: unset (the family's behaviour without it). */
  default: number | string | null;
  min?: number;
  max?: number;
  step?: number;
  choices?: string[];
  /** Values the train form offers as a list (ints only). */
  suggestions?: number[];
}

export interface FamilyVariantInfo {
  name: string;
  label: string;
  /** The full config of the variant (the family's defaults under its preset). */
  config: ModelConfig;
  paramCount: number;
}

/** A registered model family (`families.list`, `hemaseg families`). */
export interface ModelFamilyInfo {
  id: string;
  label: string;
  summary: string;
  inputKind: ModelInputKind;
  tasks: ModelTask[];
  options: FamilyOptionInfo[];
  /** The config a new model gets when no option is given. */
  defaults: ModelConfig;
  /** Trainable parameters at the defaults. */
  paramCount: number;
  variants: FamilyVariantInfo[];
  /** Whether its models can be exported to ONNX (and so run on ONNX Runtime and Triton). */
  onnx: boolean;
}

export interface Augmentation {
  flips: boolean;
  rotate90: boolean;
  shift: number; // fraction of the side, 0 = off
  zoom: number; // fraction, 0 = off
  shear: number; // radians, 0 = off
  // Scale and stain/colour augmentation (src/main/ml/data/augment-*.ts). Optional so
  // requests stored before they existed still train exactly as then: absent = off.
  /** Log-uniform zoom of the whole field, e.g. [0.45, 1.4]: below 1 zooms out (cells smaller, padding around). */
  scaleRange?: [number, number] | null;
  /** What fills the field when zooming out: mirrored image, or an estimate of the background. */
  scalePad?: 'reflect' | 'background';
  /** Stain-vector jitter in optical-density (HED) space: each stain's amount scaled by 1 ± this. */
  stain?: number;
  /** Hue rotation, in turns (0.05 = ±18°). */
  hue?: number;
  /** Saturation scaled by 1 ± this. */
  saturation?: number;
  /** Brightness offset ± this (on [0, 1]). */
  brightness?: number;
  /** Contrast scaled by 1 ± this. */
  contrast?: number;
  /** Gamma exp(± this). */
  gamma?: number;
  /** Per-channel white-balance gain 1 ± this. */
  whiteBalance?: number;
  /** Gaussian blur with sigma up to this (pixels), on half of the samples. */
  blur?: number;
  /** Gaussian noise with sigma up to this (on [0, 1]). */
  noise?: number;
}

export interface TrainRequest {
  name: string;
  /**
   * The network to build. Null: with `from`, the parent's (fine-tuning keeps the network);
   * without, the default family at its defaults.
   */
  model: ModelSpec | null;
  epochs: number;
  minutes: number | null;
  batch: number;
  lr: number;
  patience: number | null;
  clipNorm: number | null;
  classWeights: number[] | null;
  augmentation: Augmentation;
  /** Fine-tune from `name@version` (or a bare name: its newest version). */
  from: string | null;
  /**
   * Train on every image with ground truth in the train split, only the hand-corrected ones,
   * or only those marked reviewed (images.setReview).
   */
  images: 'all' | 'corrected' | 'reviewed';
  seed: number;
  /** The optimiser (seeds.md B/C use Adam; RMSProp and SGD for comparison). Absent: Adam, as every run before it existed. */
  optimizer?: OptimizerName;
  /**
   * Validate every this many optimisation steps (seed 000: 40) instead of once per epoch;
   * `patience` then counts validations. Absent or null: after every epoch, as before.
   */
  validateEvery?: number | null;
  /**
   * When `patience` validations end the run (src/main/ml/training/early-stopping.ts):
   * 'no-improvement' (without a new best; absent = this, as before) or 'consecutive-increases'
   * (each validation cost above the previous one; seed 000 stops after 100).
   */
  stopRule?: StopRule;
}

export type OptimizerName = 'adam' | 'rmsprop' | 'sgd';
export const OPTIMIZERS: readonly OptimizerName[] = ['adam', 'rmsprop', 'sgd'];
export type StopRule = 'no-improvement' | 'consecutive-increases';
export const STOP_RULES: readonly StopRule[] = ['no-improvement', 'consecutive-increases'];

export interface TrainPoint {
  /**
   * 'step' after each optimisation step, 'epoch' at the end of each epoch (with its validation,
   * unless the run validates every K steps), 'validation' after a validation every K steps
   * (`step` says when; `loss` is the mean training loss since the previous one). Absent in old rows.
   */
  kind?: 'step' | 'epoch' | 'validation';
  epoch: number;
  step: number;
  /** Steps per epoch, for progress displays. */
  stepsPerEpoch?: number;
  /** Epochs planned (the time budget or early stopping may end the run sooner). */
  epochs?: number;
  loss: number;
  valLoss: number | null;
  valDice: Record<string, number> | null;
  imagesPerSecond: number;
  etaSeconds: number | null;
  /** Epochs completed so far (a step point's `epoch` is the epoch in progress). */
  epochsDone?: number;
  /**
   * Epochs the run is expected to complete: null until the first epoch has ended (nothing is
   * claimed before), then the planned epochs capped by what the time budget allows.
   */
  epochsExpected?: number | null;
  /** Seconds of training so far (including earlier sessions of a resumed run). */
  elapsedSeconds?: number;
  /** The time budget in seconds, null without one. */
  budgetSeconds?: number | null;
  /** Overall progress 0..1: by time when a budget ends the run first, else by steps; 1 when finished. */
  fraction?: number;
  /** True on the run's last point (the bar shows 100 %). */
  final?: boolean;
}

export interface ModelInfo {
  id: number;
  name: string;
  version: number;
  ref: string; // name@version
  task: ModelTask;
  /** The model family (migration 7; every model stored before it is a 'unet'). */
  family: string;
  /** The family's full config as stored with the version. */
  config: ModelConfig;
  /** Short description of the architecture, e.g. '128px d3 f16' (the family's). */
  arch: string;
  /** Trainable parameters; null when the family is not known to this HemaSeg. */
  paramCount: number | null;
  backend: Backend | null;
  /** Seconds the training run took (from the lineage); null for imported versions or when not recorded. */
  trainingSeconds?: number | null;
  trainImages: number;
  metrics: Record<string, number>;
  createdAt: string;
  parentRef: string | null;
  /**
   * This version scored on this project's validation images against their current ground
   * truth (cached evaluation), so every version is compared on the same data. Null when not
   * computed yet or when the ground truth changed since (models.evaluate recomputes).
   */
  projectVal?: ProjectValidation | null;
}

export interface ProjectValidation {
  evaluationId: number;
  images: number;
  /** Headline means, e.g. { 'iou.cell': 0.93, 'dice.nucleus': 0.95 }. */
  metrics: Record<string, number>;
  createdAt: string;
}

export interface TrainingRunInfo {
  id: number;
  modelName: string;
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
  backend: Backend | null;
  startedAt: string;
  finishedAt: string | null;
  curves: TrainPoint[];
  resultRef: string | null;
  checkpointEpoch: number | null;
  error: string | null;
}

export type SegmentTarget =
  | { kind: 'project'; images: 'all' | Split | 'unlabeled'; imageIds?: number[] }
  | { kind: 'folder'; folder: string; out: string; convention: MaskConvention };

export interface SegmentRequest {
  /** `name@version`, a bare name (newest), `default`, or `active-contour`. */
  model: string;
  target: SegmentTarget;
  threshold: number;
  /** Test-time augmentation and post-processing (networks only); absent = none of them. */
  options?: SegmentOptions;
  /** Engine computing the probabilities (networks only); absent = 'auto' (ONNX Runtime when it loads, else TensorFlow.js). */
  engine?: InferenceEngineChoice;
  /** engine 'triton': the KServe v2 server and the model it serves (`model` then names that served model). */
  server?: ServingTarget;
}

export const INFERENCE_ENGINES = ['auto', 'onnx', 'tfjs', 'triton'] as const;
export type InferenceEngineChoice = (typeof INFERENCE_ENGINES)[number];

export interface ServingTarget {
  /** Base URL, e.g. http://host:8000 */
  url: string;
  /** Model name on the server. */
  model: string;
  version?: string | null;
  timeoutMs?: number | null;
  retries?: number | null;
}

/** Inference options of a network prediction (src/main/ml/inference/predictor.ts). */
export interface SegmentOptions {
  /** Test-time augmentation: average the probabilities over flips ('flip', 4) or flips and 90° rotations ('d4', 8). */
  tta?: 'none' | 'flip' | 'd4';
  /**
   * Two passes: estimate the central cell's diameter, resample so it has the training scale,
   * segment again. Absent: on for models that record their training cell diameter, else off.
   */
  scaleNorm?: boolean;
  /** Fill background holes enclosed by a cell. */
  fillHoles?: boolean;
  /** Nucleus specks far smaller than their cell's main nucleus become cytoplasm; nucleus-only specks are dropped. */
  nucleusInCell?: boolean;
  /** Drop cells smaller than this fraction of the image area (0 = keep all). */
  minCellArea?: number;
  /** Keep only the cell nearest the image centre. */
  centralCell?: boolean;
}

export interface SegmentResult {
  model: string;
  backend: Backend | null;
  /** Engine that computed the probabilities, as stored with the masks ('onnxruntime-cpu', 'triton', 'wasm'...); null for classical segmenters. */
  engine?: string | null;
  segmented: number;
  failed: { file: string; reason: string }[];
  imagesPerSecond: number;
}

/** What a model version records about how it came to be (models.lineage). */
export interface ModelLineage {
  parentRef: string | null;
  runId: number | null;
  /** Training images and the ground-truth mask versions they were trained on. */
  trainImages: { imageId: number; maskVersionId: number; name: string }[];
  valImages: { imageId: number; maskVersionId: number; name: string }[];
  hyperparameters: Omit<TrainRequest, 'name'> | null;
  backend: Backend | null;
  backendDetail: string | null;
  curves: TrainPoint[];
  bestEpoch: number | null;
  epochsRun: number | null;
  trainingSeconds: number | null;
  stoppedBy: 'epochs' | 'minutes' | 'early-stopping' | null;
  /** Set when the version came from `import-model`: where it came from. */
  importedFrom?: { dir: string; originalRef: string | null; importedAt: string };
}

/**
 * Class weights a multiclass-edge run uses unless told otherwise: the edge is a 1-px contour
 * (about 1% of the pixels) and, unweighted, a network learns never to predict it.
 */
export const DEFAULT_EDGE_CLASS_WEIGHTS = [1, 1, 1, 10];

/** Defaults for a training request: the CLI and the UI fill unset fields from here. */
export const DEFAULT_TRAIN: Omit<TrainRequest, 'name' | 'model'> = {
  epochs: 50,
  minutes: null,
  batch: 8,
  lr: 1e-4,
  patience: 10,
  clipNorm: null,
  classWeights: null,
  augmentation: { flips: true, rotate90: true, shift: 0.05, zoom: 0.05, shear: 0 },
  from: null,
  images: 'all',
  seed: 1,
};

/**
 * How sure a prediction is, stored with the prediction's mask version: 1 = certain. `image`
 * summarises the image (used to sort and to fill the "needs review" bucket); `cells` gives
 * one value per predicted cell instance (the id in the mask's instance map).
 */
export interface PredictionConfidence {
  /** How the number was computed, e.g. 'entropy', 'tta-agreement'. */
  method: string;
  image: number;
  cells: { instance: number; confidence: number }[];
  /** The ingredients of `image`, e.g. { entropy: 0.93, ttaAgreement: 0.97 }. */
  parts?: Record<string, number>;
}

/**
 * Fine-tuning on a handful of corrections (10-50 images): the defaults the UI's "Fine-tune on
 * my corrections" and `hemaseg experiment loop` use. Measured on wbc-dataset1 (README, "The
 * correction loop"): a larger learning rate than training from scratch and a short time budget.
 */
export const DEFAULT_FINETUNE: Pick<TrainRequest, 'epochs' | 'minutes' | 'batch' | 'lr' | 'patience' | 'augmentation' | 'images'> = {
  epochs: 100_000,
  minutes: 5,
  batch: 8,
  lr: 1e-3,
  patience: null,
  augmentation: { flips: true, rotate90: true, shift: 0.05, zoom: 0.1, shear: 0 },
  images: 'corrected',
};

/** Which images a training request would use, before it starts (train.plan). */
export interface TrainPlan {
  /** Images the network trains on. */
  train: number;
  /** Corrected images held back for early stopping and for the parent comparison. */
  heldBack: number;
  /** Validation images in all (held back, or the val split). */
  val: number;
  /** 'corrections': few corrections, every one trains whatever its split; 'split': the train/val split. */
  mode: 'corrections' | 'split';
}
