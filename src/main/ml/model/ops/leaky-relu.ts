// Leaky ReLU: x for x > 0, alpha * x otherwise. Differentiable; the gradient is one pass on
// wasm/cpu (kernels/LeakyReluGrad.ts).
import * as tf from '@tensorflow/tfjs-core';

/** Default slope 0.2 (tfjs; Keras uses 0.3: pass it explicitly to match a Keras model). */
export function leakyRelu<T extends tf.Tensor>(x: T, alpha = 0.2): T {
  if (!(alpha >= 0 && alpha < 1)) throw new Error(`leakyRelu: alpha must be in [0, 1), got ${alpha}`);
  return tf.leakyRelu(x, alpha);
}
