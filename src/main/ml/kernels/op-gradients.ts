// Gradients of the ops the SegNet / DeconvNet / LSTM families add to the tape (max-pool with
// switches, max-unpooling, transposed convolution, bilinear up-sampling, leaky ReLU), plus
// generic formulations of the unpooling scatter and gather for backends without the project
// kernels (tfjs-node). Registered by registerCoreGradients beside gradients.ts; stock kernel
// names are skipped when an official gradient is already registered, the project's own
// kernels (Hema*) always get theirs.
import * as tf from '@tensorflow/tfjs-core';
import { getKernel, type GradConfig, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';
import { LEAKY_RELU_GRAD } from './LeakyReluGrad';
import { MAX_UNPOOL } from './MaxUnpool';
import { MAX_UNPOOL_GRAD } from './MaxUnpoolGrad';

type Grads = Record<string, () => Tensor>;

function hasKernel(name: string): boolean {
  return getKernel(name, tf.getBackend()) !== undefined;
}

/** Flat per-tensor positions of per-image (or per-batch) switches. */
function flatPositions(indices: Tensor, imageSize: number, includeBatchInIndex: boolean): Tensor {
  const idx = tf.cast(indices, 'int32');
  if (includeBatchInIndex) return tf.reshape(idx, [-1]);
  const n = indices.shape[0];
  const offsets = tf.reshape(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(imageSize, 'int32')), [n, 1, 1, 1]);
  return tf.reshape(tf.add(idx, offsets), [-1]);
}

/** y[idx] += x, zeros elsewhere: HemaMaxUnpool where registered, else generic ops. */
export function unpoolScatter(x: Tensor, indices: Tensor, outputShape: number[], includeBatchInIndex: boolean, window?: NamedAttrMap): Tensor {
  if (hasKernel(MAX_UNPOOL)) {
    return tf.engine().runKernel(MAX_UNPOOL, { x, indices }, { outputShape, includeBatchInIndex, ...window } as unknown as NamedAttrMap) as Tensor;
  }
  return unpoolScatterGeneric(x, indices, outputShape, includeBatchInIndex);
}

/** The scatter as a segment sum (no index checks beyond the ops' own). */
export function unpoolScatterGeneric(x: Tensor, indices: Tensor, outputShape: number[], includeBatchInIndex: boolean): Tensor {
  return tf.tidy(() => {
    const per = outputShape[1] * outputShape[2] * outputShape[3];
    const flat = flatPositions(indices, per, includeBatchInIndex);
    return tf.reshape(tf.unsortedSegmentSum(tf.reshape(x, [-1]), flat as tf.Tensor1D, outputShape[0] * per), outputShape);
  });
}

/** dx = dy[idx]: HemaMaxUnpoolGrad where registered, else generic ops. */
export function unpoolGather(dy: Tensor, indices: Tensor, includeBatchInIndex: boolean, window?: NamedAttrMap): Tensor {
  if (hasKernel(MAX_UNPOOL_GRAD)) {
    return tf.engine().runKernel(MAX_UNPOOL_GRAD, { dy, indices }, { includeBatchInIndex, ...window } as unknown as NamedAttrMap) as Tensor;
  }
  return unpoolGatherGeneric(dy, indices, includeBatchInIndex);
}

export function unpoolGatherGeneric(dy: Tensor, indices: Tensor, includeBatchInIndex: boolean): Tensor {
  return tf.tidy(() => {
    const [, h, w, c] = dy.shape as number[];
    const flat = flatPositions(indices, h * w * c, includeBatchInIndex);
    return tf.reshape(tf.gather(tf.reshape(dy, [-1]), flat), indices.shape);
  });
}

/** The pooling geometry among a kernel's attrs, when it was given. */
function windowAttrs(attrs: NamedAttrMap): NamedAttrMap | undefined {
  return attrs.filterSize === undefined ? undefined : ({ filterSize: attrs.filterSize, strides: attrs.strides, pad: attrs.pad } as NamedAttrMap);
}

function first(dy: Tensor | Tensor[]): Tensor {
  return Array.isArray(dy) ? dy[0] : dy;
}

export const OP_GRADIENTS: GradConfig[] = [
  {
    // Outputs [result, indexes]; only the values carry a gradient, routed to each maximum.
    kernelName: 'MaxPoolWithArgmax',
    inputsToSave: ['x'],
    outputsToSave: [false, true],
    gradFunc: (dy, saved, attrs): Grads => {
      const [x, indexes] = saved;
      const batch = Boolean(attrs.includeBatchInIndex);
      const window = { filterSize: attrs.filterSize, strides: attrs.strides, pad: attrs.pad } as NamedAttrMap;
      return { x: () => unpoolScatter(first(dy), indexes, x.shape, batch, window) };
    },
  },
  {
    kernelName: MAX_UNPOOL,
    inputsToSave: ['indices'],
    gradFunc: (dy, saved, attrs): Grads => {
      const [indices] = saved;
      return {
        x: () => unpoolGather(first(dy), indices, Boolean(attrs.includeBatchInIndex), windowAttrs(attrs)),
        indices: () => tf.zeros(indices.shape), // tfjs wants float32 gradients, also for int inputs
      };
    },
  },
  {
    kernelName: MAX_UNPOOL_GRAD,
    inputsToSave: ['dy', 'indices'],
    gradFunc: (ddx, saved, attrs): Grads => {
      const [dy, indices] = saved;
      return {
        dy: () => unpoolScatter(first(ddx), indices, dy.shape, Boolean(attrs.includeBatchInIndex), windowAttrs(attrs)),
        indices: () => tf.zeros(indices.shape), // tfjs wants float32 gradients, also for int inputs
      };
    },
  },
  {
    kernelName: 'LeakyRelu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs): Grads => {
      const [x] = saved;
      const alpha = Number(attrs.alpha);
      return {
        x: () =>
          hasKernel(LEAKY_RELU_GRAD)
            ? (tf.engine().runKernel(LEAKY_RELU_GRAD, { dy: first(dy), x }, { alpha }) as Tensor)
            : tf.where(tf.greater(x, 0), first(dy), tf.mul(first(dy), alpha)),
      };
    },
  },
  {
    // Passes alignCorners and halfPixelCenters on (kernels/ResizeBilinearGrad.ts honours both).
    kernelName: 'ResizeBilinear',
    inputsToSave: ['images'],
    gradFunc: (dy, saved, attrs): Grads => ({
      images: () => tf.engine().runKernel('ResizeBilinearGrad', { images: saved[0], dy: first(dy) }, attrs) as Tensor,
    }),
  },
  {
    // Transposed convolution (tf.conv2dTranspose runs this kernel on {dy: x, filter}):
    // d(input) is the forward convolution of the output gradient, d(filter) its filter gradient.
    kernelName: 'Conv2DBackpropInput',
    inputsToSave: ['dy', 'filter'],
    gradFunc: (ddx, saved, attrs): Grads => {
      const [dy, filter] = saved;
      const { strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
      const g = first(ddx) as tf.Tensor4D;
      return {
        dy: () => tf.conv2d(g, filter as tf.Tensor4D, strides, pad, dataFormat, 1, dimRoundingMode),
        filter: () =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x: g, dy }, {
            strides, pad, dataFormat, dimRoundingMode, filterShape: filter.shape,
          } as unknown as NamedAttrMap) as Tensor,
      };
    },
  },
];
