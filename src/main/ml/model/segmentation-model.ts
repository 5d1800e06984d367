// What every family's network is to the training step, the serializer and the engines
// (worker side): named tfjs variables, a forward pass, probabilities. A family builds one
// from its config (families/*/network.ts); nothing here knows which architecture it is.
import type * as tf from '@tensorflow/tfjs-core';
import type { BaseModelConfig } from '../families/common-config';

export interface ApplyOptions {
  /** Training mode: batch statistics, running-stat updates, dropout. Default false. */
  training?: boolean;
  /** Seed for this call's dropout mask (training). Default: the model's own sequence. */
  dropoutSeed?: number;
  /** Update batch-norm running statistics in training mode. Default true. */
  updateStats?: boolean;
  /** Use the project's fused kernels where the backend has them. Default true. */
  fast?: boolean;
}

export interface SegmentationModel<C extends BaseModelConfig = BaseModelConfig> {
  /** The family that built it (families/registry.ts), written into its model file. */
  readonly family: string;
  readonly config: C;
  /** Every variable under its stable name (e.g. 'enc0/conv1/kernel'), in creation order. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /** Variables the optimiser updates (kernels, biases, BN gamma/beta), in creation order (Adam matches its slots by it). */
  trainableVariables(): tf.Variable[];
  /** NHWC float32 input in [0, 1] -> logits [N, H, W, outputChannels]. */
  apply(x: tf.Tensor4D, options?: ApplyOptions): tf.Tensor4D;
  /** Inference probabilities: sigmoid (binary, 1 channel) or softmax (3/4 channels). */
  predictProbs(x: tf.Tensor4D): tf.Tensor4D;
  /** Number of trainable scalars. */
  paramCount(): number;
  dispose(): void;
}
