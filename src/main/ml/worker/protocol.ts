// Messages between the main side and the ML worker process. One worker runs one job
// (a training run or a segmentation batch) and exits, so a crash or a kill costs only that
// job. Messages are plain structured-clone data (typed arrays allowed), so the same
// protocol works over Node's child_process IPC ('advanced' serialization) and Electron's
// utilityProcess.
import type { Backend, ImportReport, MaskConvention, MaskKind } from '../../../shared/domain';
import type { SegmentRequest, SegmentResult, TrainPoint } from '../../../shared/ml';

export type ToWorker =
  | {
      type: 'train';
      /** Absolute path of the project file; the worker opens its own connection. */
      project: string;
      runId: number;
      resume: boolean;
    }
  | {
      type: 'segment';
      /** Absolute project path, or null for a plain folder target. */
      project: string | null;
      request: SegmentRequest;
      author: string;
    }
  | {
      /** A folder import (no TensorFlow): run here so a decoding bomb costs this process, not the host's. */
      type: 'import';
      project: string;
      folder: string;
      options: ImportJobOptions;
    }
  | { type: 'cancel' };

/** What an import job needs besides the project and the folder (plain data). */
export interface ImportJobOptions {
  masksDir: string | null;
  maskConvention: MaskConvention | 'auto' | 'none';
  recursive: boolean;
  maxMegapixels?: number;
  author?: string;
  /** Import the folder as one sequence of numbered frames. */
  asSequence?: { name?: string; frameInterval?: number; protocol?: string } | null;
}

export type FromWorker =
  | { type: 'ready'; pid: number; backend: Backend; backendDetail: string }
  | { type: 'log'; message: string }
  | { type: 'train-loading'; done: number; total: number }
  | { type: 'train-started'; runId: number; trainImages: number; valImages: number; startEpoch: number; epochs: number; stepsPerEpoch: number; skipped: { file: string; reason: string }[] }
  | { type: 'train-point'; runId: number; point: TrainPoint }
  | { type: 'train-done'; runId: number; modelId: number; modelRef: string; metrics: Record<string, number>; stoppedBy: 'epochs' | 'minutes' | 'early-stopping'; epochsRun: number }
  | { type: 'train-cancelled'; runId: number; checkpointEpoch: number | null }
  | { type: 'segment-progress'; done: number; total: number; file: string; imagesPerSecond: number; error: string | null }
  | { type: 'segment-done'; result: SegmentJobResult }
  | { type: 'import-progress'; done: number; total: number; file: string }
  | { type: 'import-done'; report: ImportReport }
  | { type: 'error'; message: string };

/** What a segmentation batch reports: the API's SegmentResult plus what the caller needs to follow up. */
export type SegmentJobResult = SegmentResult & {
  modelRef: string;
  /** Kind of the stored masks: 'prediction' for networks, 'baseline' for classical segmenters. */
  kind: MaskKind;
  /** The registry row of the model (null for a folder target or a classical segmenter). */
  modelId: number | null;
  /** Project images that received a new mask version. */
  imageIds: number[];
  cancelled: boolean;
};

/** What a job running in the worker gets from the worker's entry. */
export interface JobIo {
  send(msg: FromWorker): void;
  /** Cancel requested by the parent. */
  cancelled(): boolean;
  /** The parent went away (its process died): stop and leave a training run resumable. */
  orphaned(): boolean;
  backend: { backend: Backend; detail: string };
}

/** Exit code the worker uses after a handled failure (it already sent an 'error'). */
export const WORKER_FAILED_EXIT = 3;
