// Worker side: a SegmentationModel's weights and its optimiser's state as named arrays, the
// layout every checkpoint holds (./checkpoint.ts). Image networks (./network.ts) and clip
// networks (./clip/tf-clip-network.ts) both read and write through these, so a checkpoint
// written by one layout-aware path is read by the same code.
import * as tf from '@tensorflow/tfjs-core';
import type { SegmentationModel } from '../model';
import type { OptimizerName } from '../../../shared/ml';

/** A named float array (weights, optimiser slots) as it crosses into checkpoints and files. */
export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** The per-variable slots each optimiser keeps, in the order tfjs returns them. */
export const OPTIMIZER_SLOTS: Record<OptimizerName, string[]> = { adam: ['m', 'v'], rmsprop: ['rms', 'momentum'], sgd: [] };

export function readWeights(model: SegmentationModel): NamedArray[] {
  return [...model.variables.entries()].map(([name, v]) => ({ name, shape: [...v.shape], data: Float32Array.from(v.dataSync()) }));
}

export function writeWeights(model: SegmentationModel, weights: NamedArray[]): void {
  const byName = new Map(weights.map((w) => [w.name, w]));
  for (const [name, v] of model.variables) {
    const w = byName.get(name);
    if (!w) throw new Error(`weights have no value for ${name}`);
    if (w.shape.join('x') !== v.shape.join('x')) throw new Error(`weights for ${name} are ${w.shape.join('x')}, the network needs ${v.shape.join('x')}`);
    tf.tidy(() => v.assign(tf.tensor(w.data, v.shape, 'float32')));
  }
}

export async function readOptimizerState(opt: tf.Optimizer | null): Promise<NamedArray[]> {
  if (!opt) return [];
  const named = await opt.getWeights();
  const out = named.map((t, i) => ({ name: i === 0 ? 'iter' : `slot${i}`, shape: [...t.tensor.shape], data: Float32Array.from(t.tensor.dataSync()) }));
  named[0]?.tensor.dispose(); // the iteration count is a fresh scalar; the moments are the optimiser's own
  return out;
}

export async function writeOptimizerState(model: SegmentationModel, opt: tf.Optimizer, optimizer: OptimizerName, state: NamedArray[]): Promise<void> {
  if (state.length === 0) return;
  const vars = model.trainableVariables();
  const slots = OPTIMIZER_SLOTS[optimizer];
  if (state.length !== 1 + slots.length * vars.length) throw new Error(`optimizer state has ${state.length} entries, expected ${1 + slots.length * vars.length}`);
  // The optimisers match their slots to variables by position; names only need to be unique.
  const named = state.map((s, i) => ({
    name: i === 0 ? 'iter' : `${vars[(i - 1) % vars.length].name}/${slots[Math.floor((i - 1) / vars.length)]}`,
    tensor: tf.tensor(s.data, s.shape, 'float32'),
  }));
  await opt.setWeights(named);
  tf.dispose(named.map((n) => n.tensor));
}
