// Per-pixel training targets for each task, as class indices (the loss one-hot encodes
// them): binary 0/1 = background/cell; multiclass 0/1/2 = background/cytoplasm/nucleus
// (stored edges folded into their cell); multiclass-edge adds 3 = edge, derived from the
// cell instances when the mask has no edge class.
import { LABEL, type ModelTask } from '../../../shared/domain';
import { flattenEdges } from '../../imaging/mask-convention';
import { withDerivedEdges } from './edges';

export function classTargets(labels: Uint8Array, instances: Uint16Array | null, w: number, h: number, task: ModelTask): Uint8Array {
  if (task === 'binary') {
    const out = new Uint8Array(labels.length);
    for (let i = 0; i < labels.length; i++) out[i] = labels[i] === LABEL.background ? 0 : 1;
    return out;
  }
  if (task === 'multiclass') {
    return labels.includes(LABEL.edge) ? flattenEdges({ width: w, height: h, labels }) : labels;
  }
  return withDerivedEdges(labels, w, h, instances);
}

/** Names of the classes a task predicts, in channel order (binary: background, cell). */
export function classNames(task: ModelTask): string[] {
  if (task === 'binary') return ['background', 'cell'];
  if (task === 'multiclass') return ['background', 'cytoplasm', 'nucleus'];
  return ['background', 'cytoplasm', 'nucleus', 'edge'];
}
