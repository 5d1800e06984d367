// A training run inside the worker process: claim the run row, load the data, build (or
// fine-tune, or restore) the network, train, and store the result as a new model version
// together with the run's final state, in one transaction.
import type { ModelConfig, ModelLineage } from '../../../shared/ml';
import { Project } from '../../project/project';
import { loadExamples } from '../data/dataset';
import { seededRng } from '../data/rng';
import { planTrainingImages } from './training-images';
import { parentComparison } from './parent-comparison';
import { validate } from './validation';
import type { JobIo } from '../worker/protocol';
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint';
import { createNetwork, loadNetwork, type SegmentationNetwork } from './network';
import { runTrainer } from './trainer';
import { isClipRun, runClipTrainJob } from './clip/clip-train-job';

const breathe = (): Promise<void> => new Promise((r) => setImmediate(r));

export async function runTrainJob(projectPath: string, runId: number, resume: boolean, io: JobIo): Promise<void> {
  // Time-lapse families train on clips of sequence frames with their own loop.
  if (isClipRun(projectPath, runId)) return runClipTrainJob(projectPath, runId, resume, io);
  const project = Project.open(projectPath);
  const runs = project.runs;
  const models = project.models;
  let net: SegmentationNetwork | null = null;
  try {
    const rec = runs.get(runId);
    if (!rec) throw new Error(`no training run ${runId} in ${projectPath}`);
    runs.claim(runId, process.pid, io.backend.backend, io.backend.detail);
    const req = rec.config.request;

    // The image set is fixed when the run first starts, so a resumed run trains on the same data.
    let data = rec.config.data;
    if (!data) {
      // Few corrections: every one trains whatever its split, a few held back (training-images.ts).
      const planned = planTrainingImages(project, req.images);
      data = { train: planned.train, val: planned.val };
      runs.setData(runId, data);
    }
    if (data.train.length === 0) {
      throw new Error(
        req.images === 'corrected'
          ? 'no training images: no image has a hand-corrected ground truth'
          : 'no training images: no image in the train split has a ground-truth mask',
      );
    }

    const parent = rec.parentModelId !== null ? models.load(rec.parentModelId) : null;
    if (rec.parentModelId !== null && !parent) throw new Error(`the parent model (id ${rec.parentModelId}) is no longer in the project`);
    if (!parent && !req.model) throw new Error(`training run ${runId} names no model family and no parent`);
    net = parent
      ? await loadNetwork(parent.modelJson, parent.weights, { learningRate: req.lr, optimizer: req.optimizer })
      : await createNetwork(req.model!, req.seed, { learningRate: req.lr, optimizer: req.optimizer });
    const task = net.config.task;

    const total = data.train.length + data.val.length;
    const needInstances = task === 'multiclass-edge';
    const train = await loadExamples(project, data.train, net.config.inputSize, needInstances, (d) => io.send({ type: 'train-loading', done: d, total }), net.config);
    const val = await loadExamples(project, data.val, net.config.inputSize, needInstances, (d) =>
      io.send({ type: 'train-loading', done: data.train.length + d, total }),
    net.config);
    if (train.examples.length === 0) throw new Error(`none of the ${data.train.length} training images could be read (${train.skipped[0]?.file}: ${train.skipped[0]?.reason})`);

    // The parent scored on the very validation images the run uses, before any step: a
    // fine-tuned version is proposed as the new default only when it beats this.
    const parentVal = parent && val.examples.length ? validate(net, val.examples, task, Math.max(1, Math.min(req.batch, val.examples.length)), req.classWeights, seededRng(req.seed ^ 0x2545f491)) : null;

    const stored = resume ? runs.checkpoint(runId) : null;
    const checkpoint = stored ? decodeCheckpoint(stored) : null;
    const batch = Math.max(1, Math.min(req.batch, train.examples.length));
    io.send({
      type: 'train-started', runId, trainImages: train.examples.length, valImages: val.examples.length,
      startEpoch: checkpoint?.state.epoch ?? 0, epochs: req.epochs, stepsPerEpoch: Math.ceil(train.examples.length / batch),
      skipped: [...train.skipped, ...val.skipped],
    });

    const result = await runTrainer(
      { net, train: train.examples, val: val.examples, request: req, task, resume: checkpoint },
      {
        onPoint: (point) => io.send({ type: 'train-point', runId, point }),
        onCheckpoint: (c) => runs.saveCheckpoint(runId, c.state.epoch, encodeCheckpoint(c), c.state.curves),
        cancelled: () => io.cancelled() || io.orphaned(),
        breathe,
      },
    );

    if (result.stoppedBy === 'cancelled') {
      if (io.orphaned()) {
        runs.finish(runId, 'interrupted', { error: 'the app that started this run went away; resume it to continue from the last checkpoint' });
      } else {
        runs.finish(runId, 'cancelled', { error: null });
      }
      io.send({ type: 'train-cancelled', runId, checkpointEpoch: result.lastCheckpointEpoch });
      return;
    }

    net.setWeights(result.weights);
    const { modelJson, weights } = await net.serialize();
    const { name: _name, ...hyperparameters } = req;
    const lineage: ModelLineage = {
      parentRef: parent?.info.ref ?? null,
      runId,
      trainImages: train.examples.map((e) => ({ imageId: e.imageId, maskVersionId: e.maskVersionId, name: e.name })),
      valImages: val.examples.map((e) => ({ imageId: e.imageId, maskVersionId: e.maskVersionId, name: e.name })),
      hyperparameters: { ...hyperparameters, model: { family: net.family, config: { ...net.config } as ModelConfig } },
      backend: io.backend.backend,
      backendDetail: io.backend.detail,
      curves: result.curves,
      bestEpoch: result.bestEpoch,
      epochsRun: result.epochsRun,
      trainingSeconds: Math.round(result.trainingSeconds),
      stoppedBy: result.stoppedBy,
    };
    const model = project.transaction(() => {
      const m = models.add({
        name: req.name,
        family: net!.family,
        task,
        config: net!.config as unknown as Record<string, unknown>,
        backend: io.backend.backend,
        parentId: parent?.info.id ?? null,
        trainImages: train.examples.length,
        metrics: { ...result.metrics, ...parentComparison(parentVal, val.examples.length) },
        lineage,
        modelJson,
        weights,
      });
      runs.finish(runId, 'done', { resultModelId: m.id, curves: result.curves });
      return m;
    });
    io.send({ type: 'train-done', runId, modelId: model.id, modelRef: model.ref, metrics: model.metrics, stoppedBy: result.stoppedBy, epochsRun: result.epochsRun });
  } catch (err) {
    runs.finish(runId, 'failed', { error: (err as Error).message });
    throw err;
  } finally {
    net?.dispose();
    project.close();
  }
}
