// The LSTM-CNN's side of the clip-training seam (../../../training/clip/clip-seam.ts): the
// report's training step (cross-entropy on each clip's last frame, Adam, optional clipping,
// ./clip-training.ts), evaluation of the last frames, and streaming through step() with the
// state carried from frame to frame.
import * as tf from '@tensorflow/tfjs-core';
import { deserializeModel } from '../../../model/serialize';
import { TfClipNetwork } from '../../../training/clip/tf-clip-network';
import type { ClipBatch, ClipEvaluation, ClipNetworkOptions, ClipStream, ClipTraining } from '../../../training/clip/clip-seam';
import { SUBSAMPLING, type LstmCnnConfig } from '../config';
import { trainClipStep } from './clip-training';
import { createLstmCnn, type LstmCnnNetwork, type LstmCnnState } from './lstm-cnn';

/**
 * The similar CNNs read each frame alone, so only the last frame of a clip reaches the loss:
 * the others are dropped before the network (5x less work, the same loss and gradients).
 */
export function lastFrameOnly(b: ClipBatch): ClipBatch {
  const frame = b.h * b.w * b.c;
  const x = new Float32Array(b.n * frame);
  for (let i = 0; i < b.n; i++) x.set(b.x.subarray((i * b.t + b.t - 1) * frame, (i * b.t + b.t) * frame), i * frame);
  return { ...b, x, t: 1 };
}

function batchTensors(b: ClipBatch): { clips: tf.Tensor5D; labels: tf.Tensor4D } {
  return {
    clips: tf.tensor5d(b.x, [b.n, b.t, b.h, b.w, b.c]),
    labels: tf.tensor4d(Float32Array.from(b.y), [b.n, b.h, b.w, 1]),
  };
}

class LstmCnnClipNetwork extends TfClipNetwork<LstmCnnNetwork> {
  readonly channels = 1;
  readonly sizeMultiple = SUBSAMPLING;

  private perFrame(b: ClipBatch): ClipBatch {
    return this.model.config.recurrence === 'none' && b.t > 1 ? lastFrameOnly(b) : b;
  }

  trainStep(batch: ClipBatch, clipNorm: number | null): number {
    const { clips, labels } = batchTensors(this.perFrame(batch));
    try {
      return trainClipStep(this.model, this.optimizer(), clips, labels, clipNorm ?? undefined);
    } finally {
      tf.dispose([clips, labels]);
    }
  }

  evaluate(batch: ClipBatch): ClipEvaluation {
    const b = this.perFrame(batch);
    const { clips, labels } = batchTensors(b);
    try {
      const [loss, probs] = tf.tidy(() => {
        const logits = this.model.forwardClips(clips);
        const last = tf.reshape<tf.Rank.R4>(tf.slice(logits, [0, b.t - 1, 0, 0, 0], [b.n, 1, b.h, b.w, 1]), [b.n, b.h, b.w, 1]);
        const l = clipLossOfLogits(last, labels);
        return [l, tf.sigmoid(last)];
      });
      const out = { loss: loss.dataSync()[0], probs: Float32Array.from(probs.dataSync()) };
      tf.dispose([loss, probs]);
      return out;
    } finally {
      tf.dispose([clips, labels]);
    }
  }

  stream(h: number, w: number): ClipStream {
    const net = this.model;
    const c = this.model.config.inChannels;
    let state: LstmCnnState | null = net.initialState(1, h, w);
    return {
      next(frame: Float32Array): Float32Array {
        if (!state) throw new Error('the stream is disposed');
        const x = tf.tensor4d(frame, [1, h, w, c]);
        const r = net.step(state, x);
        x.dispose();
        tf.dispose([state.c, state.h]);
        state = r.state;
        // P(cell) is the fed-back output h itself: no second sigmoid.
        const probs = Float32Array.from(r.state.h.dataSync());
        r.logits.dispose();
        return probs;
      },
      dispose(): void {
        if (state) tf.dispose([state.c, state.h]);
        state = null;
      },
    };
  }
}

/** The loss clipLoss computes, from last-frame logits already at hand (evaluation needs both). */
function clipLossOfLogits(last: tf.Tensor4D, labels: tf.Tensor4D): tf.Scalar {
  return tf.mean(tf.add(tf.sub(tf.relu(last), tf.mul(last, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(last)))))) as tf.Scalar;
}

export const lstmCnnClipTraining: ClipTraining<LstmCnnConfig> = {
  create: (config, seed, opts: ClipNetworkOptions) => new LstmCnnClipNetwork(createLstmCnn(config, seed), opts),
  async load(modelJson, weights, opts) {
    const model = await deserializeModel(JSON.parse(modelJson) as unknown, weights);
    if (model.family !== 'lstm-cnn') {
      model.dispose();
      throw new Error(`a ${model.family} model is not an LSTM-CNN`);
    }
    return new LstmCnnClipNetwork(model as LstmCnnNetwork, opts);
  },
};
