// Main-side batch segmentation: check the request quickly here (clear errors without
// starting a process), then run the batch in a worker and relay its progress.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Backend } from '../../../shared/domain';
import type { SegmentRequest } from '../../../shared/ml';
import type { Project } from '../../project/project';
import { JobCancelledError } from '../../jobs/job-manager';
import { DEFAULT_MODEL_NAME } from '../registry/default-model';
import { parseModelRef, RESERVED_MODEL_NAMES } from '../registry/models-repo';
import { driveWorker } from '../worker/drive';
import type { WorkerLauncher } from '../worker/launcher';
import type { SegmentJobResult } from '../worker/protocol';
import { findSegmenter } from './segmenters';
import { checkClipSegment } from './clip-segment-check';

export interface SegmentCallbacks {
  signal?: AbortSignal;
  launcher?: WorkerLauncher;
  author: string;
  onReady?(backend: Backend, detail: string): void;
  onProgress?(p: { done: number; total: number; file: string; imagesPerSecond: number; error: string | null }): void;
  /** Notes from the job, e.g. why the automatic engine choice fell back to TensorFlow.js. */
  onLog?(message: string): void;
}

export function checkSegmentRequest(project: Project | null, req: SegmentRequest): void {
  if (!(req.threshold > 0 && req.threshold < 1)) throw new Error(`threshold must be between 0 and 1, got ${req.threshold}`);
  if (RESERVED_MODEL_NAMES.has(req.model) && !findSegmenter(req.model)) throw new Error(`the '${req.model}' segmenter is not available in this build`);
  checkClipSegment(project, req);
  if (req.target.kind === 'folder') {
    const { folder, out } = req.target;
    if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new Error(`${folder}: no such folder`);
    if (resolve(out) === resolve(folder)) throw new Error(`${out}: the output folder must differ from the image folder (masks would overwrite images)`);
    return;
  }
  if (!project) throw new Error('segmenting project images needs an open project');
  // `default` is imported by the worker on first use; anything else must be in the registry.
  // A Triton job names a served model (checked against the server by the worker), not necessarily a registry one.
  if (req.engine === 'triton') {
    if (!req.server?.url) throw new Error('--engine triton needs --url http://HOST:8000');
    return;
  }
  const isPath = (/[\\/]/.test(req.model) || /\.onnx$/i.test(req.model)) && existsSync(req.model);
  if (!isPath && !findSegmenter(req.model) && parseModelRef(req.model).name !== DEFAULT_MODEL_NAME) project.models.resolve(req.model);
}

export async function runSegmentation(project: Project | null, req: SegmentRequest, cb: SegmentCallbacks): Promise<SegmentJobResult> {
  checkSegmentRequest(project, req);
  const end = await driveWorker<SegmentJobResult>(
    { type: 'segment', project: project?.path ?? null, request: req, author: cb.author },
    (msg) => (msg.type === 'segment-done' ? { value: msg.result } : null),
    {
      signal: cb.signal,
      launcher: cb.launcher,
      onReady: (b, d) => cb.onReady?.(b, d),
      onMessage: (msg) => {
        if (msg.type === 'segment-progress') cb.onProgress?.(msg);
        else if (msg.type === 'log') cb.onLog?.(msg.message);
      },
    },
  );
  switch (end.kind) {
    case 'result':
      if (end.value.cancelled) throw new JobCancelledError();
      return end.value;
    case 'cancelled':
      throw new JobCancelledError();
    case 'failed':
      throw new Error(`segmentation failed: ${end.message}`);
    case 'crashed':
      throw new Error(`segmentation stopped: ${end.message} (masks written before the crash are kept)`);
  }
}
