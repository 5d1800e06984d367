import type { HandlerGroup } from '../handler-types';

// Engine, evaluation and report methods are wired as those services land (issues 4-6).
type Pending = 'models.list' | 'train.start' | 'train.runs' | 'train.resume' | 'segment.start' | 'baseline.snap' | 'eval.run' | 'eval.list' | 'eval.get' | 'report.export';
const notYet = (what: string) => (): never => {
  throw new Error(`${what} is not available in this build yet`);
};
export const pendingHandlers: HandlerGroup<Pending> = {
  'models.list': () => [],
  'train.start': notYet('training'),
  'train.runs': () => [],
  'train.resume': notYet('training'),
  'segment.start': notYet('segmentation'),
  'baseline.snap': notYet('snap'),
  'eval.run': notYet('evaluation'),
  'eval.list': () => [],
  'eval.get': notYet('evaluation'),
  'report.export': notYet('reports'),
};
