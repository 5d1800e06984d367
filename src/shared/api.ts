// The one API contract. Both transports (Electron IPC and the local web host) carry
// exactly these methods and events; the renderer knows nothing else.
import type {
  Backend, DifficultyClass, ImageSummary, LabelMap, MaskConvention, MaskKind, MaskVersionInfo,
  ProjectCounts, ProjectSettings, Split,
} from './domain';
import type { ModelInfo, SegmentRequest, TrainPoint, TrainRequest, TrainingRunInfo } from './ml';

export interface AppInfo {
  version: string;
  shell: 'electron' | 'web';
  backend: Backend | null;
  backendDetail: string | null;
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
  /** Kind-specific result (ImportReport, SegmentResult, ...), JSON only. */
  result: unknown;
}

export interface ImageFilter {
  difficulty?: (DifficultyClass | 0)[];
  split?: Split[];
  ids?: number[];
}

export interface DirListing {
  path: string;
  parent: string | null;
  entries: { name: string; dir: boolean; images: number }[];
}

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
  'fs.list': [{ path?: string }, DirListing];
  'images.list': [ImageFilter, ImageSummary[]];
  'images.get': [{ id: number }, ImageSummary];
  'images.pixels': [{ id: number }, { width: number; height: number; rgb: Uint8Array }];
  'images.update': [{ ids: number[]; difficulty?: DifficultyClass | null; split?: Split; tags?: string[]; addTags?: string[] }, { changed: number }];
  'masks.versions': [{ imageId: number }, MaskVersionInfo[]];
  'masks.current': [{ imageId: number; kind: MaskKind; source?: string }, MaskVersionInfo | null];
  'masks.load': [{ versionId: number }, LabelMap];
  'masks.save': [{ imageId: number; parentId: number | null; labels: Uint8Array; instances?: Uint16Array; note?: string }, MaskVersionInfo];
  'masks.restore': [{ versionId: number }, MaskVersionInfo];
  'masks.sources': [void, SourceInfo[]];
  'import.start': [{ folder: string; masksDir?: string; convention?: MaskConvention | 'auto' | 'none'; recursive?: boolean }, { jobId: string }];
  'export.masks': [{ dir: string; kind: MaskKind; source?: string; convention: MaskConvention }, { written: number; missing: number }];
  'settings.get': [void, ProjectSettings];
  'settings.set': [Partial<ProjectSettings>, ProjectSettings];
  'jobs.list': [void, JobInfo[]];
  'jobs.cancel': [{ jobId: string }, { cancelled: boolean }];
  'models.list': [void, ModelInfo[]];
  'train.start': [TrainRequest, { jobId: string }];
  'train.runs': [void, TrainingRunInfo[]];
  'train.resume': [{ runId: number }, { jobId: string }];
  'segment.start': [SegmentRequest, { jobId: string }];
  'baseline.snap': [{ imageId: number; x: number; y: number; box?: { x: number; y: number; width: number; height: number } }, LabelMap];
  'eval.run': [EvaluateRequest, { jobId: string }];
  'eval.list': [void, EvaluationInfo[]];
  'eval.get': [{ id: number }, { info: EvaluationInfo; result: unknown }];
  'report.export': [ReportRequest, { jobId: string }];
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
  /** URL of a media resource: `image/<id>`, `thumb/<id>`, `mask/<versionId>?style=gray3|overlay|outline`. */
  mediaUrl(path: string): string;
  readonly shell: 'electron' | 'web';
}

export interface ApiErrorPayload {
  message: string;
  code?: string;
}
