// Worker side: the family-independent half of a ClipNetwork over a TensorFlow.js
// SegmentationModel (weights, optimiser state, serialisation), so a clip family only writes
// its step, evaluation and stream. Same weight names and optimiser-state layout as the image
// families' ../network.ts, so checkpoints (../checkpoint.ts) work unchanged.
import * as tf from '@tensorflow/tfjs-core';
import { serializeModel, type SegmentationModel } from '../../model';
import type { OptimizerName } from '../../../../shared/ml';
import type { NetConfig } from '../network';
import { readOptimizerState, readWeights, writeOptimizerState, writeWeights, type NamedArray } from '../model-state';
import type { ClipBatch, ClipEvaluation, ClipNetwork, ClipNetworkOptions, ClipStream } from './clip-seam';

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
    return readWeights(this.model);
  }

  setWeights(weights: NamedArray[]): void {
    writeWeights(this.model, weights);
  }

  getOptimizerState(): Promise<NamedArray[]> {
    return readOptimizerState(this.opt);
  }

  setOptimizerState(state: NamedArray[]): Promise<void> {
    return writeOptimizerState(this.model, this.optimizer(), this.opts.optimizer ?? 'adam', state);
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
