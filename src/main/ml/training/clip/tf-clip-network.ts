// Worker side: the family-independent half of a ClipNetwork over a TensorFlow.js
// SegmentationModel (weights, optimiser state, serialisation), so a clip family only writes
// its step, evaluation and stream. Same weight names and optimiser-state layout as the image
// families' ../network.ts, so checkpoints (../checkpoint.ts) work unchanged.
import * as tf from '@tensorflow/tfjs-core';
import { serializeModel, type SegmentationModel } from '../../model';
import type { OptimizerName } from '../../../../shared/ml';
import type { NamedArray, NetConfig } from '../network';
import type { ClipBatch, ClipEvaluation, ClipNetwork, ClipNetworkOptions, ClipStream } from './clip-seam';

const SLOTS: Record<OptimizerName, string[]> = { adam: ['m', 'v'], rmsprop: ['rms', 'momentum'], sgd: [] };

/** Adam (0.9, 0.999, 1e-8: the LSTM-CNN report's), RMSProp (decay 0.9) or SGD. */
export function clipOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  if (name === 'sgd') return tf.train.sgd(learningRate);
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
}

export abstract class TfClipNetwork<M extends SegmentationModel = SegmentationModel> implements ClipNetwork {
  private opt: tf.Optimizer | null = null;
  abstract readonly channels: number;
  abstract readonly sizeMultiple: number;

  constructor(
    protected readonly model: M,
    protected readonly opts: ClipNetworkOptions,
  ) {}

  get family(): string {
    return this.model.family;
  }

  get config(): NetConfig {
    return this.model.config as NetConfig;
  }

  protected optimizer(): tf.Optimizer {
    this.opt ??= clipOptimizer(this.opts.optimizer ?? 'adam', this.opts.learningRate);
    return this.opt;
  }

  abstract trainStep(batch: ClipBatch, clipNorm: number | null): number;
  abstract evaluate(batch: ClipBatch): ClipEvaluation;
  abstract stream(h: number, w: number): ClipStream;

  getWeights(): NamedArray[] {
    return [...this.model.variables.entries()].map(([name, v]) => ({ name, shape: [...v.shape], data: Float32Array.from(v.dataSync()) }));
  }

  setWeights(weights: NamedArray[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const [name, v] of this.model.variables) {
      const w = byName.get(name);
      if (!w) throw new Error(`weights have no value for ${name}`);
      if (w.shape.join('x') !== v.shape.join('x')) throw new Error(`weights for ${name} are ${w.shape.join('x')}, the network needs ${v.shape.join('x')}`);
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape, 'float32')));
    }
  }

  async getOptimizerState(): Promise<NamedArray[]> {
    if (!this.opt) return [];
    const named = await this.opt.getWeights();
    const out = named.map((t, i) => ({ name: i === 0 ? 'iter' : `slot${i}`, shape: [...t.tensor.shape], data: Float32Array.from(t.tensor.dataSync()) }));
    named[0]?.tensor.dispose(); // the iteration count is a fresh scalar; the moments are the optimiser's own
    return out;
  }

  async setOptimizerState(state: NamedArray[]): Promise<void> {
    if (state.length === 0) return;
    const vars = this.model.trainableVariables();
    const slots = SLOTS[this.opts.optimizer ?? 'adam'];
    if (state.length !== 1 + slots.length * vars.length) throw new Error(`optimizer state has ${state.length} entries, expected ${1 + slots.length * vars.length}`);
    const named = state.map((s, i) => ({
      name: i === 0 ? 'iter' : `${vars[(i - 1) % vars.length].name}/${slots[Math.floor((i - 1) / vars.length)]}`,
      tensor: tf.tensor(s.data, s.shape, 'float32'),
    }));
    await this.optimizer().setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
  }

  async serialize(): Promise<{ modelJson: string; weights: Uint8Array }> {
    const { modelJson, weights } = await serializeModel(this.model);
    return { modelJson: JSON.stringify(modelJson), weights };
  }

  paramCount(): number {
    return this.model.paramCount();
  }

  dispose(): void {
    this.opt?.dispose();
    this.model.dispose();
  }
}
