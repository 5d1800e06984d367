// The U-Net's building blocks as functions of explicit variables. Each has a fast path on
// backends with the project's kernels (wasm, cpu) and a generic tfjs-op path (tfjs-node);
// both compute the same function, so weights move freely between backends.
import * as tf from '@tensorflow/tfjs-core';
import { BN_RELU_TRAIN } from '../kernels/BnReluTrain';
import { DROPOUT } from '../kernels/Dropout';
import { PHASE_INTERLEAVE } from '../kernels/PhaseInterleave';
import { PHASE_INTERLEAVE_GRAD } from '../kernels/PhaseInterleaveGrad';
import { hasProjectKernels } from '../kernels/registerWasmKernels';
import { customOp } from './customOp';

export const BN_EPSILON = 1e-5;
/** PyTorch convention: running = (1 - m) * running + m * batch (unbiased variance). */
export const BN_MOMENTUM = 0.1;

export interface BatchNormVars {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVar: tf.Variable;
}

export interface LayerOptions {
  training: boolean;
  /** Update the running statistics (training only; off for e.g. gradient checks). */
  updateStats: boolean;
  /** Use the project kernels when the backend has them (tests compare both paths). */
  fast: boolean;
}

export function useFastPath(requested: boolean): boolean {
  return requested && hasProjectKernels(tf.getBackend());
}

function engineKernel<T extends tf.Tensor | tf.Tensor[]>(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, number> = {}): T {
  return tf.engine().runKernel(name, inputs, attrs) as T;
}

/** 3x3 'same' convolution without bias (a bias before batch norm would be cancelled by it). */
export function conv3x3(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(x, kernel, 1, 'same');
}

/** `x` with its static type restated (tfjs ops return Tensor<Rank>). */
function as4d(x: tf.Tensor): tf.Tensor4D {
  return x as tf.Tensor4D;
}

/**
 * Batch norm + ReLU. Training: batch statistics, running statistics updated (PyTorch
 * semantics); inference: running statistics.
 */
export function bnRelu(x: tf.Tensor4D, bn: BatchNormVars, opts: LayerOptions): tf.Tensor4D {
  if (!opts.training) {
    return as4d(tf.relu(tf.batchNorm(x, bn.movingMean, bn.movingVar, bn.beta, bn.gamma, BN_EPSILON)));
  }
  let y: tf.Tensor4D;
  let mean: tf.Tensor1D;
  let variance: tf.Tensor1D;
  const owned: tf.Tensor[] = [];
  if (useFastPath(opts.fast)) {
    // A kernel with a registered gradient (kernels/BnReluTrain.ts), recorded on the tape.
    const [out, m, invStd] = engineKernel<tf.Tensor[]>(BN_RELU_TRAIN, { x, gamma: bn.gamma, beta: bn.beta }, { epsilon: BN_EPSILON });
    y = out as tf.Tensor4D;
    mean = m as tf.Tensor1D;
    // invStd = 1 / sqrt(var + eps)  =>  var = 1 / invStd^2 - eps
    variance = tf.tidy(() => tf.sub(tf.reciprocal(tf.square(invStd)), BN_EPSILON)) as tf.Tensor1D;
    owned.push(m, invStd, variance);
  } else {
    // Elementary ops only, so the generic path differentiates with any gradient set.
    const moments = tf.moments(x, [0, 1, 2]);
    mean = moments.mean as tf.Tensor1D;
    variance = moments.variance as tf.Tensor1D;
    const scale = tf.mul(bn.gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
    y = as4d(tf.relu(tf.add(tf.mul(tf.sub(x, mean), scale), bn.beta)));
  }
  if (opts.updateStats) {
    const count = x.size / x.shape[3];
    tf.tidy(() => {
      const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
      bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
      bn.movingVar.assign(tf.add(tf.mul(bn.movingVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
    });
  }
  tf.dispose(owned);
  return y;
}

/** Inference: conv + batch norm + ReLU folded into one fused convolution with bias. */
export function foldBatchNorm(kernel: tf.Tensor4D, bn: BatchNormVars): { kernel: tf.Tensor4D; bias: tf.Tensor1D } {
  return tf.tidy(() => {
    const a = tf.div(bn.gamma, tf.sqrt(tf.add(bn.movingVar, BN_EPSILON)));
    return {
      kernel: tf.mul(kernel, a) as tf.Tensor4D,
      bias: tf.sub(bn.beta, tf.mul(bn.movingMean, a)) as tf.Tensor1D,
    };
  });
}

export function convBiasRelu(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  return tf.fused.conv2d({ x, filter: kernel, strides: 1, pad: 'same', bias, activation: 'relu' });
}

export function maxPool2(x: tf.Tensor4D): tf.Tensor4D {
  return tf.maxPool(x, 2, 2, 'valid');
}

export function concatChannels(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
  return tf.concat([a, b], 3);
}

/**
 * Nearest-neighbour 2x up-sampling followed by a 3x3 'same' convolution (PyTorch's
 * Upsample + Conv2d). Fast path: every output phase (row parity a, column parity b) of that
 * composite is a 2x2 convolution of the low-resolution input whose taps are sums of the 3x3
 * taps, so one 2x2 convolution with 4x the output channels, padded by 1, plus an interleave,
 * gives the same result with 4/9 of the multiply-adds and no up-sampled copy of the input.
 * Optional bias/ReLU are for the folded inference path.
 */
export function upConv(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  opts: { fast: boolean; bias?: tf.Tensor1D; relu?: boolean },
): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (!useFastPath(opts.fast)) {
    // Pixel repetition by a broadcasting multiply rather than tf.image.resizeNearestNeighbor:
    // tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad is wrong for batch > 1.
    const [n, , , c] = x.shape;
    const up = tf.reshape(tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [n, 2 * h, 2 * w, c]) as tf.Tensor4D;
    if (opts.bias) {
      return tf.fused.conv2d({ x: up, filter: kernel, strides: 1, pad: 'same', bias: opts.bias, activation: opts.relu ? 'relu' : 'linear' });
    }
    const y = tf.conv2d(up, kernel, 1, 'same');
    return opts.relu ? tf.relu(y) : y;
  }
  const weights = upConvPhaseWeights(kernel, opts.bias);
  const y = upConvFromPhaseWeights(x, weights, opts.relu === true);
  tf.dispose([weights.kernel, weights.bias ?? []].flat());
  return y;
}

/** The 2x2 kernel with 4x the output channels (and the matching bias) of the fast up-conv. */
export interface PhaseWeights {
  kernel: tf.Tensor4D;
  bias?: tf.Tensor1D;
}

/** Phase weights of a 3x3 up-conv kernel: taps summed per output parity (see upConv). */
export function upConvPhaseWeights(kernel: tf.Tensor4D, bias?: tf.Tensor1D): PhaseWeights {
  const [, , cin, cout] = kernel.shape;
  return tf.tidy(() => {
    const flat = tf.reshape(kernel, [9, cin * cout]);
    const combined = tf.matMul(phaseMatrix(), flat); // [16, cin*cout], rows (r, s, phase)
    const k5 = tf.reshape(combined, [2, 2, 4, cin, cout]);
    const k = tf.reshape(tf.transpose(k5, [0, 1, 3, 2, 4]), [2, 2, cin, 4 * cout]) as tf.Tensor4D;
    return bias ? { kernel: k, bias: tf.tile(bias, [4]) as tf.Tensor1D } : { kernel: k };
  });
}

/** Fast up-conv from precomputed phase weights (the inference path caches them). */
export function upConvFromPhaseWeights(x: tf.Tensor4D, weights: PhaseWeights, relu: boolean): tf.Tensor4D {
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [1, 1], [1, 1], [0, 0]];
  const t = weights.bias
    ? tf.fused.conv2d({ x, filter: weights.kernel, strides: 1, pad, bias: weights.bias, activation: relu ? 'relu' : 'linear' })
    : tf.conv2d(x, weights.kernel, 1, pad);
  const interleave = customOp(([ti]) => ({
    value: engineKernel<tf.Tensor>(PHASE_INTERLEAVE, { x: ti }),
    gradFunc: (dy: tf.Tensor) => engineKernel<tf.Tensor>(PHASE_INTERLEAVE_GRAD, { dy }),
  }));
  const y = interleave(t) as tf.Tensor4D;
  return relu && !weights.bias ? tf.relu(y) : y;
}

let phaseMatrixCache: { backend: string; m: tf.Tensor2D } | null = null;

/**
 * M[(r*2+s)*4 + (2a+b), u*3+v] = A[a][r][u] * A[b][s][v], where A[p][r][u] says whether
 * 3x3 tap u lands on low-resolution tap r for output parity p:
 * parity 0 reads rows (i-1, i, i) -> taps {0}, {1,2}; parity 1 reads (i, i, i+1) -> {0,1}, {2}.
 */
function phaseMatrix(): tf.Tensor2D {
  const backend = tf.getBackend();
  if (phaseMatrixCache && phaseMatrixCache.backend === backend && !phaseMatrixCache.m.isDisposed) {
    return phaseMatrixCache.m;
  }
  const A = [
    [[1, 0, 0], [0, 1, 1]],
    [[1, 1, 0], [0, 0, 1]],
  ];
  const m = new Float32Array(16 * 9);
  for (let r = 0; r < 2; r++)
    for (let s = 0; s < 2; s++)
      for (let a = 0; a < 2; a++)
        for (let b = 0; b < 2; b++)
          for (let u = 0; u < 3; u++)
            for (let v = 0; v < 3; v++) m[((r * 2 + s) * 4 + 2 * a + b) * 9 + u * 3 + v] = A[a][r][u] * A[b][s][v];
  const t = tf.keep(tf.tensor2d(m, [16, 9]));
  phaseMatrixCache = { backend, m: t };
  return t;
}

/**
 * Inverted dropout (training only). Fast path: one kernel that regenerates its mask from the
 * seed, so the gradient is the same kernel applied to dy.
 */
export function dropout(x: tf.Tensor4D, rate: number, seed: number, fast = true): tf.Tensor4D {
  if (rate <= 0) return x;
  if (!useFastPath(fast)) return tf.dropout(x, rate, undefined, seed) as tf.Tensor4D;
  const attrs = { rate, seed: seed >>> 0 };
  const op = customOp(([xi]) => ({
    value: engineKernel<tf.Tensor>(DROPOUT, { x: xi }, attrs),
    gradFunc: (dy: tf.Tensor) => engineKernel<tf.Tensor>(DROPOUT, { x: dy }, attrs),
  }));
  return op(x) as tf.Tensor4D;
}

/** 1x1 output convolution with bias: logits. */
export function outConv(x: tf.Tensor4D, kernel: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  return tf.fused.conv2d({ x, filter: kernel, strides: 1, pad: 'valid', bias });
}
