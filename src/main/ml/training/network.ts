// Thin adapter between the training/inference services and the U-Net of ../model (owned by
// the kernel work): everything the services need, with plain typed arrays at the boundary
// so no tensor ever leaks out of this file. Keeps the services independent of how the
// network is built, trained and serialised.
import * as tf from '@tensorflow/tfjs-core';
import {
  createOptimizer,
  createUnet,
  deserializeModel,
  outputChannels,
  serializeModel,
  trainStep,
  type Unet,
  type UnetConfig as NetConfig,
} from '../model';

export type { NetConfig };
export { netConfigFor } from './net-config';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface TrainStepArgs {
  classWeights?: number[] | null;
  clipNorm?: number | null;
  dropoutSeed?: number;
}

export interface SegmentationNetwork {
  readonly config: NetConfig;
  /** Output channels per pixel of predictProbs (1 binary, 3 or 4). */
  readonly channels: number;
  /**
   * x: N*H*W*3 floats in [0, 1] -> N*H*W*channels probabilities. H and W default to the
   * input size; any multiple of 2^depth runs (the U-Net is fully convolutional).
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
}

class UnetNetwork implements SegmentationNetwork {
  readonly channels: number;
  private optimizer: tf.AdamOptimizer | null = null;

  constructor(
    private readonly unet: Unet,
    private readonly opts: NetworkOptions,
  ) {
    this.channels = outputChannels(unet.config.task);
  }

  get config(): NetConfig {
    return this.unet.config;
  }

  private opt(): tf.AdamOptimizer {
    this.optimizer ??= createOptimizer({ learningRate: this.opts.learningRate ?? 1e-4 });
    return this.optimizer;
  }

  predictProbs(x: Float32Array, n: number, h?: number, w?: number): Float32Array {
    const s = this.unet.config.inputSize;
    const out = tf.tidy(() => this.unet.predictProbs(tf.tensor4d(x, [n, h ?? s, w ?? s, this.unet.config.inChannels])));
    const data = out.dataSync() as Float32Array;
    out.dispose();
    return data;
  }

  trainStep(x: Float32Array, y: Uint8Array, n: number, args: TrainStepArgs): number {
    const s = this.unet.config.inputSize;
    const xt = tf.tensor4d(x, [n, s, s, this.unet.config.inChannels]);
    const yt = tf.tensor3d(Int32Array.from(y), [n, s, s], 'int32');
    try {
      const r = trainStep(this.unet, this.opt(), xt, yt, {
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
    return [...this.unet.variables.entries()].map(([name, v]) => ({ name, shape: [...v.shape], data: Float32Array.from(v.dataSync()) }));
  }

  setWeights(weights: NamedArray[]): void {
    const byName = new Map(weights.map((w) => [w.name, w]));
    for (const [name, v] of this.unet.variables) {
      const w = byName.get(name);
      if (!w) throw new Error(`weights have no value for ${name}`);
      if (w.shape.join('x') !== v.shape.join('x')) throw new Error(`weights for ${name} are ${w.shape.join('x')}, the network needs ${v.shape.join('x')}`);
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape, 'float32')));
    }
  }

  async getOptimizerState(): Promise<NamedArray[]> {
    if (!this.optimizer) return [];
    const named = await this.optimizer.getWeights();
    const out = named.map((t, i) => ({ name: i === 0 ? 'iter' : `slot${i}`, shape: [...t.tensor.shape], data: Float32Array.from(t.tensor.dataSync()) }));
    named[0]?.tensor.dispose(); // the iteration count is a fresh scalar; the moments are the optimizer's own
    return out;
  }

  async setOptimizerState(state: NamedArray[]): Promise<void> {
    if (state.length === 0) return;
    const vars = this.unet.trainableVariables();
    if (state.length !== 1 + 2 * vars.length) throw new Error(`optimizer state has ${state.length} entries, expected ${1 + 2 * vars.length}`);
    const opt = this.opt();
    // Adam matches moments to variables by position; names only need to be unique.
    const named = state.map((s, i) => ({
      name: i === 0 ? 'iter' : `${vars[(i - 1) % vars.length].name}/${i <= vars.length ? 'm' : 'v'}`,
      tensor: tf.tensor(s.data, s.shape, 'float32'),
    }));
    await opt.setWeights(named);
    tf.dispose(named.map((n) => n.tensor));
  }

  async serialize(): Promise<{ modelJson: string; weights: Uint8Array }> {
    const { modelJson, weights } = await serializeModel(this.unet);
    return { modelJson: JSON.stringify(modelJson), weights };
  }

  paramCount(): number {
    return this.unet.paramCount();
  }

  dispose(): void {
    this.optimizer?.dispose();
    this.unet.dispose();
  }
}

export function createNetwork(config: NetConfig, seed: number, opts: NetworkOptions = {}): SegmentationNetwork {
  return new UnetNetwork(createUnet(config, seed), opts);
}

/** Rebuild a stored model: config from model.json, weights from the binary. */
export function loadNetwork(modelJson: string, weights: Uint8Array, opts: NetworkOptions = {}): SegmentationNetwork {
  return new UnetNetwork(deserializeModel(JSON.parse(modelJson) as unknown, weights), opts);
}
