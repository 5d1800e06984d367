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
  epoch: number;
  step: number;
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
