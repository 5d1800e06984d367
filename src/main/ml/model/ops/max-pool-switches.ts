// Max-pooling that also returns its "switches" (the position of each maximum), for
// max-unpooling in SegNet and DeconvNet decoders. Differentiable in x (the gradient routes to
// the maxima, as plain max-pooling's). On wasm the kernel is the project's
// (kernels/MaxPoolWithArgmax.ts); elsewhere tfjs's own MaxPoolWithArgmax.
import * as tf from '@tensorflow/tfjs-core';

export interface PoolOptions {
  /** Window [KH, KW] or K. Default 2. */
  filterSize?: number | [number, number];
  /** Default: the window size (non-overlapping). */
  strides?: number | [number, number];
  /** Default 'valid' (an odd last row/column is dropped). */
  pad?: 'valid' | 'same';
  /** Named in the errors of a mismatched unpooling (e.g. 'enc2/pool'). */
  layer?: string;
}

/** What max-unpooling needs: the indices and the pooling that produced them. */
export interface PoolSwitches {
  /** int32 [N, OH, OW, C]: flat position (h * W + w) * C + c of each maximum in its image. */
  indices: tf.Tensor4D;
  /** The pooled layer's shape [N, H, W, C]: the unpooling output. */
  inputShape: [number, number, number, number];
  /** [N, OH, OW, C]: the only shape these switches can unpool. */
  outputShape: [number, number, number, number];
  filterSize: [number, number];
  strides: [number, number];
  pad: 'valid' | 'same';
  layer: string;
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

export function maxPoolWithSwitches(x: tf.Tensor4D, options: PoolOptions = {}): { output: tf.Tensor4D; switches: PoolSwitches } {
  const filterSize = pair(options.filterSize ?? 2);
  const strides = pair(options.strides ?? filterSize);
  const pad = options.pad ?? 'valid';
  if (x.rank !== 4) throw new Error(`maxPoolWithSwitches: expected [N, H, W, C], got [${x.shape.join(', ')}]`);
  if (x.shape[1] < filterSize[0] || x.shape[2] < filterSize[1]) {
    throw new Error(`maxPoolWithSwitches${options.layer ? ` (${options.layer})` : ''}: input [${x.shape.join(', ')}] is smaller than the ${filterSize.join('x')} window`);
  }
  const { result, indexes } = tf.maxPoolWithArgmax(x, filterSize, strides, pad, false);
  const output = result as tf.Tensor4D;
  return {
    output,
    switches: {
      indices: indexes as tf.Tensor4D,
      inputShape: x.shape,
      outputShape: output.shape,
      filterSize,
      strides,
      pad,
      layer: options.layer ?? 'max-pool',
    },
  };
}
