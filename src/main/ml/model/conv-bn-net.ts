// Building blocks shared by the SegNet and DeconvNet families (worker side): named variables
// drawn from a seed, K x K convolution (or stride-1 transposed convolution) + batch norm +
// optional ReLU / leaky ReLU, and the output head (dropout, 1x1 conv, sigmoid/softmax) wrapped
// as a SegmentationModel. The U-Net keeps its own hand-tuned 3x3 path (./layers.ts).
import * as tf from '@tensorflow/tfjs-core';
import { outputChannels, type BaseModelConfig } from '../families/common-config';
import { registerProjectKernels } from '../kernels/registerWasmKernels';
import { BN_EPSILON, BN_MOMENTUM, bnRelu, dropout, foldBatchNorm, outConv, type BatchNormVars, type LayerOptions } from './layers';
import { convTranspose2d, leakyRelu } from './ops';
import { convKernelValues, createRng, uniformArray } from './random';
import type { ApplyOptions, SegmentationModel } from './segmentation-model';

/** Weight initialisation of the convolutions: He-normal, Xavier (Glorot) uniform, or N(0, 0.1). */
export type ConvInit = 'he' | 'xavier' | 'normal';
/** Activation after batch norm: none (SegNet's decoder), ReLU, or leaky ReLU (alpha 0.2). */
export type Activation = 'linear' | 'relu' | 'leaky';
export const LEAKY_ALPHA = 0.2;

export interface ConvBnLayer {
  /** [K, K, Cin, Cout] for a convolution, [K, K, Cout, Cin] for a transposed one. */
  kernel: tf.Variable;
  bn: BatchNormVars;
  transposed: boolean;
  activation: Activation;
}

/** Creates the network's variables under `prefix/name`, remembering which ones train. */
export class VariableStore {
  readonly variables = new Map<string, tf.Variable>();
  readonly trainable = new Set<string>();
  readonly rng: () => number;

  constructor(
    private readonly prefix: string,
    seed: number,
  ) {
    this.rng = createRng(seed);
  }

  make(name: string, shape: number[], init: Float32Array, trainable: boolean): tf.Variable {
    if (this.variables.has(name)) throw new Error(`duplicate variable ${name}`);
    const v = tf.variable(tf.tensor(init, shape, 'float32'), trainable, this.prefix + name);
    this.variables.set(name, v);
    if (trainable) this.trainable.add(name);
    return v;
  }

  /**
   * A K x K conv (or transposed conv) without bias + batch norm; `biasInit` starts the
   * batch-norm offset (beta), the layer's effective bias.
   */
  convBn(name: string, k: number, cin: number, cout: number, init: ConvInit, activation: Activation, transposed = false, biasInit = 0): ConvBnLayer {
    const shape = transposed ? [k, k, cout, cin] : [k, k, cin, cout];
    const values = convKernelValues(this.rng, init, k, cin, cout);
    return {
      kernel: this.make(`${name}/kernel`, shape, values, true),
      bn: {
        gamma: this.make(`${name}/bn/gamma`, [cout], new Float32Array(cout).fill(1), true),
        beta: this.make(`${name}/bn/beta`, [cout], new Float32Array(cout).fill(biasInit), true),
        movingMean: this.make(`${name}/bn/moving_mean`, [cout], new Float32Array(cout), false),
        movingVar: this.make(`${name}/bn/moving_variance`, [cout], new Float32Array(cout).fill(1), false),
      },
      transposed,
      activation,
    };
  }
}

function activate(x: tf.Tensor4D, a: Activation): tf.Tensor4D {
  if (a === 'relu') return tf.relu(x);
  if (a === 'leaky') return leakyRelu(x, LEAKY_ALPHA);
  return x;
}

function convolve(x: tf.Tensor4D, kernel: tf.Tensor4D, transposed: boolean): tf.Tensor4D {
  return transposed ? convTranspose2d(x, kernel, { stride: 1, pad: 'same' }) : tf.conv2d(x, kernel, 1, 'same');
}

/**
 * Batch norm (+ activation). Training: batch statistics and running-statistic updates
 * (PyTorch semantics, as ./layers.ts); the fused project kernel when the activation is ReLU,
 * elementary ops otherwise (differentiable on every backend).
 */
function batchNormAct(x: tf.Tensor4D, bn: BatchNormVars, activation: Activation, lo: LayerOptions): tf.Tensor4D {
  if (activation === 'relu') return bnRelu(x, bn, lo);
  if (!lo.training) return activate(tf.batchNorm(x, bn.movingMean, bn.movingVar, bn.beta, bn.gamma, BN_EPSILON) as tf.Tensor4D, activation);
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const scale = tf.mul(bn.gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
  const y = activate(tf.add(tf.mul(tf.sub(x, mean), scale), bn.beta) as tf.Tensor4D, activation);
  if (lo.updateStats) {
    const count = x.size / x.shape[3];
    tf.tidy(() => {
      const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
      bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
      bn.movingVar.assign(tf.add(tf.mul(bn.movingVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
    });
  }
  return y;
}

/** One conv + BN (+ activation) layer; inference folds batch norm into the convolution. */
export function applyConvBn(x: tf.Tensor4D, layer: ConvBnLayer, lo: LayerOptions): tf.Tensor4D {
  if (!lo.training) {
    // Folding needs [.., .., Cin, Cout]; a stride-1 'same' transposed conv is a conv with the
    // kernel flipped spatially and its channel axes swapped.
    const kernel = layer.transposed ? (tf.transpose(tf.reverse(layer.kernel, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D) : (layer.kernel as tf.Tensor4D);
    const f = foldBatchNorm(kernel, layer.bn);
    const y = tf.fused.conv2d({ x, filter: f.kernel, strides: 1, pad: 'same', bias: f.bias, activation: layer.activation === 'relu' ? 'relu' : 'linear' });
    return layer.activation === 'leaky' ? leakyRelu(y, LEAKY_ALPHA) : y;
  }
  return batchNormAct(convolve(x, layer.kernel as tf.Tensor4D, layer.transposed), layer.bn, layer.activation, lo);
}

let instanceCounter = 0;

/** A fresh variable store named for the family (variable names stay unique across models). */
export function newStore(family: string, seed: number): VariableStore {
  registerProjectKernels();
  return new VariableStore(`hemaseg_${family}${++instanceCounter}/`, seed);
}

/**
 * The family network: `body` maps the input to the last feature map (width `bodyWidth`), then
 * dropout (training), a 1x1 convolution with bias to the task's channels (Glorot-uniform; the
 * bias starts at config.biasInit, absent 0),
 * and sigmoid / softmax for probabilities. `check` refuses inputs the body cannot take.
 */
export function segmentationModel<C extends BaseModelConfig & { dropout: number; biasInit?: number }>(
  family: string,
  config: C,
  store: VariableStore,
  seed: number,
  bodyWidth: number,
  body: (x: tf.Tensor4D, lo: LayerOptions) => tf.Tensor4D,
  check: (x: tf.Tensor4D) => void,
): SegmentationModel<C> {
  const outCh = outputChannels(config.task);
  const outKernel = store.make('out/kernel', [1, 1, bodyWidth, outCh], uniformArray(store.rng, bodyWidth * outCh, Math.sqrt(6 / (bodyWidth + outCh))), true);
  const outBias = store.make('out/bias', [outCh], new Float32Array(outCh).fill(config.biasInit ?? 0), true);
  let dropoutCalls = 0;
  const dropoutBase = Math.floor(createRng(seed ^ 0x5bd1e995)() * 2 ** 31);
  const apply = (x: tf.Tensor4D, options: ApplyOptions = {}): tf.Tensor4D => {
    const lo: LayerOptions = { training: options.training ?? false, updateStats: options.updateStats ?? true, fast: options.fast ?? true };
    if (x.rank !== 4 || x.shape[3] !== config.inChannels) throw new Error(`${family} input must be [N, H, W, ${config.inChannels}], got [${x.shape.join(', ')}]`);
    check(x);
    return tf.tidy(() => {
      let h = body(x, lo);
      if (lo.training && config.dropout > 0) h = dropout(h, config.dropout, options.dropoutSeed ?? dropoutBase + dropoutCalls++, lo.fast);
      return outConv(h, outKernel as tf.Tensor4D, outBias as tf.Tensor1D);
    });
  };
  const { variables, trainable } = store;
  return {
    family,
    config,
    variables,
    trainableVariables: () => [...trainable].map((n) => variables.get(n) as tf.Variable),
    apply,
    predictProbs: (x) =>
      tf.tidy(() => {
        const logits = apply(x, { training: false });
        return config.task === 'binary' ? tf.sigmoid(logits) : tf.softmax(logits);
      }),
    paramCount: () => [...trainable].reduce((s, n) => s + (variables.get(n) as tf.Variable).size, 0),
    dispose: () => {
      for (const v of variables.values()) v.dispose();
    },
  };
}
