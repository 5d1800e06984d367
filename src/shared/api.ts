// The one API contract. Both transports (Electron IPC and the local web host) carry
// exactly these methods and events; the renderer knows nothing else.
import type {
  Backend, DifficultyClass, FrameSplit, ImageSummary, ImportReport, LabelMap, MaskConvention, MaskKind, MaskVersionInfo,
  ProjectCounts, ProjectSettings, ReviewState, SequenceInfo, Split,
} from './domain';
import type {
  ModelFamilyInfo, ModelInfo, PredictionConfidence, ProjectValidation, SegmentRequest, SegmentResult, TrainPlan, TrainPoint, TrainRequest, TrainingRunInfo,
} from './ml';
import type { EvaluationResult } from './core/metric-types';
import type { ComparisonInfo, ComparisonRun } from './core/comparison';

export interface AppInfo {
  version: string;
  shell: 'electron' | 'web';
  backend: Backend | null;
  backendDetail: string | null;
  /** Default segmentation engine ('onnxruntime-cpu' or 'tfjs') and its description. */
  inferenceEngine?: string | null;
  inferenceEngineDetail?: string | null;
}

export interface SourceInfo {
  kind: MaskKind;
  source: string;
  images: number;
}

export interface ProjectInfo {
  path: string;
  name: string;
  counts: ProjectCounts;
  settings: ProjectSettings;
  sources: SourceInfo[];
}

export type JobKind = 'import' | 'train' | 'segment' | 'evaluate' | 'report' | 'export';
export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  id: string;
  kind: JobKind;
  title: string;
  status: JobStatus;
  done: number;
  total: number;
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
  /** Project file the job works on (null: none, e.g. segmenting a folder); jobs.list shows the current project's. */
  project?: string | null;
  /** What the job left when it finished (null while running or after a failure); see JobResultByKind. */
  result: JobResult | null;
}

/** Result of an `eval.run` job: the stored evaluation (eval.get) and what was left out. */
export interface EvaluateJobResult {
  evaluationId: number | null;
  images: number;
  /** Images skipped because one of the two masks is missing. */
  missing: number;
}

/** Result of a `models.evaluate` job: each version's score on the project's validation images. */
export type ModelsEvaluateJobResult = { ref: string; validation: ProjectValidation }[];

export type ReportFormat = 'csv' | 'pdf' | 'html';

/** What writing a CNR report produced (the `report.export` job's result, `path` = `file`). */
export interface ReportResult {
  format: ReportFormat;
  file: string;
  bytes: number;
  images: number;
  cells: number;
  /** Images whose centred cell has a CNR. */
  imagesWithCnr: number;
  /** Images with an image flag or a flagged centred cell. */
  flaggedImages: number;
  /** PDF only. */
  pages?: number;
}

/** A finished training run (the `train.start` / `train.resume` job's result). */
export interface TrainResult {
  runId: number;
  modelId: number;
  modelRef: string;
  metrics: Record<string, number>;
  stoppedBy: 'epochs' | 'minutes' | 'early-stopping';
  epochsRun: number;
  backend: Backend | null;
}

/** The result each kind of job leaves in JobInfo.result. */
export interface JobResultByKind {
  import: ImportReport | AnnotationImportReport;
  train: TrainResult;
  segment: SegmentResult;
  evaluate: EvaluateJobResult | ModelsEvaluateJobResult;
  report: ReportResult & { path: string };
  export: InteropExportReport;
}
export type JobResult = JobResultByKind[JobKind];

export interface ImageFilter {
  difficulty?: (DifficultyClass | 0)[];
  split?: Split[];
  ids?: number[];
  review?: ReviewState[];
  /** Images carrying any of these tags. */
  tags?: string[];
  /** Frames of this sequence (SequenceInfo.id); null: only images that are no sequence's frame. */
  sequenceId?: number | null;
}

/** The previous frame's mask (`sequences.previousMask`). */
export interface PreviousFrameMask {
  imageId: number;
  frameIndex: number;
  version: MaskVersionInfo | null;
  mask: LabelMap | null;
}

/** Import a folder as one sequence of numbered frames (`import.start`'s `asSequence`). */
export interface SequenceImportRequest {
  /** Default: the folder's name. */
  name?: string;
  /** Seconds between frames. */
  frameInterval?: number;
  /** A per-frame split protocol, e.g. 'seed000'; default one split for the whole sequence. */
  protocol?: string;
}

export interface DirListing {
  path: string;
  parent: string | null;
  /** Image files (PNG, JPEG, TIFF, BMP) directly in this folder. */
  images: number;
  entries: { name: string; dir: boolean; images: number }[];
}

/** Formats `hemaseg export` and interop.export write (one module each in src/main/interop). */
export type InteropFormat = 'coco' | 'geojson' | 'label-tiff' | 'label-png' | 'gray3' | 'rgb';

export interface InteropFormatInfo {
  id: InteropFormat;
  label: string;
  /** 'file': one file at `out`; 'folder': files in the folder `out`. */
  writes: 'file' | 'folder';
  extension: string;
  description: string;
}

export interface InteropExportRequest {
  out: string;
  format: InteropFormat;
  /** 'ground-truth' (default), `name@version`, a bare model name, or 'active-contour'. */
  source?: string;
  images?: 'all' | Split | 'reviewed';
  ids?: number[];
  /** Overwrite an existing output. */
  force?: boolean;
}

export interface InteropExportReport {
  format: InteropFormat;
  out: string;
  /** Files written (one for COCO/GeoJSON). */
  files: string[];
  images: number;
  /** Images without a mask of the source. */
  missing: number;
  cells: number;
}

export interface AnnotationImportReport {
  file: string;
  format: 'coco' | 'geojson';
  /** Images that got a new ground-truth version. */
  imported: number;
  /** Entries (images, annotations, features) not used, each with why. */
  problems: { item: string; reason: string }[];
  imageIds: number[];
}

export interface TagImportReport {
  file: string;
  /** Rows read. */
  rows: number;
  /** Images that got a tag. */
  tagged: number;
  /** Rows naming no image of the project, or without a tag. */
  unmatched: { row: number; file: string; reason: string }[];
  tags: Record<string, number>;
}

/** Difference image styles served as `diff/<predVersionId>?truth=<versionId>&style=`. */
export type DifferenceStyle = 'classes' | 'binary' | 'multiclass';

export interface EvaluationInfo {
  id: number;
  createdAt: string;
  pred: string;
  truth: string;
  split: string | null;
  images: number;
  /** Headline means, e.g. { 'iou.cell': 0.93, 'dice.nucleus': 0.95 }. */
  headline: Record<string, number>;
}

export interface EvaluateRequest {
  pred: string;
  truth: string;
  split: Split | 'all';
  borderPx: number | null;
  threshold: number | null;
}

export interface ReportRequest {
  out: string;
  source: string;
  images: 'all' | Split;
  correctedOnly: boolean;
}

/** method name -> [request, response] */
export interface ApiContract {
  'app.info': [void, AppInfo];
  'project.current': [void, ProjectInfo | null];
  'project.open': [{ path: string; create?: boolean }, ProjectInfo];
  'project.recent': [void, string[]];
  /** A consistent copy of the open project (SQLite online backup, WAL included) to a new file; never overwrites. */
  'project.backup': [{ out: string }, { path: string; bytes: number; images: number }];
  'fs.list': [{ path?: string }, DirListing];
  'images.list': [ImageFilter, ImageSummary[]];
  'images.get': [{ id: number }, ImageSummary];
  'images.pixels': [{ id: number }, { width: number; height: number; rgb: Uint8Array }];
  'images.update': [{ ids: number[]; difficulty?: DifficultyClass | null; split?: Split; tags?: string[]; addTags?: string[] }, { changed: number }];
  'images.setReview': [{ ids: number[]; review: ReviewState }, { changed: number; counts: Record<ReviewState, number> }];
  'images.reviewCounts': [void, Record<ReviewState, number>];
  'images.tags': [void, { tag: string; images: number }[]];
  'tags.import': [{ file: string }, TagImportReport];
  'masks.versions': [{ imageId: number }, MaskVersionInfo[]];
  /** The current version of a kind; `source` is an exact source (`unet@2`, `active-contour`), as masks.sources lists them. */
  'masks.current': [{ imageId: number; kind: MaskKind; source?: string }, MaskVersionInfo | null];
  'masks.load': [{ versionId: number }, LabelMap];
  'masks.save': [{ imageId: number; parentId: number | null; labels: Uint8Array; instances?: Uint16Array; note?: string }, MaskVersionInfo];
  'masks.restore': [{ versionId: number }, MaskVersionInfo];
  'masks.sources': [void, SourceInfo[]];
  'import.start': [{ folder: string; masksDir?: string; convention?: MaskConvention | 'auto' | 'none'; recursive?: boolean; asSequence?: SequenceImportRequest }, { jobId: string }];
  'sequences.list': [void, SequenceInfo[]];
  /** A sequence and its frames in frame order (each an image with its frameIndex; 'unused' frames included and marked). */
  'sequences.frames': [{ id: number }, { sequence: SequenceInfo; frames: ImageSummary[] }];
  /** One split for every frame of a sequence (replaces a per-frame protocol). */
  'sequences.setSplit': [{ id: number; split: FrameSplit }, SequenceInfo];
  /**
   * The mask of the frame before an image's frame (gaps skipped): its current ground truth, else
   * its newest current prediction (version null: that frame has neither). Null when the image is
   * no frame or the first one. For the editor's onion skin and "copy the previous frame's mask".
   */
  'sequences.previousMask': [{ imageId: number }, PreviousFrameMask | null];
  'export.masks': [{ dir: string; kind: MaskKind; source?: string; convention: MaskConvention; force?: boolean }, { written: number; missing: number }];
  'interop.formats': [void, InteropFormatInfo[]];
  /** Job kind 'export'; its result is an InteropExportReport. */
  'interop.export': [InteropExportRequest, { jobId: string }];
  /** Job kind 'import'; its result is an AnnotationImportReport. */
  'interop.importAnnotations': [{ file: string }, { jobId: string }];
  /** Remember the folder last used with this project (fs.list with no path starts there). */
  'fs.remember': [{ path: string }, { path: string }];
  'settings.get': [void, ProjectSettings];
  'settings.set': [Partial<ProjectSettings>, ProjectSettings];
  'jobs.list': [void, JobInfo[]];
  'jobs.cancel': [{ jobId: string }, { cancelled: boolean }];
  'models.list': [void, ModelInfo[]];
  /** The registered model families with their options, tasks, input kind and parameter count (src/main/ml/families). */
  'models.families': [void, ModelFamilyInfo[]];
  /** Score model versions (default: all) on this project's validation images; job kind 'evaluate'; fills ModelInfo.projectVal. */
  'models.evaluate': [{ refs?: string[] }, { jobId: string }];
  'train.start': [TrainRequest, { jobId: string }];
  /** Which images a request would train and validate on (shown before "Fine-tune on my corrections"). */
  'train.plan': [{ images: TrainRequest['images'] }, TrainPlan];
  /** Make a version the project's default model (`--model default`); null: back to the shipped model. */
  'models.setDefault': [{ ref: string | null }, ProjectSettings];
  /** Per-cell confidence stored with a prediction mask version (null when none was stored). */
  'masks.confidence': [{ versionId: number }, PredictionConfidence | null];
  'train.runs': [void, TrainingRunInfo[]];
  'train.resume': [{ runId: number }, { jobId: string }];
  'segment.start': [SegmentRequest, { jobId: string }];
  'baseline.snap': [{ imageId: number; x: number; y: number; box?: { x: number; y: number; width: number; height: number } }, LabelMap];
  'eval.run': [EvaluateRequest, { jobId: string }];
  'eval.list': [void, EvaluationInfo[]];
  'eval.get': [{ id: number }, { info: EvaluationInfo; result: EvaluationResult }];
  'report.export': [ReportRequest, { jobId: string }];
  /** N sources on ONE image set (the split's images with the truth and every source's mask); stored (src/main/evaluation/compare). */
  'compare.run': [{ sources: string[]; truth?: string; split: Split | 'all'; borderPx?: number | null; worst?: number[]; metric?: string; label?: string | null }, ComparisonRun];
  'compare.list': [void, ComparisonInfo[]];
  'compare.get': [{ id: number }, ComparisonRun];
}

export type ApiMethod = keyof ApiContract;
export type ApiRequest<M extends ApiMethod> = ApiContract[M][0];
export type ApiResponse<M extends ApiMethod> = ApiContract[M][1];

export type ApiEvent =
  | { type: 'job'; job: JobInfo }
  | { type: 'train-point'; jobId: string; point: TrainPoint }
  | { type: 'images-changed'; ids: number[] | 'all' }
  | { type: 'project-changed'; path: string | null };

/** What every transport gives the renderer. */
export interface ApiClient {
  call<M extends ApiMethod>(method: M, ...args: ApiRequest<M> extends void ? [] : [ApiRequest<M>]): Promise<ApiResponse<M>>;
  onEvent(listener: (e: ApiEvent) => void): () => void;
  /**
   * URL of a media resource: `image/<id>`, `thumb/<id>`, `mask/<versionId>?style=gray3|overlay|outline`,
   * `diff/<predVersionId>?truth=<versionId>&style=classes|binary|multiclass` (colours in shared/difference.ts).
   */
  mediaUrl(path: string): string;
  readonly shell: 'electron' | 'web';
}

export interface ApiErrorPayload {
  message: string;
  code?: string;
}
