import type { HandlerGroup } from '../handler-types';
import { loadImagePixels } from '../../imaging/image-cache';
import { snapCell } from '../../baselines/active-contour';
import { runEvaluation } from '../../evaluation/run-evaluation';

export const evaluationHandlers: HandlerGroup<'baseline.snap' | 'eval.run' | 'eval.list' | 'eval.get'> = {
  'baseline.snap': async (req, ctx) => {
    const image = await loadImagePixels(ctx.requireProject(), req.imageId);
    if (!(req.x >= 0 && req.y >= 0 && req.x < image.width && req.y < image.height)) throw new Error(`point (${req.x}, ${req.y}) is outside the ${image.width}x${image.height} image`);
    return snapCell(image, { x: req.x, y: req.y }, req.box);
  },
  'eval.run': (req, ctx) => {
    const project = ctx.requireProject();
    // Evaluation is fast typed-array work (a few ms per image): a job for progress, no worker.
    const job = ctx.jobs.start('evaluate', `Evaluate ${req.pred} vs ${req.truth}`, async (job) => {
      const run = runEvaluation(project, {
        pred: req.pred, truth: req.truth, split: req.split, borderPx: req.borderPx,
        onProgress: (d, t) => job.progress(d, t),
      });
      return { evaluationId: run.id, images: run.result.images, missing: run.missing.length };
    });
    return { jobId: job.id };
  },
  'eval.list': (_req, ctx) => ctx.requireProject().evaluations.list(),
  'eval.get': (req, ctx) => {
    const e = ctx.requireProject().evaluations.get(req.id);
    if (!e) throw new Error(`no evaluation ${req.id}`);
    return e;
  },
};
