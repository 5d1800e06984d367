// Thin adapter between the training/inference services and a family's network (worker
// side): everything the services need, with plain typed arrays at the boundary so no tensor
// ever leaks out of this file. Any family works: the network comes from the registry
// (../families), the training step, serialisation and optimiser are family-independent.
import * as tf from '@tensorflow/tfjs-core';
import {
  createOptimizer,
  deserializeModel,
  outputChannels,
  serializeModel,
  trainStep,
  type SegmentationModel,
} from '../model';
import type { BaseModelConfig } from '../families/common-config';
import { familyOf } from '../families/registry';
import { OPTIMIZERS, type OptimizerName } from '../../../shared/ml';
import { readOptimizerState, readWeights, writeOptimizerState, writeWeights, type NamedArray } from './model-state';

/** A network's stored config: the base fields every family has, plus its own. */
export type NetConfig = BaseModelConfig & Record<string, unknown>;

export type { NamedArray };

export interface TrainStepArgs {
  classWeights?: number[] | null;
  clipNorm?: number | null;
  dropoutSeed?: number;
}

export interface SegmentationNetwork {
  readonly family: string;
  readonly config: NetConfig;
  /** Input height and width must be multiples of this (the family's poolings). */
  readonly sizeMultiple: number;
  /** Output channels per pixel of predictProbs (1 binary, 3 or 4). */
  readonly channels: number;
  /**
   * x: N*H*W*3 floats in [0, 1] -> N*H*W*channels probabilities. H and W default to the
   * input size; any multiple of sizeMultiple runs (fully convolutional families).
   */
  predictProbs(x: Float32Array, n: number, h?: number, w?: number): Float32Array;
  /** One optimisation step; returns the batch loss. */
  trainStep(x: Float32Array, y: Uint8Array, n: number, args: TrainStepArgs): number;
  /** Every variable (weights and batch-norm statistics) under its stable name. */
  getWeights(): NamedArray[];
  setWeights(weights: NamedArray[]): void;
  /** Adam's state in a fixed order: iterations then first and second moments per trainable variable. */
  getOptimizerState(): Promise<NamedArray[]>;
  setOptimizerState(state: NamedArray[]): Promise<void>;
  /** model.json text and the weights file (../model/serialize.ts format). */
  serialize(): Promise<{ modelJson: string; weights: Uint8Array }>;
  paramCount(): number;
  dispose(): void;
}

export interface NetworkOptions {
  learningRate?: number;
  /** Adam (default), RMSProp (decay 0.9, Keras' epsilon 1e-7) or plain SGD. */
  optimizer?: OptimizerName;
}

function makeOptimizer(name: OptimizerName, learningRate: number): tf.Optimizer {
  if (name === 'sgd') return tf.train.sgd(learningRate);
  if (name === 'rmsprop') return tf.train.rmsprop(learningRate, 0.9, 0, 1e-7);
  if (name === 'adam') return createOptimizer({ learningRate });
  throw new Error(`unknown optimizer '${String(name)}' (optimizers: ${OPTIMIZERS.join(', ')})`);
}

class ModelNetwork implements SegmentationNetwork {
  readonly channels: number;
  readonly sizeMultiple: number;
  private optimizer: tf.Optimizer | null = null;

  constructor(
    private readonly model: SegmentationModel,
    private readonly opts: NetworkOptions,
  ) {
    this.channels = outputChannels(model.config.task);
    this.sizeMultiple = familyOf(model.family).sizeMultiple(model.config);
  }

  get family(): string {
    return this.model.family;
  }

  get config(): NetConfig {
    return this.model.config as NetConfig;
  }

  private opt(): tf.Optimizer {
    this.optimizer ??= makeOptimizer(this.opts.optimizer ?? 'adam', this.opts.learningRate ?? 1e-4);
    return this.optimizer;
  }

  predictProbs(x: Float32Array, n: number, h?: number, w?: number): Float32Array {
    const s = this.model.config.inputSize;
    const out = tf.tidy(() => this.model.predictProbs(tf.tensor4d(x, [n, h ?? s, w ?? s, this.model.config.inChannels])));
    const data = out.dataSync() as Float32Array;
    out.dispose();
    return data;
  }

  trainStep(x: Float32Array, y: Uint8Array, n: number, args: TrainStepArgs): number {
    const s = this.model.config.inputSize;
    const xt = tf.tensor4d(x, [n, s, s, this.model.config.inChannels]);
    const yt = tf.tensor3d(Int32Array.from(y), [n, s, s], 'int32');
    try {
      const r = trainStep(this.model, this.opt(), xt, yt, {
        classWeights: args.classWeights ?? undefined,
        clipNorm: args.clipNorm ?? undefined,
        dropoutSeed: args.dropoutSeed,
      });
      return r.loss;
    } finally {
      tf.dispose([xt, yt]);
    }
  }

  getWeights(): NamedArray[] {
    return readWeights(this.model);
  }

  setWeights(weights: NamedArray[]): void {
    writeWeights(this.model, weights);
  }

  getOptimizerState(): Promise<NamedArray[]> {
    return readOptimizerState(this.optimizer);
  }

  setOptimizerState(state: NamedArray[]): Promise<void> {
    return writeOptimizerState(this.model, this.opt(), this.opts.optimizer ?? 'adam', state);
  }

  async serialize(): Promise<{ modelJson: string; weights: Uint8Array }> {
    const { modelJson, weights } = await serializeModel(this.model);
    return { modelJson: JSON.stringify(modelJson), weights };
  }

  paramCount(): number {
    return this.model.paramCount();
  }

  dispose(): void {
    this.optimizer?.dispose();
    this.model.dispose();
  }
}

/** A new network of `spec.family` (the config is validated by the family; same seed, same weights). */
export async function createNetwork(spec: { family: string; config: Record<string, unknown> }, seed: number, opts: NetworkOptions = {}): Promise<SegmentationNetwork> {
  const family = familyOf(spec.family);
  const builder = await family.network();
  return new ModelNetwork(builder.create(family.resolve(spec.config, 'stored'), seed), opts);
}

/** Rebuild a stored model: family and config from model.json, weights from the binary. */
export async function loadNetwork(modelJson: string, weights: Uint8Array, opts: NetworkOptions = {}): Promise<SegmentationNetwork> {
  return new ModelNetwork(await deserializeModel(JSON.parse(modelJson) as unknown, weights), opts);
}
