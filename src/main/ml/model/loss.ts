// Losses on integer class maps: binary cross-entropy on one sigmoid logit, categorical
// cross-entropy on softmax logits; optional per-class weights, normalised like PyTorch
// (sum of w_i * loss_i over sum of w_i).
import * as tf from '@tensorflow/tfjs-core';
import type { ModelTask } from '../../../shared/domain';
import { numClasses } from '../families/common-config';
import { customOp } from './customOp';

export interface LossOptions {
  /** One weight per class index (binary: [background, cell]). */
  classWeights?: readonly number[];
}

/**
 * Mean cross-entropy. `logits` [N, H, W, C] (C = 1 for binary); `labels` [N, H, W] class
 * indices (any numeric dtype; binary: 0 background, 1 cell). Returns a scalar.
 *
 * The gradient is written out (softmax - one-hot, or sigmoid - label, times the pixel weight
 * over the weight sum) instead of differentiating log-sum-exp op by op: the generic path
 * routes through Max's gradient, whose broadcasting Equal is slow on wasm.
 */
export function lossFn(logits: tf.Tensor4D, labels: tf.Tensor3D, options: LossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const C = logits.shape[3];
    const y = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    const weights = options.classWeights;
    const nClasses = Math.max(C, 2);
    if (weights && weights.length !== nClasses) {
      throw new Error(`classWeights needs ${nClasses} values, got ${weights.length}`);
    }
    // Per-pixel weights [N, H, W, 1] (ones without class weights) and their sum.
    const w = weights
      ? tf.expandDims(tf.gather(tf.tensor1d(weights as number[], 'float32'), y), 3)
      : tf.ones([...y.shape, 1], 'float32');
    const denom = tf.maximum(tf.sum(w), 1e-12);
    const target = C === 1 ? tf.expandDims(tf.cast(y, 'float32'), 3) : tf.reshape(tf.oneHot(tf.reshape(y, [-1]), C), logits.shape);
    const op = customOp(([z, t, wt, d], save) => {
      save([z, t, wt, d]);
      let perPixel: tf.Tensor;
      if (C === 1) {
        // max(z, 0) - z*y + log(1 + exp(-|z|)): stable for any logit.
        perPixel = tf.add(tf.sub(tf.relu(z), tf.mul(z, t)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
      } else {
        perPixel = tf.sub(tf.logSumExp(z, 3, true), tf.sum(tf.mul(z, t), 3, true));
      }
      return {
        value: tf.div(tf.sum(tf.mul(perPixel, wt)), d),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [sz, st, sw, sd] = saved;
          const p = C === 1 ? tf.sigmoid(sz) : tf.softmax(sz);
          const scale = tf.div(tf.mul(sw, dy), sd);
          return [tf.mul(tf.sub(p, st), scale), tf.zerosLike(st), tf.zerosLike(sw), tf.zerosLike(sd)];
        },
      };
    });
    return op(logits, target, w, denom) as tf.Scalar;
  });
}

/**
 * Maps project label values (0 background, 1 cytoplasm, 2 nucleus, 3 edge) to the class
 * indices a task predicts. Edge pixels lie on the cell's own contour, so tasks without an
 * edge class count them as cell (binary) / cytoplasm (multiclass).
 */
export function labelToClass(label: number, task: ModelTask): number {
  if (task === 'binary') return label === 0 ? 0 : 1;
  if (task === 'multiclass') return label === 3 ? 1 : label;
  return label;
}

/** Vectorised labelToClass into a new array (values >= numClasses are clamped to background). */
export function labelsToClasses(labels: Uint8Array, task: ModelTask): Uint8Array {
  const lut = new Uint8Array(256);
  const k = numClasses(task);
  for (let v = 0; v < 4; v++) {
    const c = labelToClass(v, task);
    lut[v] = c < k ? c : 0;
  }
  const out = new Uint8Array(labels.length);
  for (let i = 0; i < labels.length; i++) out[i] = lut[labels[i]];
  return out;
}
