// Training pieces of the LSTM-CNN after the report, for a clip training loop:
// cross-entropy on the last frame of each clip (the frame to segment; the ones before it
// only build the state), Adam (0.9, 0.999, 1e-8) at the report's learning rate per network,
// optional gradient-norm clipping (the report advises it for the pooling and decoder
// networks), and the metrics at probability threshold 0.7.
// The clip trainer (../../../training/clip/) drives these through the family's clipTraining().
import * as tf from '@tensorflow/tfjs-core';
import { registerCoreGradients } from '../../../kernels/gradients';
export { REPORT_LEARNING_RATES } from '../config';
import type { LstmCnnNetwork } from './lstm-cnn';

/** The report's probability threshold for its metrics. */
export const REPORT_THRESHOLD = 0.7;

export function createClipOptimizer(learningRate: number): tf.Optimizer {
  return tf.train.adam(learningRate, 0.9, 0.999, 1e-8);
}

/** Mean binary cross-entropy of logits against 0/1 labels, computed stably from the logits. */
export function sigmoidCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const z = logits;
    // max(z, 0) - z*y + log(1 + exp(-|z|))
    const l = tf.add(tf.sub(tf.relu(z), tf.mul(z, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    return tf.mean(l) as tf.Scalar;
  });
}

/** The loss of clips [N, T, H, W, 1] against the last frames' labels [N, H, W, 1]. */
export function clipLoss(net: LstmCnnNetwork, clips: tf.Tensor5D, lastLabels: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const [n, t, h, w] = clips.shape;
    const last = tf.reshape(tf.slice(net.forwardClips(clips), [0, t - 1, 0, 0, 0], [n, 1, h, w, 1]), [n, h, w, 1]);
    return sigmoidCrossEntropy(last, lastLabels);
  });
}

/** One Adam step on a batch of clips; returns the loss before the step. */
export function trainClipStep(net: LstmCnnNetwork, optimizer: tf.Optimizer, clips: tf.Tensor5D, lastLabels: tf.Tensor4D, clipNorm?: number): number {
  registerCoreGradients();
  const { value, grads } = tf.variableGrads(() => clipLoss(net, clips, lastLabels), net.trainableVariables());
  let applied = grads;
  if (clipNorm !== undefined) {
    // Global-norm clipping: scale every gradient by min(1, clipNorm / ||g||).
    const norm = tf.tidy(() => Math.sqrt(Object.values(grads).reduce((s, g) => s + tf.sum(tf.square(g)).dataSync()[0], 0)));
    if (norm > clipNorm) {
      applied = Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, clipNorm / norm)]));
      tf.dispose(Object.values(grads));
    }
  }
  optimizer.applyGradients(applied);
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(applied)]);
  return loss;
}

export interface ThresholdMetrics {
  accuracy: number;
  recall: number;
  precision: number;
}

/** Accuracy, recall and precision of probabilities against 0/1 labels at `threshold` (pixels pooled). */
export function thresholdMetrics(probs: ArrayLike<number>, labels: ArrayLike<number>, threshold = REPORT_THRESHOLD): ThresholdMetrics {
  if (probs.length !== labels.length) throw new Error(`thresholdMetrics: ${probs.length} probabilities for ${labels.length} labels`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i] >= threshold;
    const y = labels[i] > 0.5;
    if (p && y) tp++;
    else if (p) fp++;
    else if (y) fn++;
    else tn++;
  }
  return {
    accuracy: probs.length ? (tp + tn) / probs.length : 0,
    recall: tp + fn ? tp / (tp + fn) : 0,
    precision: tp + fp ? tp / (tp + fp) : 0,
  };
}
