// A training run of a clip family inside the worker (the counterpart of ../train-job.ts for
// time-lapse networks): claim the run, plan the clips over the project's sequences (targets
// in train/val/test, unused frames only as context), load them, train with the clip loop,
// measure the report's test metrics with the kept weights, and store the model and the run's
// end in one transaction.
import type { ModelConfig, ModelLineage } from '../../../../shared/ml';
import type { ModelTask } from '../../../../shared/domain';
import { Project } from '../../../project/project';
import { familyOf } from '../../families/registry';
import { encodeCheckpoint, decodeCheckpoint } from '../checkpoint';
import type { JobIo } from '../../worker/protocol';
import type { ClipNetwork } from './clip-seam';
import { FrameCache, loadClips } from './clip-data';
import { planClips, type ClipTarget } from './clip-sampler';
import { clipFramesOfConfig } from './clip-request';
import { clipTestMetrics, REPORT_THRESHOLD, runClipTrainer } from './clip-trainer';

const breathe = (): Promise<void> => new Promise((r) => setImmediate(r));


/** True when the run trains a clip family (its own spec, or its parent's when fine-tuning). */
export function isClipRun(projectPath: string, runId: number): boolean {
  const project = Project.open(projectPath);
  try {
    const rec = project.runs.get(runId);
    if (!rec) return false;
    const id = rec.parentModelId !== null ? project.models.get(rec.parentModelId)?.family : rec.config.request.model?.family;
    return id !== undefined && familyOf(id).inputKind === 'clip';
  } finally {
    project.close();
  }
}

export async function runClipTrainJob(projectPath: string, runId: number, resume: boolean, io: JobIo): Promise<void> {
  const project = Project.open(projectPath);
  const runs = project.runs;
  let net: ClipNetwork | null = null;
  try {
    const rec = runs.get(runId);
    if (!rec) throw new Error(`no training run ${runId} in ${projectPath}`);
    runs.claim(runId, process.pid, io.backend.backend, io.backend.detail);
    const req = rec.config.request;
    const parent = rec.parentModelId !== null ? project.models.load(rec.parentModelId) : null;
    if (rec.parentModelId !== null && !parent) throw new Error(`the parent model (id ${rec.parentModelId}) is no longer in the project`);
    const familyId = parent ? parent.info.family : req.model?.family;
    if (!familyId) throw new Error(`training run ${runId} names no model family and no parent`);
    const family = familyOf(familyId);
    if (!family.clipTraining) throw new Error(`the ${family.id} family has no clip training`);
    const clipTraining = await family.clipTraining();
    const opts = { learningRate: req.lr, optimizer: req.optimizer };
    net = parent
      ? await clipTraining.load(parent.modelJson, parent.weights, opts)
      : clipTraining.create(family.resolve(req.model!.config as unknown as Record<string, unknown>, 'stored'), req.seed, opts);
    const task = net.config.task as ModelTask;
    const clipFrames = clipFramesOfConfig(net.config);

    const plan = planClips(project, clipFrames);
    // The targets are fixed when the run first starts, so a resumed run trains on the same frames.
    let data = rec.config.data;
    const asRunImage = (t: ClipTarget): { imageId: number; maskVersionId: number; name: string } => ({ imageId: t.imageId, maskVersionId: t.maskVersionId, name: `${t.sequenceName}#${t.frameIndex}` });
    if (!data) {
      data = { train: plan.train.map(asRunImage), val: plan.val.map(asRunImage) };
      runs.setData(runId, data);
    }
    const keep = (targets: ClipTarget[], items: { imageId: number }[]): ClipTarget[] => {
      const ids = new Set(items.map((i) => i.imageId));
      return targets.filter((t) => ids.has(t.imageId));
    };
    const trainTargets = keep(plan.train, data.train);
    const valTargets = keep(plan.val, data.val);
    if (trainTargets.length === 0) throw new Error('no training clips: no frame in the train split of a sequence has a ground-truth mask');

    const cache = new FrameCache(project, net.config.inChannels);
    const total = trainTargets.length + valTargets.length + plan.test.length;
    let loaded = 0;
    const progress = (): void => io.send({ type: 'train-loading', done: ++loaded, total });
    const load = { task, sizeMultiple: net.sizeMultiple, cache };
    const train = await loadClips(project, trainTargets, load, progress);
    const val = await loadClips(project, valTargets, load, progress);
    const test = await loadClips(project, plan.test, load, progress);
    if (train.clips.length === 0) throw new Error(`none of the ${trainTargets.length} training clips could be read (${train.skipped[0]?.file}: ${train.skipped[0]?.reason})`);

    const stored = resume ? runs.checkpoint(runId) : null;
    const checkpoint = stored ? decodeCheckpoint(stored) : null;
    const batch = Math.max(1, Math.min(req.batch, train.clips.length));
    io.send({
      type: 'train-started', runId, trainImages: train.clips.length, valImages: val.clips.length,
      startEpoch: checkpoint?.state.epoch ?? 0, epochs: req.epochs, stepsPerEpoch: Math.ceil(train.clips.length / batch),
      skipped: [...train.skipped, ...val.skipped, ...test.skipped],
    });

    const result = await runClipTrainer(
      { net, train: train.clips, val: val.clips, request: req, resume: checkpoint },
      {
        onPoint: (point) => io.send({ type: 'train-point', runId, point }),
        onCheckpoint: (c) => runs.saveCheckpoint(runId, c.state.epoch, encodeCheckpoint(c), c.state.curves),
        cancelled: () => io.cancelled() || io.orphaned(),
        breathe,
      },
    );
    if (result.stoppedBy === 'cancelled') {
      if (io.orphaned()) runs.finish(runId, 'interrupted', { error: 'the app that started this run went away; resume it to continue from the last checkpoint' });
      else runs.finish(runId, 'cancelled', { error: null });
      io.send({ type: 'train-cancelled', runId, checkpointEpoch: result.lastCheckpointEpoch });
      return;
    }

    net.setWeights(result.weights);
    // The report's test metrics at threshold 0.7, per test frame (binary families).
    const testMetrics = net.channels === 1 && test.clips.length ? clipTestMetrics(net, test.clips, REPORT_THRESHOLD) : null;
    const metrics: Record<string, number> = {
      ...(result.bestValLoss !== null && val.clips.length ? { valLoss: result.bestValLoss } : {}),
      ...(result.bestEpoch !== null ? { bestEpoch: result.bestEpoch } : {}),
      ...(result.bestStep !== null ? { bestStep: result.bestStep } : {}),
      steps: result.steps,
      trainingSeconds: Math.round(result.trainingSeconds),
      ...(testMetrics
        ? {
            'test.frames': testMetrics.frames, 'test.threshold': REPORT_THRESHOLD,
            'test.accuracy': testMetrics.accuracy, 'test.accuracyStd': testMetrics.accuracyStd,
            'test.recall': testMetrics.recall, 'test.recallStd': testMetrics.recallStd,
            'test.precision': testMetrics.precision, 'test.precisionStd': testMetrics.precisionStd,
            'test.cost': testMetrics.cost, 'test.costStd': testMetrics.costStd,
          }
        : {}),
    };
    const { modelJson, weights } = await net.serialize();
    const { name: _name, ...hyperparameters } = req;
    const lineage: ModelLineage = {
      parentRef: parent?.info.ref ?? null,
      runId,
      trainImages: train.clips.map((c) => ({ imageId: c.target.imageId, maskVersionId: c.target.maskVersionId, name: c.name })),
      valImages: val.clips.map((c) => ({ imageId: c.target.imageId, maskVersionId: c.target.maskVersionId, name: c.name })),
      hyperparameters: { ...hyperparameters, model: { family: net.family, config: { ...net.config } as ModelConfig } },
      backend: io.backend.backend,
      backendDetail: io.backend.detail,
      curves: result.curves,
      bestEpoch: result.bestValidation,
      epochsRun: result.epochsRun,
      trainingSeconds: Math.round(result.trainingSeconds),
      stoppedBy: result.stoppedBy,
    };
    const n = net;
    const model = project.transaction(() => {
      const m = project.models.add({
        name: req.name, family: n.family, task, config: n.config as unknown as Record<string, unknown>, backend: io.backend.backend,
        parentId: parent?.info.id ?? null, trainImages: train.clips.length, metrics, lineage, modelJson, weights,
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
