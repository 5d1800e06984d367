import type { HandlerGroup } from '../handler-types';
import type { AppContext } from '../app-context';
import type { JobContext } from '../../jobs/job-manager';
import type { TrainPoint } from '../../../shared/ml';
import { Project } from '../../project/project';
import { userName } from '../user-name';
import { cachedProjectValidation } from '../../ml/registry/project-validation';
import { prepareTrainRequest, resumeTraining, startTraining, type TrainCallbacks } from '../../ml/training/train-service';
import { checkSegmentRequest, runSegmentation } from '../../ml/inference/segment-service';
import { planTrainingImages } from '../../ml/training/training-images';
import { setProjectDefaultModel } from '../../ml/registry/default-model';
import { familyInfos } from '../../ml/families/registry';

// Training and segmentation run as jobs driving the ML worker process. Each job opens its
// own connection to the project file, so opening another project while it runs cannot pull
// the database from under it.

function trainCallbacks(ctx: AppContext, jobId: () => string, jc: JobContext): TrainCallbacks {
  const t0 = Date.now();
  return {
    signal: jc.signal,
    onReady: (backend, detail) => {
      ctx.backend = { backend, detail };
    },
    onLoading: (done, total) => jc.progress(done, total, 'loading images'),
    onPoint: (pt: TrainPoint) => {
      ctx.emit({ type: 'train-point', jobId: jobId(), point: pt });
      const spe = pt.stepsPerEpoch ?? 1;
      const message = `epoch ${pt.epoch}: loss ${pt.loss.toFixed(4)}${pt.valLoss !== null ? `, val loss ${pt.valLoss.toFixed(4)}` : ''}, ${pt.imagesPerSecond.toFixed(1)} img/s`;
      if (pt.fraction !== undefined) {
        // The trainer's own measure (time when a budget ends the run first, else steps); 1 on the last point.
        jc.progress(Math.round(pt.fraction * 1000), 1000, message);
      } else if (pt.epochs !== undefined && pt.epochs < 100_000) {
        jc.progress(pt.step, pt.epochs * spe, message);
      } else {
        // A time budget: progress in seconds.
        const elapsed = Math.round((Date.now() - t0) / 1000);
        jc.progress(elapsed, elapsed + Math.round(pt.etaSeconds ?? 0), message);
      }
    },
  };
}

export const mlHandlers: HandlerGroup<'models.list' | 'models.families' | 'train.start' | 'train.runs' | 'train.resume' | 'segment.start' | 'train.plan' | 'models.setDefault'> = {
  // projectVal: each version's numbers on this project's val split (cached; models.evaluate fills it).
  'models.list': (_req, ctx) => {
    const project = ctx.requireProject();
    return project.models.list().map((m) => ({ ...m, projectVal: cachedProjectValidation(project, m.ref) }));
  },

  // The train form builds its fields from these descriptions (no project needed).
  'models.families': () => familyInfos(),

  'models.setDefault': (req, ctx) => {
    const project = ctx.requireProject();
    setProjectDefaultModel(project, req.ref);
    return project.settings.get();
  },

  'train.plan': (req, ctx) => planTrainingImages(ctx.requireProject(), req.images).plan,

  'train.runs': (_req, ctx) => ctx.requireProject().runs.list(),

  'train.start': (req, ctx) => {
    const path = ctx.requireProject().path;
    prepareTrainRequest(ctx.requireProject(), req); // bad requests fail here, not as a failed job
    let id = '';
    const job = ctx.jobs.start('train', `Training ${req.name}`, async (jc) => {
      const p = Project.open(path);
      try {
        return await startTraining(p, req, trainCallbacks(ctx, () => id, jc));
      } finally {
        p.close();
      }
    });
    id = job.id;
    return { jobId: job.id };
  },

  'train.resume': (req, ctx) => {
    const project = ctx.requireProject();
    const rec = project.runs.get(req.runId);
    if (!rec) throw new Error(`no training run ${req.runId} in this project`);
    const path = project.path;
    let id = '';
    const job = ctx.jobs.start('train', `Resuming training run ${req.runId} (${rec.info.modelName})`, async (jc) => {
      const p = Project.open(path);
      try {
        return await resumeTraining(p, req.runId, trainCallbacks(ctx, () => id, jc));
      } finally {
        p.close();
      }
    });
    id = job.id;
    return { jobId: job.id };
  },

  'segment.start': (req, ctx) => {
    const project = req.target.kind === 'project' ? ctx.requireProject() : ctx.current;
    checkSegmentRequest(project, req);
    const path = project?.path ?? null;
    const job = ctx.jobs.start('segment', `Segmenting with ${req.model}`, async (jc) => {
      const p = path ? Project.open(path) : null;
      // Results land in the project as the worker goes: let the gallery refresh about once a second.
      let lastRefresh = Date.now();
      try {
        const r = await runSegmentation(p, req, {
          author: userName(),
          signal: jc.signal,
          onReady: (backend, detail) => {
            ctx.backend = { backend, detail };
          },
          onProgress: (e) => {
            jc.progress(e.done, e.total, `${e.imagesPerSecond.toFixed(1)} images/s`);
            if (p && Date.now() - lastRefresh > 1000) {
              lastRefresh = Date.now();
              ctx.emit({ type: 'images-changed', ids: 'all' });
            }
          },
        });
        if (r.imageIds.length) ctx.emit({ type: 'images-changed', ids: r.imageIds });
        const { imageIds: _ids, ...result } = r;
        return result;
      } finally {
        p?.close();
      }
    });
    return { jobId: job.id };
  },
};
