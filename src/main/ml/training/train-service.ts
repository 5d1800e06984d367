// Main-side training: validate the request against the project, create the run row, and
// drive a worker process through it. The API (jobs) and the CLI both call this; neither
// ever loads TensorFlow. A worker that dies leaves the run 'interrupted' and resumable.
import type { TrainResult } from '../../../shared/api';
import type { Backend, ModelTask } from '../../../shared/domain';
import { DEFAULT_EDGE_CLASS_WEIGHTS, OPTIMIZERS, STOP_RULES, type ModelConfig, type TrainPoint, type TrainRequest } from '../../../shared/ml';
import type { Project } from '../../project/project';
import { JobCancelledError } from '../../jobs/job-manager';
import { planTrainingImages } from './training-images';
import { checkModelName } from '../registry/models-repo';
import { DEFAULT_MODEL_NAME, resolveModelRef } from '../registry/default-model';
import { driveWorker } from '../worker/drive';
import type { WorkerLauncher } from '../worker/launcher';
import type { FromWorker } from '../worker/protocol';
import { familyOf, resolveModelSpec } from '../families/registry';
import { checkClipTraining } from './clip/clip-request';
import { checkAugmentation } from '../data/augment';

/** A finished run: the contract's TrainResult (what the train job leaves in JobInfo.result). */
export type TrainOutcome = TrainResult;

export interface TrainCallbacks {
  signal?: AbortSignal;
  launcher?: WorkerLauncher;
  /** The run row exists (before the worker starts). */
  onRun?(runId: number): void;
  onReady?(backend: Backend, detail: string): void;
  onLoading?(done: number, total: number): void;
  onStarted?(info: Extract<FromWorker, { type: 'train-started' }>): void;
  onPoint?(point: TrainPoint): void;
}

/** A run that ended without a model, with the run's id so callers can point at --resume. */
export class TrainingError extends Error {
  constructor(
    message: string,
    readonly runId: number,
    readonly status: 'failed' | 'interrupted',
  ) {
    super(message);
    this.name = 'TrainingError';
  }
}

/**
 * Check a request and fill what the project decides: with `from`, the architecture is the
 * parent's (fine-tuning keeps the network), and the parent's id is returned.
 */
export function prepareTrainRequest(project: Project, req: TrainRequest): { request: TrainRequest; parentModelId: number | null } {
  checkModelName(req.name);
  if (req.name === DEFAULT_MODEL_NAME) throw new Error(`'${DEFAULT_MODEL_NAME}' names the shipped default model; give the new model another name`);
  if (!(req.epochs >= 1)) throw new Error(`epochs must be at least 1, got ${req.epochs}`);
  if (!(req.batch >= 1)) throw new Error(`batch must be at least 1, got ${req.batch}`);
  if (!(req.lr > 0 && req.lr < 1)) throw new Error(`learning rate must be in (0, 1), got ${req.lr}`);
  if (req.minutes !== null && !(req.minutes > 0)) throw new Error(`minutes must be positive, got ${req.minutes}`);
  let request = req;
  let parentModelId: number | null = null;
  if (req.from) {
    // `--from default` fine-tunes the shipped model (imported into the registry on first use).
    const parent = resolveModelRef(project, req.from);
    parentModelId = parent.id;
    request = { ...req, from: parent.ref, model: { family: parent.family, config: { ...parent.config } } };
  } else {
    // The family checks the spec: unknown family, variant or option, or a config that
    // cannot build, fail here with its options named, before any run or worker exists.
    const { family, config } = resolveModelSpec(req.model);
    request = { ...req, model: { family: family.id, config: config as unknown as ModelConfig } };
  }
  checkAugmentation(request.augmentation);
  if (request.optimizer !== undefined && !OPTIMIZERS.includes(request.optimizer)) throw new Error(`unknown optimizer '${String(request.optimizer)}' (optimizers: ${OPTIMIZERS.join(', ')})`);
  if (request.stopRule !== undefined && !STOP_RULES.includes(request.stopRule)) throw new Error(`unknown stop rule '${String(request.stopRule)}' (rules: ${STOP_RULES.join(', ')})`);
  if (request.validateEvery != null && !(Number.isInteger(request.validateEvery) && request.validateEvery >= 1)) throw new Error(`validate every: a whole number of steps from 1 (or none: after every epoch), got ${String(request.validateEvery)}`);
  const task = requestTask(request);
  if (task === 'multiclass-edge' && !request.classWeights) request = { ...request, classWeights: [...DEFAULT_EDGE_CLASS_WEIGHTS] };
  const classes = task === 'binary' ? 2 : task === 'multiclass' ? 3 : 4;
  if (request.classWeights && request.classWeights.length !== classes) {
    throw new Error(`class weights: task ${task} has ${classes} classes, got ${request.classWeights.length} weights`);
  }
  // A clip family (time-lapse) trains on clips of sequence frames ending at labelled train frames (clip/clip-sampler.ts).
  if (request.model && familyOf(request.model.family).inputKind === 'clip') {
    checkClipTraining(project, request);
    return { request, parentModelId };
  }
  if (planTrainingImages(project, request.images).train.length === 0) {
    throw new Error(
      request.images === 'corrected'
        ? `${project.path}: no image has a hand-corrected ground truth (correct a few masks in the editor first)`
        : request.images === 'reviewed'
          ? `${project.path}: no image in the train split is marked reviewed with a ground-truth mask (mark images reviewed first)`
          : `${project.path}: no image in the train split has a ground-truth mask (import masks or draw some first)`,
    );
  }
  return { request, parentModelId };
}

/** The task of a prepared request (its spec is resolved). */
function requestTask(req: TrainRequest): ModelTask {
  return req.model?.config.task as ModelTask;
}

/** Start a new training run and wait for it. */
export async function startTraining(project: Project, req: TrainRequest, cb: TrainCallbacks = {}): Promise<TrainOutcome> {
  const { request, parentModelId } = prepareTrainRequest(project, req);
  const runId = project.runs.create(request, parentModelId);
  cb.onRun?.(runId);
  return drive(project, runId, false, cb);
}

/** Continue an interrupted (or cancelled) run from its last checkpoint. */
export async function resumeTraining(project: Project, runId: number, cb: TrainCallbacks = {}): Promise<TrainOutcome> {
  project.runs.reopen(runId);
  cb.onRun?.(runId);
  return drive(project, runId, true, cb);
}

async function drive(project: Project, runId: number, resume: boolean, cb: TrainCallbacks): Promise<TrainOutcome> {
  const runs = project.runs;
  let backend: Backend | null = null;
  const end = await driveWorker<TrainOutcome>(
    { type: 'train', project: project.path, runId, resume },
    (msg) => {
      if (msg.type === 'train-done') {
        return { value: { runId, modelId: msg.modelId, modelRef: msg.modelRef, metrics: msg.metrics, stoppedBy: msg.stoppedBy, epochsRun: msg.epochsRun, backend } };
      }
      return msg.type === 'train-cancelled' ? 'cancelled' : null;
    },
    {
      signal: cb.signal,
      launcher: cb.launcher,
      onReady: (b, detail) => {
        backend = b;
        cb.onReady?.(b, detail);
      },
      onMessage: (msg) => {
        if (msg.type === 'train-loading') cb.onLoading?.(msg.done, msg.total);
        else if (msg.type === 'train-started') cb.onStarted?.(msg);
        else if (msg.type === 'train-point') cb.onPoint?.(msg.point);
      },
    },
  );
  switch (end.kind) {
    case 'result':
      return { ...end.value, backend };
    case 'cancelled':
      runs.finish(runId, 'cancelled');
      throw new JobCancelledError();
    case 'failed':
      runs.finish(runId, 'failed', { error: end.message });
      throw new TrainingError(`training run ${runId} failed: ${end.message}`, runId, 'failed');
    case 'crashed': {
      const epoch = runs.get(runId)?.info.checkpointEpoch ?? null;
      const msg = `${end.message}. Training run ${runId} is interrupted${epoch ? ` (last checkpoint: epoch ${epoch})` : ' (no checkpoint yet)'}; resume it with \`hemaseg train ${project.path} --resume ${runId}\``;
      runs.finish(runId, 'interrupted', { error: msg });
      throw new TrainingError(msg, runId, 'interrupted');
    }
  }
}
