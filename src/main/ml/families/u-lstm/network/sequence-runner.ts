// Train a U-LSTM on labelled sequences for a time budget and segment sequences by streaming,
// in the calling process (TensorFlow.js): the U-LSTM's trainer for full per-frame labels with
// instance ids, which the two-class boundary weights need (the generic clip trainer's batches
// carry only the last frame's classes). Used by `hemaseg experiment seed001`, which runs it
// in-process as `hemaseg bench` does. Plain arrays in and out.
import { initBackend } from '../../../backend/initBackend';
import { serializeModel } from '../../../model/serialize';
import { Rng } from '../../../../synth/random';
import type { LabelledSequence } from '../augment';
import { resolveULstmConfig, type ULstmConfig } from '../config';
import { createULstmOptimizer, PAPER_BATCH, PAPER_LEARNING_RATE, sampleClipBatch, segmentSequenceStreaming, trainClipBatchTbptt } from './training';
import { createULstm } from './u-lstm';

export interface SequenceTrainRequest {
  config: Partial<ULstmConfig>;
  train: LabelledSequence[];
  /** Sequences to segment after training (frames only are read). */
  segment: LabelledSequence[];
  /** Wall-clock training budget. */
  seconds: number;
  /** Cap on optimiser windows (tests); default unlimited. */
  maxSteps?: number;
  seed: number;
  learningRate?: number;
  /** Sequences per batch (the paper: 3). */
  batch?: number;
  /** Frames per training clip (a multiple of the unroll runs whole BPTT windows); default 2 x unroll. */
  clipFrames?: number;
  onStep?: (step: number, loss: number, elapsedSeconds: number) => void;
}

export interface SequenceTrainResult {
  config: ULstmConfig;
  backend: string;
  batches: number;
  trainSeconds: number;
  /** Mean loss of the first and the last 10 % of the batches. */
  firstLoss: number;
  lastLoss: number;
  losses: number[];
  /** Per segmented sequence, per frame: classes (0 background, 1 cell, 2 edge; binary 0 / 1). */
  classes: Uint8Array[][];
  framesPerSecond: number;
  modelJson: string;
  weights: Uint8Array;
  paramCount: number;
}

export async function trainAndSegmentSequences(req: SequenceTrainRequest): Promise<SequenceTrainResult> {
  const info = await initBackend();
  const config = resolveULstmConfig({ ...req.config }, 'new');
  const net = createULstm(config, req.seed);
  const optimizer = createULstmOptimizer(req.learningRate ?? PAPER_LEARNING_RATE);
  const rng = new Rng(req.seed);
  const task = config.task === 'binary' ? 'binary' : 'multiclass-edge';
  const crop = Math.min(config.inputSize, ...req.train.map((s) => Math.min(s.width, s.height)));
  if (crop % 2 ** config.depth !== 0) throw new Error(`u-lstm: crop ${crop} must be a multiple of 2^depth`);
  const clipFrames = req.clipFrames ?? 2 * config.unroll;
  const losses: number[] = [];
  const start = Date.now();
  try {
    while ((Date.now() - start) / 1000 < req.seconds && (req.maxSteps === undefined || losses.length < req.maxSteps)) {
      const batch = sampleClipBatch(req.train, rng, task, req.batch ?? PAPER_BATCH, { length: clipFrames, crop, maxStride: 2 });
      const loss = trainClipBatchTbptt(net, optimizer, batch, config.unroll);
      losses.push(loss);
      req.onStep?.(losses.length, loss, (Date.now() - start) / 1000);
      // Let the event loop breathe between batches (progress, SIGINT).
      await new Promise((r) => setImmediate(r));
    }
    const trainSeconds = (Date.now() - start) / 1000;
    const segStart = Date.now();
    let frames = 0;
    const classes = req.segment.map((s) => {
      frames += s.frames.length;
      return segmentSequenceStreaming(net, s.frames, s.width, s.height);
    });
    const segSeconds = Math.max(1e-6, (Date.now() - segStart) / 1000);
    const { modelJson, weights } = await serializeModel(net);
    const tenth = Math.max(1, Math.round(losses.length / 10));
    const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
    return {
      config,
      backend: info.detail ? `${info.backend} (${info.detail})` : info.backend,
      batches: losses.length,
      trainSeconds,
      firstLoss: mean(losses.slice(0, tenth)),
      lastLoss: mean(losses.slice(-tenth)),
      losses,
      classes,
      framesPerSecond: frames / segSeconds,
      modelJson: JSON.stringify(modelJson),
      weights,
      paramCount: net.paramCount(),
    };
  } finally {
    optimizer.dispose();
    net.dispose();
  }
}
