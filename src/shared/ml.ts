// Types of the engine, shared by the worker, the services, the CLI and the UI.
import type { Backend, ModelTask, Split } from './domain';

export interface UnetConfig {
  task: ModelTask;
  inputSize: number;
  depth: number;
  baseFilters: number;
  dropout: number;
}

export const DEFAULT_UNET: UnetConfig = { task: 'multiclass-edge', inputSize: 128, depth: 3, baseFilters: 16, dropout: 0.5 };

export interface Augmentation {
  flips: boolean;
  rotate90: boolean;
  shift: number; // fraction of the side, 0 = off
  zoom: number; // fraction, 0 = off
  shear: number; // radians, 0 = off
}

export interface TrainRequest {
  name: string;
  unet: UnetConfig;
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
  /** Train on every image with ground truth in the train split, or only the hand-corrected ones. */
  images: 'all' | 'corrected';
  seed: number;
}

export interface TrainPoint {
  /** 'step' after each optimisation step, 'epoch' after each epoch's validation. Absent in old rows. */
  kind?: 'step' | 'epoch';
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
}

export interface ModelInfo {
  id: number;
  name: string;
  version: number;
  ref: string; // name@version
  task: ModelTask;
  config: UnetConfig;
  backend: Backend | null;
  trainImages: number;
  metrics: Record<string, number>;
  createdAt: string;
  parentRef: string | null;
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
  | { kind: 'folder'; folder: string; out: string; convention: 'gray3' | 'rgb' | 'binary' };

export interface SegmentRequest {
  /** `name@version`, a bare name (newest), `default`, or `active-contour`. */
  model: string;
  target: SegmentTarget;
  threshold: number;
}

export interface SegmentResult {
  model: string;
  backend: Backend | null;
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
export const DEFAULT_TRAIN: Omit<TrainRequest, 'name' | 'unet'> = {
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
