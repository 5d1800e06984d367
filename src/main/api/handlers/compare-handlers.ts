import type { HandlerGroup } from '../handler-types';
import { getComparison, runComparison } from '../../evaluation/compare/run-comparison';

/**
 * N-way comparison: run one (evaluated and stored at once: a few ms per image and source, so
 * no job), list the stored ones (runs and experiments), reopen one from its evaluations.
 */
export const compareHandlers: HandlerGroup<'compare.run' | 'compare.list' | 'compare.get'> = {
  'compare.run': (req, ctx) =>
    runComparison(ctx.requireProject(), {
      sources: req.sources, truth: req.truth, split: req.split, borderPx: req.borderPx ?? null, worst: req.worst, metric: req.metric, label: req.label ?? null,
    }),
  'compare.list': (_req, ctx) => ctx.requireProject().comparisons.list(),
  'compare.get': (req, ctx) => getComparison(ctx.requireProject(), req.id),
};
