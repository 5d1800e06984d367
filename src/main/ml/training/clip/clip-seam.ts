// The seam between the clip training loop (time-lapse families: input kind 'clip') and a
// family's network. A clip family exposes `clipTraining()` on its ModelFamily (family.ts);
// the worker's clip trainer, the streaming segmentation and the seed experiments only talk to
// these types, so a second clip family (the U-LSTM) trains and streams through the same path.
// Plain typed arrays at the boundary, as ../network.ts does for image families: no tensor
// crosses it. Types only (main-side safe).
import type { OptimizerName } from '../../../../shared/ml';
import type { NamedArray, NetConfig } from '../network';

/**
 * A batch of clips: n clips of t consecutive frames (oldest first, the frame to segment last),
 * each h x w with c channels, grey values in [0, 1]. Labels exist for the last frame only
 * (labels are sparse: a clip ends at a labelled frame; the frames before it only build the
 * state, which starts from zero at the clip's first frame).
 */
export interface ClipBatch {
  /** [n, t, h, w, c] */
  x: Float32Array;
  n: number;
  t: number;
  h: number;
  w: number;
  c: number;
  /** [n, h, w] class per pixel of each clip's last frame (classTargets of the family's task). */
  y: Uint8Array;
}

export interface ClipEvaluation {
  /** The family's training loss on the batch (no step). */
  loss: number;
  /** [n, h, w, channels] probabilities of the last frames (binary: 1 channel, P(cell)). */
  probs: Float32Array;
}

/** Streaming inference: one frame at a time, the recurrent state carried (never a window recomputed). */
export interface ClipStream {
  /** One frame [h, w, c] -> its probabilities [h, w, channels]; the state advances. */
  next(frame: Float32Array): Float32Array;
  dispose(): void;
}

export interface ClipNetwork {
  readonly family: string;
  readonly config: NetConfig;
  /** Channels of `probs` (1 for the binary task, else the class count). */
  readonly channels: number;
  /** Frame sides must be multiples of this. */
  readonly sizeMultiple: number;
  /** One optimisation step; returns the loss before it. clipNorm: global-norm gradient clipping. */
  trainStep(batch: ClipBatch, clipNorm: number | null): number;
  evaluate(batch: ClipBatch): ClipEvaluation;
  /** A stream over h x w frames starting from the zero state. */
  stream(h: number, w: number): ClipStream;
  getWeights(): NamedArray[];
  setWeights(weights: NamedArray[]): void;
  getOptimizerState(): Promise<NamedArray[]>;
  setOptimizerState(state: NamedArray[]): Promise<void>;
  /** model.json text and weights (../../model/serialize.ts format, like image families). */
  serialize(): Promise<{ modelJson: string; weights: Uint8Array }>;
  paramCount(): number;
  dispose(): void;
}

export interface ClipNetworkOptions {
  learningRate: number;
  optimizer?: OptimizerName;
}

/** What a clip family provides (worker side, loaded by ModelFamily.clipTraining()). */
export interface ClipTraining<C = NetConfig> {
  create(config: C, seed: number, opts: ClipNetworkOptions): ClipNetwork;
  /** A stored model (model.json + weights) as a clip network. */
  load(modelJson: string, weights: Uint8Array, opts: ClipNetworkOptions): Promise<ClipNetwork>;
}
