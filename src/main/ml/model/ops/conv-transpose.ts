// Transposed convolution ("deconvolution", Keras Conv2DTranspose): up-sampling by stride s
// with a learned K x K filter. Differentiable in x and filter. On wasm the forward pass is
// kernels/Conv2DBackpropInput.ts (s*s phases as one low-resolution convolution), the input
// gradient a strided convolution and the filter gradient kernels/Conv2DBackpropFilter.ts.
import * as tf from '@tensorflow/tfjs-core';

export interface ConvTransposeOptions {
  /** Up-sampling factor. Default 2. */
  stride?: number;
  /** 'same': output = input * stride; 'valid': (input - 1) * stride + K (Keras). Default 'same'. */
  pad?: 'same' | 'valid';
}

/**
 * x [N, H, W, Cin], filter [K, K, Cout, Cin] (Keras / tfjs layout) -> [N, H', W', Cout].
 */
export function convTranspose2d(x: tf.Tensor4D, filter: tf.Tensor4D, options: ConvTransposeOptions = {}): tf.Tensor4D {
  const s = options.stride ?? 2;
  const pad = options.pad ?? 'same';
  const [N, H, W, C] = x.shape;
  const [KH, KW, CO, CI] = filter.shape;
  if (CI !== C) throw new Error(`convTranspose2d: filter [${filter.shape.join(', ')}] expects ${CI} input channels, x has ${C}`);
  const size = (n: number, k: number) => (pad === 'same' ? n * s : n * s + Math.max(k - s, 0));
  return tf.conv2dTranspose(x, filter, [N, size(H, KH), size(W, KW), CO], s, pad);
}
