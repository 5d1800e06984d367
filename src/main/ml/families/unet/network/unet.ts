// The U-Net of seeds.md A / issue 4 section 2, the same network as
// shared/bench/torch_unet_ref.py for the reference config:
//   encoder level i (i = 0..depth): 2 x (3x3 conv + BN + ReLU), base*2^i filters,
//     2x2 max-pool between levels;
//   decoder level i (depth-1..0): nearest 2x up-sampling + 3x3 conv + BN + ReLU,
//     concatenation [up, skip], 2 x (3x3 conv + BN + ReLU);
//   dropout, 1x1 conv to 1 (binary, sigmoid) or 3/4 (softmax) channels.
// Convolutions before batch norm carry no bias (batch norm cancels it; PyTorch's reference
// has one, so it counts 2*(sum of those widths) more parameters, which never change its output).
import * as tf from '@tensorflow/tfjs-core';
import { outputChannels } from '../../common-config';
import { levelWidths, resolveUnetConfig, type UnetConfig } from '../config';
import type { ApplyOptions, SegmentationModel } from '../../../model/segmentation-model';
import {
  bnRelu,
  concatChannels,
  conv3x3,
  convBiasRelu,
  dropout,
  foldBatchNorm,
  maxPool2,
  outConv,
  upConv,
  upConvFromPhaseWeights,
  upConvPhaseWeights,
  useFastPath,
  type BatchNormVars,
  type LayerOptions,
} from '../../../model/layers';
import { registerProjectKernels } from '../../../kernels/registerWasmKernels';
import { convKernelValues, createRng, uniformArray, type KernelInit } from '../../../model/random';

export interface ConvBn {
  kernel: tf.Variable;
  bn: BatchNormVars;
}

export interface UnetLevel {
  conv1: ConvBn;
  conv2: ConvBn;
}

export interface UnetDecoderLevel extends UnetLevel {
  up: ConvBn;
}

export type { ApplyOptions };

/** The U-Net as a family network (../../model/segmentation-model.ts). */
export type Unet = SegmentationModel<UnetConfig>;

let instanceCounter = 0;

interface VarFactory {
  make(name: string, shape: number[], init: Float32Array, trainable: boolean): tf.Variable;
  /** The config's initialisation of the 3x3 kernels and of the batch-norm offsets (biases). */
  kernelInit: KernelInit;
  biasInit: number;
}

function glorotUniform(rng: () => number, shape: number[]): Float32Array {
  const fanIn = shape[0] * shape[1] * shape[2];
  const fanOut = shape[0] * shape[1] * shape[3];
  return uniformArray(rng, shape.reduce((a, b) => a * b, 1), Math.sqrt(6 / (fanIn + fanOut)));
}

function convBn(f: VarFactory, rng: () => number, name: string, cin: number, cout: number): ConvBn {
  const shape = [3, 3, cin, cout];
  return {
    kernel: f.make(`${name}/kernel`, shape, convKernelValues(rng, f.kernelInit, 3, cin, cout), true),
    bn: {
      gamma: f.make(`${name}/bn/gamma`, [cout], new Float32Array(cout).fill(1), true),
      beta: f.make(`${name}/bn/beta`, [cout], new Float32Array(cout).fill(f.biasInit), true),
      movingMean: f.make(`${name}/bn/moving_mean`, [cout], new Float32Array(cout), false),
      movingVar: f.make(`${name}/bn/moving_variance`, [cout], new Float32Array(cout).fill(1), false),
    },
  };
}

/**
 * Builds a U-Net with freshly initialised weights: the config's init for the ReLU convolutions
 * (absent: He-normal), Glorot-uniform for the output convolution, BN gamma 1 / beta and output
 * bias config.biasInit (absent: 0), running mean 0 / var 1.
 * The same seed gives the same weights on every backend.
 */
export function createUnet(partial: Partial<UnetConfig> = {}, seed = 1): Unet {
  const config = resolveUnetConfig(partial as Record<string, unknown>);
  registerProjectKernels();
  const prefix = `hemaseg_unet${++instanceCounter}/`;
  const variables = new Map<string, tf.Variable>();
  const trainable = new Set<string>();
  const factory: VarFactory = {
    // Absent (every U-Net before the options): He-normal kernels, zero biases.
    kernelInit: config.init ?? 'he',
    biasInit: config.biasInit ?? 0,
    make(name, shape, init, isTrainable) {
      const v = tf.variable(tf.tensor(init, shape, 'float32'), isTrainable, prefix + name);
      variables.set(name, v);
      if (isTrainable) trainable.add(name);
      return v;
    },
  };
  const rng = createRng(seed);
  const widths = levelWidths(config);
  const encoder: UnetLevel[] = [];
  let cin = config.inChannels;
  widths.forEach((w, i) => {
    encoder.push({ conv1: convBn(factory, rng, `enc${i}/conv1`, cin, w), conv2: convBn(factory, rng, `enc${i}/conv2`, w, w) });
    cin = w;
  });
  const decoder: UnetDecoderLevel[] = [];
  for (let i = config.depth - 1; i >= 0; i--) {
    const w = widths[i];
    decoder.push({
      up: convBn(factory, rng, `dec${i}/up`, 2 * w, w),
      conv1: convBn(factory, rng, `dec${i}/conv1`, 2 * w, w),
      conv2: convBn(factory, rng, `dec${i}/conv2`, w, w),
    });
  }
  const outCh = outputChannels(config.task);
  const outShape = [1, 1, widths[0], outCh];
  const outKernel = factory.make('out/kernel', outShape, glorotUniform(rng, outShape), true);
  const outBias = factory.make('out/bias', [outCh], new Float32Array(outCh).fill(factory.biasInit), true);

  let dropoutCalls = 0;
  const dropoutBase = Math.floor(createRng(seed ^ 0x5bd1e995)() * 2 ** 31);

  // Inference weights (BN folded into the conv; phase kernels of the up-convs), cached per
  // layer and recomputed only when a source variable was reassigned (training, loading):
  // recomputing them costs ~70 small kernels, about a tenth of a 128x128 prediction.
  const inferenceCache = new Map<string, { sources: object[]; tensors: tf.Tensor[] }>();
  const cachedWeights = (key: string, cb: ConvBn, make: () => tf.Tensor[]): tf.Tensor[] => {
    const sources = [cb.kernel, cb.bn.gamma, cb.bn.beta, cb.bn.movingMean, cb.bn.movingVar].map((v) => v.dataId);
    const hit = inferenceCache.get(key);
    if (hit && hit.sources.every((id, i) => id === sources[i]) && hit.tensors.every((t) => !t.isDisposed)) return hit.tensors;
    if (hit) tf.dispose(hit.tensors);
    const tensors = make().map((t) => tf.keep(t));
    inferenceCache.set(key, { sources, tensors });
    return tensors;
  };

  const block = (x: tf.Tensor4D, cb: ConvBn, lo: LayerOptions): tf.Tensor4D => {
    if (!lo.training) {
      const [kernel, bias] = cachedWeights(cb.kernel.name, cb, () => {
        const f = foldBatchNorm(cb.kernel as tf.Tensor4D, cb.bn);
        return [f.kernel, f.bias];
      });
      return convBiasRelu(x, kernel as tf.Tensor4D, bias as tf.Tensor1D);
    }
    return bnRelu(conv3x3(x, cb.kernel as tf.Tensor4D), cb.bn, lo);
  };

  const upBlock = (x: tf.Tensor4D, cb: ConvBn, lo: LayerOptions): tf.Tensor4D => {
    if (!lo.training) {
      const fast = useFastPath(lo.fast);
      const [kernel, bias] = cachedWeights(`${cb.kernel.name}/${fast ? 'phase' : 'plain'}`, cb, () => {
        const f = foldBatchNorm(cb.kernel as tf.Tensor4D, cb.bn);
        if (!fast) return [f.kernel, f.bias];
        const p = upConvPhaseWeights(f.kernel, f.bias);
        tf.dispose([f.kernel, f.bias]);
        return [p.kernel, p.bias as tf.Tensor1D];
      });
      return fast
        ? upConvFromPhaseWeights(x, { kernel: kernel as tf.Tensor4D, bias: bias as tf.Tensor1D }, true)
        : upConv(x, kernel as tf.Tensor4D, { fast: false, bias: bias as tf.Tensor1D, relu: true });
    }
    return bnRelu(upConv(x, cb.kernel as tf.Tensor4D, { fast: lo.fast }), cb.bn, lo);
  };

  const apply = (x: tf.Tensor4D, options: ApplyOptions = {}): tf.Tensor4D => {
    const lo: LayerOptions = {
      training: options.training ?? false,
      updateStats: options.updateStats ?? true,
      fast: options.fast ?? true,
    };
    if (x.rank !== 4 || x.shape[3] !== config.inChannels) {
      throw new Error(`U-Net input must be [N, H, W, ${config.inChannels}], got [${x.shape.join(', ')}]`);
    }
    const div = 2 ** config.depth;
    if (x.shape[1] % div !== 0 || x.shape[2] % div !== 0) {
      throw new Error(`U-Net input height/width must be divisible by ${div}, got ${x.shape[1]}x${x.shape[2]}`);
    }
    return tf.tidy(() => {
      const skips: tf.Tensor4D[] = [];
      let h = x;
      encoder.forEach((level, i) => {
        h = block(block(h, level.conv1, lo), level.conv2, lo);
        if (i < encoder.length - 1) {
          skips.push(h);
          h = maxPool2(h);
        }
      });
      for (const level of decoder) {
        const skip = skips.pop() as tf.Tensor4D;
        const up = upBlock(h, level.up, lo);
        h = block(block(concatChannels(up, skip), level.conv1, lo), level.conv2, lo);
      }
      if (lo.training && config.dropout > 0) {
        const seed = options.dropoutSeed ?? dropoutBase + dropoutCalls++;
        h = dropout(h, config.dropout, seed, lo.fast);
      }
      return outConv(h, outKernel as tf.Tensor4D, outBias as tf.Tensor1D);
    });
  };

  const predictProbs = (x: tf.Tensor4D): tf.Tensor4D =>
    tf.tidy(() => {
      const logits = apply(x, { training: false });
      return config.task === 'binary' ? tf.sigmoid(logits) : tf.softmax(logits);
    });

  return {
    family: 'unet',
    config,
    variables,
    trainableVariables: () => [...trainable].map((n) => variables.get(n) as tf.Variable),
    apply,
    predictProbs,
    paramCount: () => [...trainable].reduce((s, n) => s + (variables.get(n) as tf.Variable).size, 0),
    dispose: () => {
      for (const v of variables.values()) v.dispose();
      for (const e of inferenceCache.values()) tf.dispose(e.tensors);
      inferenceCache.clear();
    },
  };
}
