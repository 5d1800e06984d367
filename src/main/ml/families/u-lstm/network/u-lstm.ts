// The U-LSTM (seeds.md E) in TensorFlow.js: a U-Net whose up blocks are ConvLSTMs.
//   down level i = 0..depth:  3x3 conv (no bias) + BN + leaky ReLU, w_i = base * 2^i channels;
//                             2x2 max-pool after every level but the last (depth poolings)
//   up level depth:           ConvLSTM over the bottom features
//   up level i = depth-1..0:  bilinear 2x up-sampling of h_{i+1}, concatenation with skip i, ConvLSTM
//   ConvLSTM (per frame t):   [i, f, o, g] = conv_kxk([x_t, h_{t-1}]) + b
//                             c_t = sigmoid(f) * c_{t-1} + sigmoid(i) * tanh(g);  h_t = sigmoid(o) * tanh(c_t)
//   output:                   1x1 conv of h_0 to 3 logits (background, cell, edge) or 1 (binary)
// With depth 3 this is the paper's 4 down and 4 up blocks with three max-poolings (the two
// statements its text seemed to contradict). The down path has no recurrence, so a clip's
// frames go through it as one batch; the up path steps frame by frame carrying (h, c) per
// level, and `step` applies the very same per-frame function for streaming inference.
import * as tf from '@tensorflow/tfjs-core';
import { registerCoreGradients } from '../../../kernels/gradients';
import type { ApplyOptions, SegmentationModel } from '../../../model/segmentation-model';
import { leakyRelu, upsampleBilinear } from '../../../model/ops';
import { createRng, normalArray, uniformArray } from '../../../model/random';
import { lstmInputChannels, resolveULstmConfig, uLstmOutChannels, uLstmWidths, type ULstmConfig } from '../config';

export const BN_EPSILON = 1e-5;
export const BN_MOMENTUM = 0.1;
/** Logit of the nucleus channel in the project's 4-label layout: the 3-class network never predicts it. */
const ABSENT_LOGIT = -1e4;

/** The recurrent state of one up level: [N, H/2^i, W/2^i, w_i] each. */
export interface LevelState {
  h: tf.Tensor4D;
  c: tf.Tensor4D;
}
/** One entry per level, top (0) to bottom (depth). */
export type ULstmState = LevelState[];

export interface ULstmStep {
  state: ULstmState;
  /** [N, H, W, out] logits in the project's layout (4 channels for multiclass-edge, 1 for binary). */
  logits: tf.Tensor4D;
}

export interface ClipForwardOptions {
  /** Batch statistics in the down path and running-statistics updates (training); default false. */
  training?: boolean;
  /** State to start from (not disposed); default the zero state. */
  state?: ULstmState;
}

export interface ClipForward {
  /** [N, T, H, W, K] raw logits: K = 3 (background, cell, edge) or 1 (binary). */
  logits: tf.Tensor5D;
  state: ULstmState;
}

export interface ULstmNetwork extends SegmentationModel<ULstmConfig> {
  /** The zero state for `n` sequences of H x W frames. */
  initialState(n: number, height: number, width: number): ULstmState;
  /** One frame [N, H, W, C] from `state` (not disposed) to the next state and this frame's logits (inference mode). */
  step(state: ULstmState, frame: tf.Tensor4D): ULstmStep;
  /** Clips [N, T, H, W, C] from `options.state` (default zero) to raw logits and the state after the last frame. */
  forwardClips(clips: tf.Tensor5D, options?: ClipForwardOptions): ClipForward;
  /** Raw logits [.., K] to the project's layout (multiclass-edge: [background, cell, nucleus = none, edge]). */
  toProjectLogits(raw: tf.Tensor4D): tf.Tensor4D;
  disposeState(state: ULstmState): void;
}

interface DownVars {
  kernel: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVar: tf.Variable;
}
interface LstmVars {
  kernel: tf.Variable;
  bias: tf.Variable;
  width: number;
}

let instanceCounter = 0;

/** A state as a flat tensor list [h0, c0, h1, c1, ...] (what tf.tidy can return) and back. */
function flatState(s: ULstmState): tf.Tensor4D[] {
  return s.flatMap((l) => [l.h, l.c]);
}
function unflatState(flat: readonly tf.Tensor[]): ULstmState {
  const out: ULstmState = [];
  for (let i = 0; i < flat.length; i += 2) out.push({ h: flat[i] as tf.Tensor4D, c: flat[i + 1] as tf.Tensor4D });
  return out;
}

export function createULstm(rawConfig: Partial<ULstmConfig> = {}, seed = 1): ULstmNetwork {
  const config = resolveULstmConfig({ ...rawConfig }, 'stored');
  registerCoreGradients();
  const rng = createRng(seed);
  const prefix = `hemaseg_ulstm${++instanceCounter}/`;
  const variables = new Map<string, tf.Variable>();
  const trainable: tf.Variable[] = [];
  const make = (name: string, shape: number[], init: Float32Array, isTrainable = true): tf.Variable => {
    const t = tf.tensor(init, shape, 'float32');
    const v = tf.variable(t, isTrainable, prefix + name);
    t.dispose();
    variables.set(name, v);
    if (isTrainable) trainable.push(v);
    return v;
  };
  const widths = uLstmWidths(config);
  const k = config.lstmKernel;
  const down: DownVars[] = [];
  let cin = config.inChannels;
  widths.forEach((w, i) => {
    // He-normal for the leaky-ReLU convolutions.
    down.push({
      kernel: make(`down${i}/conv/kernel`, [3, 3, cin, w], normalArray(rng, 9 * cin * w, Math.sqrt(2 / (9 * cin)))),
      gamma: make(`down${i}/bn/gamma`, [w], new Float32Array(w).fill(1)),
      beta: make(`down${i}/bn/beta`, [w], new Float32Array(w)),
      movingMean: make(`down${i}/bn/moving_mean`, [w], new Float32Array(w), false),
      movingVar: make(`down${i}/bn/moving_variance`, [w], new Float32Array(w).fill(1), false),
    });
    cin = w;
  });
  const lstm: LstmVars[] = widths.map((w, i) => {
    const fanIn = k * k * (lstmInputChannels(config, i) + w);
    const bias = new Float32Array(4 * w);
    // Gate order [i, f, o, g]; forget bias 1 so the cell keeps its state from the start.
    bias.fill(1, w, 2 * w);
    return {
      kernel: make(`lstm${i}/kernel`, [k, k, lstmInputChannels(config, i) + w, 4 * w], uniformArray(rng, fanIn * 4 * w, Math.sqrt(6 / (fanIn + k * k * 4 * w)))),
      bias: make(`lstm${i}/bias`, [4 * w], bias),
      width: w,
    };
  });
  const outCh = uLstmOutChannels(config.task);
  const outKernel = make('out/kernel', [1, 1, widths[0], outCh], uniformArray(rng, widths[0] * outCh, Math.sqrt(6 / (widths[0] + outCh))));
  const outBias = make('out/bias', [outCh], new Float32Array(outCh));
  const multiple = 2 ** config.depth;

  function checkFrames(h: number, w: number, ch: number): void {
    if (h % multiple !== 0 || w % multiple !== 0) throw new Error(`u-lstm: frame size ${w}x${h} must be a multiple of ${multiple} (2^depth) in both directions`);
    if (ch !== config.inChannels) throw new Error(`u-lstm: frames must have ${config.inChannels} channel(s), got ${ch}`);
  }

  /** Down path on a batch of frames: the per-level features (skips and bottom). */
  function encode(x: tf.Tensor4D, training: boolean): tf.Tensor4D[] {
    const feats: tf.Tensor4D[] = [];
    let hcur = x;
    down.forEach((d, i) => {
      const z = tf.conv2d(hcur, d.kernel as tf.Tensor4D, 1, 'same');
      let y: tf.Tensor4D;
      if (training) {
        const { mean, variance } = tf.moments(z, [0, 1, 2]);
        const scale = tf.mul(d.gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)));
        y = tf.add(tf.mul(tf.sub(z, mean), scale), d.beta);
        const count = z.size / z.shape[3];
        tf.tidy(() => {
          const unbiased = tf.mul(variance, count / Math.max(count - 1, 1));
          d.movingMean.assign(tf.add(tf.mul(d.movingMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
          d.movingVar.assign(tf.add(tf.mul(d.movingVar, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
        });
      } else {
        y = tf.batchNorm(z, d.movingMean as tf.Tensor1D, d.movingVar as tf.Tensor1D, d.beta as tf.Tensor1D, d.gamma as tf.Tensor1D, BN_EPSILON);
      }
      y = leakyRelu(y, config.leak);
      feats.push(y);
      hcur = i < config.depth ? tf.maxPool(y, 2, 2, 'valid') : y;
    });
    return feats;
  }

  function lstmCell(l: LstmVars, x: tf.Tensor4D, s: LevelState): LevelState {
    const w = l.width;
    const z = tf.add(tf.conv2d(tf.concat([x, s.h], 3), l.kernel as tf.Tensor4D, 1, 'same'), l.bias) as tf.Tensor4D;
    const [n, hh, ww] = z.shape;
    // Slice rather than split: Slice has a registered gradient.
    const gate = (g: number): tf.Tensor4D => tf.slice(z, [0, 0, 0, g * w], [n, hh, ww, w]);
    const c = tf.add(tf.mul(tf.sigmoid(gate(1)), s.c), tf.mul(tf.sigmoid(gate(0)), tf.tanh(gate(3)))) as tf.Tensor4D;
    const h = tf.mul(tf.sigmoid(gate(2)), tf.tanh(c)) as tf.Tensor4D;
    return { h, c };
  }

  /** The up path for one frame: per-level features of that frame -> new state and raw logits. */
  function decodeFrame(feats: readonly tf.Tensor4D[], state: ULstmState): { state: ULstmState; raw: tf.Tensor4D } {
    const next: LevelState[] = new Array<LevelState>(widths.length);
    let below: tf.Tensor4D | null = null;
    for (let i = config.depth; i >= 0; i--) {
      const x: tf.Tensor4D = below === null ? feats[i] : tf.concat([upsampleBilinear(below, 2), feats[i]], 3);
      next[i] = lstmCell(lstm[i], x, state[i]);
      below = next[i].h;
    }
    const raw = tf.add(tf.conv2d(next[0].h, outKernel as tf.Tensor4D, 1, 'valid'), outBias) as tf.Tensor4D;
    return { state: next, raw };
  }

  function initialState(n: number, height: number, width: number): ULstmState {
    checkFrames(height, width, config.inChannels);
    return widths.map((w, i) => ({ h: tf.zeros([n, height >> i, width >> i, w]) as tf.Tensor4D, c: tf.zeros([n, height >> i, width >> i, w]) as tf.Tensor4D }));
  }

  function toProjectLogits(raw: tf.Tensor4D): tf.Tensor4D {
    if (config.task === 'binary') return tf.clone(raw);
    return tf.tidy(() => {
      const [n, h, w] = raw.shape;
      const absent = tf.fill([n, h, w, 1], ABSENT_LOGIT);
      return tf.concat([tf.slice(raw, [0, 0, 0, 0], [n, h, w, 2]), absent, tf.slice(raw, [0, 0, 0, 2], [n, h, w, 1])], 3) as tf.Tensor4D;
    });
  }

  function step(state: ULstmState, frame: tf.Tensor4D): ULstmStep {
    const [n, h, w, ch] = frame.shape;
    checkFrames(h, w, ch);
    if (state.length !== widths.length || state[0].h.shape[0] !== n) throw new Error(`u-lstm: the state holds ${state[0]?.h.shape[0] ?? 0} sequence(s) over ${state.length} level(s), the frame batch ${n}`);
    const [logits, ...flat] = tf.tidy(() => {
      const out = decodeFrame(encode(frame, false), state);
      return [toProjectLogits(out.raw), ...flatState(out.state)];
    });
    return { logits: logits as tf.Tensor4D, state: unflatState(flat) };
  }

  function forwardClips(clips: tf.Tensor5D, options: ClipForwardOptions = {}): ClipForward {
    const [n, t, hh, ww, ch] = clips.shape;
    checkFrames(hh, ww, ch);
    const training = options.training ?? false;
    const [logits, ...flat] = tf.tidy(() => {
      // Down path of every frame at once; frames ordered [n0t0, n0t1, ...].
      const feats = encode(tf.reshape(clips, [n * t, hh, ww, ch]), training);
      const perLevel = feats.map((f) => tf.reshape<tf.Rank.R5>(f, [n, t, f.shape[1], f.shape[2], f.shape[3]]));
      let state = options.state ?? initialState(n, hh, ww);
      const out: tf.Tensor5D[] = [];
      for (let k2 = 0; k2 < t; k2++) {
        const frameFeats = perLevel.map((f) => tf.reshape<tf.Rank.R4>(tf.slice(f, [0, k2, 0, 0, 0], [n, 1, f.shape[2], f.shape[3], f.shape[4]]), [n, f.shape[2], f.shape[3], f.shape[4]]));
        const r = decodeFrame(frameFeats, state);
        state = r.state;
        out.push(tf.reshape<tf.Rank.R5>(r.raw, [n, 1, hh, ww, outCh]));
      }
      // Concat rather than stack: Concat has a registered gradient.
      return [tf.concat(out, 1), ...flatState(state)];
    });
    return { logits: logits as tf.Tensor5D, state: unflatState(flat) };
  }

  /** One clip [T, H, W, C] in time order from the zero state -> logits [T, H, W, out] in the project's layout. */
  const apply = (x: tf.Tensor4D, options: ApplyOptions = {}): tf.Tensor4D => {
    const [t, hh, ww, ch] = x.shape;
    return tf.tidy(() => {
      const r = forwardClips(tf.reshape(x, [1, t, hh, ww, ch]), { training: options.training ?? false });
      return toProjectLogits(tf.reshape(r.logits, [t, hh, ww, outCh]));
    });
  };

  return {
    family: 'u-lstm',
    config,
    variables,
    trainableVariables: () => trainable,
    initialState,
    step,
    forwardClips,
    toProjectLogits,
    disposeState: (s) => tf.dispose(flatState(s)),
    apply,
    predictProbs: (x: tf.Tensor4D): tf.Tensor4D => tf.tidy(() => (config.task === 'binary' ? tf.sigmoid(apply(x)) : tf.softmax(apply(x)))),
    paramCount: () => trainable.reduce((s, v) => s + v.size, 0),
    dispose(): void {
      for (const v of variables.values()) v.dispose();
    },
  };
}
