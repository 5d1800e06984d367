// Which images a training run uses. With the whole data set ('all'), the train split trains
// and the val split validates. With few hand corrections, a 70/15/15 split would leave a
// third of a technician's work unused (30 corrections -> about 21 training images), so every
// corrected image trains whatever its split, except a few held back for early stopping and
// for the comparison with the parent model.
import type { TrainPlan, TrainRequest } from '../../../shared/ml';
import type { Project } from '../../project/project';
import { selectTrainingImages } from '../data/dataset';

export interface TrainingItem {
  imageId: number;
  name: string;
  maskVersionId: number;
}

export interface TrainingImages {
  train: TrainingItem[];
  val: TrainingItem[];
  plan: TrainPlan;
}

/** Below this many corrections every one trains (a few held back); from here on the split decides. */
export const FEW_CORRECTIONS = 100;

/** How many of n corrections to hold back: about a tenth, at least 2 and at most 5; none under 5. */
export function heldBackCount(n: number): number {
  if (n < 5) return 0;
  return Math.max(2, Math.min(5, Math.round(n / 10)));
}

/** Stable pseudo-random order from the image name and id (same choice on every machine and re-run). */
function stableKey(item: TrainingItem): number {
  let h = 0x811c9dc5;
  for (const ch of `${item.name}#${item.imageId}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

export function planTrainingImages(project: Project, images: TrainRequest['images']): TrainingImages {
  if (images !== 'corrected') {
    const train = selectTrainingImages(project, { split: 'train', images });
    const val = selectTrainingImages(project, { split: 'val', images: 'all' });
    return { train, val, plan: { train: train.length, val: val.length, heldBack: 0, mode: 'split' } };
  }
  const bySplit = {
    train: selectTrainingImages(project, { split: 'train', images: 'corrected' }),
    val: selectTrainingImages(project, { split: 'val', images: 'corrected' }),
    test: selectTrainingImages(project, { split: 'test', images: 'corrected' }),
  };
  const all = [...bySplit.train, ...bySplit.val, ...bySplit.test];
  if (all.length >= FEW_CORRECTIONS) {
    // Enough corrections for the usual split; corrected test images stay an honest check.
    return { train: bySplit.train, val: bySplit.val, plan: { train: bySplit.train.length, val: bySplit.val.length, heldBack: 0, mode: 'split' } };
  }
  const k = heldBackCount(all.length);
  // Held back: corrections in the val split first (they were meant for validation), then a
  // stable pseudo-random pick; everything else trains.
  const inVal = new Set(bySplit.val.map((i) => i.imageId));
  const order = [...all].sort((a, b) => Number(inVal.has(b.imageId)) - Number(inVal.has(a.imageId)) || stableKey(a) - stableKey(b) || a.imageId - b.imageId);
  const held = new Set(order.slice(0, k).map((i) => i.imageId));
  const train = all.filter((i) => !held.has(i.imageId));
  const val = all.filter((i) => held.has(i.imageId));
  return { train, val, plan: { train: train.length, val: val.length, heldBack: val.length, mode: 'corrections' } };
}
