// Main-side checks of a training request for a clip family (no TensorFlow): the family trains
// on clips, and the project has sequences with labelled frames in their train split.
import type { TrainRequest } from '../../../../shared/ml';
import type { Project } from '../../../project/project';
import { familyOf } from '../../families/registry';
import { planClips } from './clip-sampler';

export function clipFramesOfConfig(config: Record<string, unknown>): number {
  const t = config.clipFrames;
  return typeof t === 'number' && Number.isInteger(t) && t >= 1 ? t : 5;
}

export function checkClipTraining(project: Project, request: TrainRequest): void {
  const spec = request.model;
  if (!spec) throw new Error('a clip family needs its model spec');
  const family = familyOf(spec.family);
  if (!family.clipTraining) throw new Error(`the ${family.id} family reads clips of sequence frames but provides no clip training`);
  if (request.images !== 'all') throw new Error(`--images ${request.images} selects single images; a ${family.id} model trains on clips of sequence frames (every labelled frame of the sequences' train split)`);
  const plan = planClips(project, clipFramesOfConfig(spec.config as unknown as Record<string, unknown>));
  if (plan.train.length === 0) {
    const sequences = project.sequences.count();
    throw new Error(
      sequences === 0
        ? `${project.path}: the ${family.id} family trains on clips of image sequences and this project has none (import one with \`hemaseg import P FOLDER --as-sequence\`, or \`hemaseg synth flow\`)`
        : `${project.path}: no frame in the train split of the ${sequences} sequence(s) has a ground-truth mask (a clip ends at a labelled frame; unused frames are never targets)`,
    );
  }
}
