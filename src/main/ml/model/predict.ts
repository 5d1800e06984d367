// Turning probabilities into class maps (the inference engineer resizes probabilities to
// each image's own size first, then calls this).
import * as tf from '@tensorflow/tfjs-core';
import type { ModelTask } from '../../../shared/domain';

/**
 * probs [N, H, W, C] from Unet.predictProbs -> class indices [N, H, W] int32:
 * binary: probability >= threshold -> 1 (cell); otherwise argmax over classes.
 */
export function probsToClasses(probs: tf.Tensor4D, task: ModelTask, threshold = 0.5): tf.Tensor3D {
  return tf.tidy(() => {
    if (task === 'binary') {
      return tf.cast(tf.greaterEqual(tf.squeeze(probs, [3]), threshold), 'int32') as tf.Tensor3D;
    }
    return tf.cast(tf.argMax(probs, 3), 'int32') as tf.Tensor3D;
  });
}
