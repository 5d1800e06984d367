// The U-LSTM's side of the clip-training seam (../../../training/clip/clip-seam.ts), so
// `hemaseg train --family u-lstm` and streaming `segment` run it through the clip trainer.
// The seam's batches label each clip's last frame only (classTargets of the task): the loss
// is taken on that frame, the earlier frames build the state, and a clip longer than the
// unroll is cut into truncated-BPTT windows (./training.ts). Multiclass-edge targets (0..3)
// map to the paper's classes (background, cell = cytoplasm or nucleus, edge); binary targets
// get the boundary weights between their connected components (the seam carries no instance
// map, so cells touching in the mask count as one: the experiment seed001 trains from the
// instance masks instead). RMSProp at the paper's 1e-4 unless the request names another.
import * as tf from '@tensorflow/tfjs-core';
import { connectedComponents } from '../../../../../shared/core/cells';
import { deserializeModel } from '../../../model/serialize';
import { TfClipNetwork } from '../../../training/clip/tf-clip-network';
import type { ClipBatch, ClipEvaluation, ClipNetworkOptions, ClipStream, ClipTraining } from '../../../training/clip/clip-seam';
import { boundaryWeights, twoClassTargets } from '../boundary';
import type { ULstmConfig } from '../config';
import { classBalance, trainClipBatchTbptt, weightedLoss, type ClipBatch as ULstmBatch } from './training';
import { createULstm, type ULstmNetwork } from './u-lstm';

/** The seam's batch as the U-LSTM's: targets and weights on the last frame of each clip, weight 0 elsewhere. */
export function fromSeamBatch(b: ClipBatch, task: 'multiclass-edge' | 'binary'): ULstmBatch {
  if (b.c !== 1) throw new Error(`u-lstm: clips must have 1 channel, got ${b.c}`);
  if (b.h !== b.w) throw new Error(`u-lstm: training clips must be square, got ${b.w}x${b.h}`);
  const px = b.h * b.w;
  const targets = new Uint8Array(b.n * b.t * px);
  let weights: Float32Array = new Float32Array(b.n * b.t * px);
  const labelled = new Uint8Array(b.n * b.t * px);
  for (let k = 0; k < b.n; k++) {
    const y = b.y.subarray(k * px, (k + 1) * px);
    const off = (k * b.t + b.t - 1) * px;
    labelled.fill(1, off, off + px);
    if (task === 'binary') {
      const ids = connectedComponents(b.w, b.h, (i) => y[i] !== 0, 4).ids;
      const y2 = twoClassTargets(ids, b.w, b.h);
      targets.set(y2, off);
      weights.set(boundaryWeights(ids, y2, b.w, b.h), off);
    } else {
      for (let i = 0; i < px; i++) targets[off + i] = y[i] === 0 ? 0 : y[i] === 3 ? 2 : 1;
    }
  }
  if (task !== 'binary') weights = classBalance(targets, labelled, 3);
  return { n: b.n, t: b.t, size: b.h, frames: b.x, targets, weights };
}

class ULstmClipNetwork extends TfClipNetwork<ULstmNetwork> {
  readonly channels: number;
  readonly sizeMultiple: number;

  constructor(model: ULstmNetwork, opts: ClipNetworkOptions) {
    super(model, { ...opts, optimizer: opts.optimizer ?? 'rmsprop' });
    this.channels = model.config.task === 'binary' ? 1 : 4;
    this.sizeMultiple = 2 ** model.config.depth;
  }

  private get task(): 'multiclass-edge' | 'binary' {
    return this.model.config.task === 'binary' ? 'binary' : 'multiclass-edge';
  }

  trainStep(b: ClipBatch, clipNorm: number | null): number {
    return trainClipBatchTbptt(this.model, this.optimizer(), fromSeamBatch(b, this.task), this.model.config.unroll, clipNorm);
  }

  evaluate(b: ClipBatch): ClipEvaluation {
    const batch = fromSeamBatch(b, this.task);
    const clips = tf.tensor5d(b.x, [b.n, b.t, b.h, b.w, 1]);
    const r = this.model.forwardClips(clips);
    try {
      const [loss, probs] = tf.tidy(() => {
        const k = r.logits.shape[4];
        const last = tf.reshape<tf.Rank.R4>(tf.slice(r.logits, [0, b.t - 1, 0, 0, 0], [b.n, 1, b.h, b.w, k]), [b.n, b.h, b.w, k]);
        const px = b.h * b.w;
        const y = tf.tensor4d(Int32Array.from({ length: b.n * px }, (_, i) => batch.targets[(Math.floor(i / px) * b.t + b.t - 1) * px + (i % px)]), [b.n, b.h, b.w, 1], 'int32');
        const w = tf.tensor4d(Float32Array.from({ length: b.n * px }, (_, i) => batch.weights[(Math.floor(i / px) * b.t + b.t - 1) * px + (i % px)]), [b.n, b.h, b.w, 1]);
        const l = weightedLoss(k === 1 ? last : tf.reshape(last, [b.n, b.h, b.w, 1, k]), y, w, this.task);
        const p = this.model.toProjectLogits(last);
        return [l, this.task === 'binary' ? tf.sigmoid(p) : tf.softmax(p)];
      });
      const out = { loss: loss.dataSync()[0], probs: Float32Array.from(probs.dataSync()) };
      tf.dispose([loss, probs]);
      return out;
    } finally {
      tf.dispose([clips, r.logits]);
      this.model.disposeState(r.state);
    }
  }

  stream(h: number, w: number): ClipStream {
    const net = this.model;
    const binary = this.task === 'binary';
    let state: ReturnType<ULstmNetwork['initialState']> | null = net.initialState(1, h, w);
    return {
      next(frame: Float32Array): Float32Array {
        if (!state) throw new Error('the stream is disposed');
        const x = tf.tensor4d(frame, [1, h, w, 1]);
        const r = net.step(state, x);
        x.dispose();
        net.disposeState(state);
        state = r.state;
        const p = tf.tidy(() => (binary ? tf.sigmoid(r.logits) : tf.softmax(r.logits)));
        const probs = Float32Array.from(p.dataSync());
        tf.dispose([p, r.logits]);
        return probs;
      },
      dispose(): void {
        if (state) net.disposeState(state);
        state = null;
      },
    };
  }
}

export const uLstmClipTraining: ClipTraining<ULstmConfig> = {
  create: (config, seed, opts) => new ULstmClipNetwork(createULstm(config, seed), opts),
  async load(modelJson, weights, opts) {
    const model = await deserializeModel(JSON.parse(modelJson) as unknown, weights);
    if (model.family !== 'u-lstm') {
      model.dispose();
      throw new Error(`a ${model.family} model is not a U-LSTM`);
    }
    return new ULstmClipNetwork(model as ULstmNetwork, opts);
  },
};
