// One optimisation step: forward in training mode, loss, gradients of the trainable
// variables, optional global-norm clipping, Adam update. Everything intermediate is freed.
import * as tf from '@tensorflow/tfjs-core';
import { hasProjectKernels } from '../kernels/registerWasmKernels';
import { SUM_SQUARES } from '../kernels/SumSquares';
import { lossFn, type LossOptions } from './loss';
import { FusedAdamOptimizer } from './optimizer';
import type { SegmentationModel } from './segmentation-model';

export interface AdamOptions {
  learningRate?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/**
 * Adam with the defaults (lr 1e-4, betas 0.9 / 0.999, eps 1e-8): a tf.AdamOptimizer
 * whose update runs as one fused kernel per variable on wasm/cpu (see optimizer.ts).
 */
export function createOptimizer(options: AdamOptions = {}): tf.AdamOptimizer {
  return new FusedAdamOptimizer(options.learningRate ?? 1e-4, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-8);
}

export interface TrainStepOptions extends LossOptions {
  /** Clip gradients to this global L2 norm (off when undefined or <= 0). */
  clipNorm?: number;
  /** Dropout seed for this step (default: the model's own sequence). */
  dropoutSeed?: number;
}

export interface TrainStepResult {
  loss: number;
  /** Global L2 norm of the gradients before clipping. */
  gradNorm: number;
}

/**
 * Runs one step on a batch: `x` [N, H, W, C] float32 in [0, 1], `y` [N, H, W] class indices
 * for the model's task. Updates the model's variables and batch-norm running statistics.
 */
export function trainStep(
  model: SegmentationModel,
  optimizer: tf.Optimizer,
  x: tf.Tensor4D,
  y: tf.Tensor3D,
  options: TrainStepOptions = {},
): TrainStepResult {
  const vars = model.trainableVariables();
  const [lossT, normT] = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(
      () => lossFn(model.apply(x, { training: true, dropoutSeed: options.dropoutSeed }), y, options),
      vars,
    );
    const list = vars.map((v) => ({ name: v.name, tensor: grads[v.name] }));
    const norm = globalNorm(list.map((g) => g.tensor));
    const clip = options.clipNorm;
    const clipped =
      clip !== undefined && clip > 0
        ? list.map((g) => ({ name: g.name, tensor: tf.mul(g.tensor, tf.div(clip, tf.maximum(norm, clip))) }))
        : list;
    optimizer.applyGradients(clipped);
    return [value, norm];
  });
  const [loss, gradNorm] = [lossT.dataSync()[0], normT.dataSync()[0]];
  tf.dispose([lossT, normT]);
  return { loss, gradNorm };
}

/** sqrt(sum of squares) over all tensors; one kernel launch on wasm/cpu. */
export function globalNorm(tensors: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => {
    if (hasProjectKernels(tf.getBackend())) {
      const inputs: tf.NamedTensorMap = {};
      tensors.forEach((t, i) => (inputs[i] = t));
      return tf.sqrt(tf.engine().runKernel(SUM_SQUARES, inputs) as tf.Tensor) as tf.Scalar;
    }
    return tf.sqrt(tf.addN(tensors.map((t) => tf.sum(tf.square(t))))) as tf.Scalar;
  });
}
