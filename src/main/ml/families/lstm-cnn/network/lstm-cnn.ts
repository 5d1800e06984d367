// The LSTM-CNN of the flowing-red-cell film report in TensorFlow.js, and its similar
// per-frame CNN. The layers are those of ../config.ts (lstmCnnLayers), so the parameter
// count is the one the family states.
//   cell (per frame t, state c from zero, previous output h from zero):
//     Wx = W(x_t), Uh = U(h_{t-1})          encoders, sub-sampling 4, 32 filters, ReLU
//     f, i, o = sigmoid(gate conv(Wx, Uh))   dilated gate convolutions (../config.ts gateLayers)
//     c_t = f * c_{t-1} + i * sigmoid(c~(Wx, Uh))
//     h_t = sigmoid(W_d(o * c_t))            the decoder; h_t is fed back to U at t+1
//   CNN: h = sigmoid(W_d(W_e(x))) per frame.
// A clip [T, H, W, C] is run by unrolling the same cell function that `step` applies when
// streaming inference segments a sequence frame by frame with the state it carries (so a
// sequence is never recomputed window by window); a test checks the two agree.
import * as tf from '@tensorflow/tfjs-core';
import type { ApplyOptions, SegmentationModel } from '../../../model/segmentation-model';
import { createRng, normalArray } from '../../../model/random';
import { layerOutChannels, lstmCnnLayers, resolveLstmCnnConfig, strided, SUBSAMPLING, WIDTH, type LayerSpec, type LstmCnnConfig } from '../config';

/** The recurrent state between frames: the cell state and the previous output (probabilities). */
export interface LstmCnnState {
  /** [N, H/4, W/4, 32] */
  c: tf.Tensor4D;
  /** [N, H, W, 1] */
  h: tf.Tensor4D;
}

export interface LstmCnnStep {
  state: LstmCnnState;
  /** [N, H, W, 1] logits of this frame. */
  logits: tf.Tensor4D;
}

export interface LstmCnnNetwork extends SegmentationModel<LstmCnnConfig> {
  /** The zero state for `n` sequences of H x W frames (H, W multiples of 4). */
  initialState(n: number, height: number, width: number): LstmCnnState;
  /**
   * One frame [N, H, W, C] from `state` (not disposed: the caller owns it) to the next state
   * and this frame's logits. The CNNs ignore the state and return it advanced unchanged.
   */
  step(state: LstmCnnState, frame: tf.Tensor4D): LstmCnnStep;
  /** Clips [N, T, H, W, C] from the zero state -> logits [N, T, H, W, 1]. */
  forwardClips(clips: tf.Tensor5D): tf.Tensor5D;
}

interface LayerVars {
  spec: LayerSpec;
  kernel: tf.Variable;
  bias: tf.Variable | null;
}

let instanceCounter = 0;

/**
 * A depthwise kernel [kh, kw, c, 1] as the block-diagonal full kernel [kh, kw, c, c]: the
 * same convolution through Conv2D, whose gradient the project registers (there is none for
 * the depthwise kernel); the gate state is small, so the extra arithmetic is negligible.
 */
export function depthwiseAsFull(k: tf.Tensor4D): tf.Tensor4D {
  const c = k.shape[2];
  return tf.mul(k, tf.reshape<tf.Rank.R4>(tf.eye(c), [1, 1, c, c]));
}

function applyLayer(l: LayerVars, x: tf.Tensor4D): tf.Tensor4D {
  const s = l.spec;
  let y: tf.Tensor4D;
  // Dilated convolutions train through the project's Conv2D gradient (kernels/gradients.ts).
  if (s.op === 'conv') y = tf.conv2d(x, l.kernel as tf.Tensor4D, s.stride, 'same', 'NHWC', s.dilation);
  else if (s.op === 'depthwise') y = tf.conv2d(x, depthwiseAsFull(l.kernel as tf.Tensor4D), 1, 'same', 'NHWC', s.dilation);
  else {
    const [n, hh, ww] = x.shape;
    // Kernel = stride: every input pixel paints its own s x s block, no overlap, no padding.
    y = tf.conv2dTranspose(x, l.kernel as tf.Tensor4D, [n, hh * s.stride, ww * s.stride, s.kernel[2]], s.stride, 'valid');
  }
  if (l.bias) y = tf.add(y, l.bias);
  if (s.relu) y = tf.relu(y);
  if (s.poolAfter) y = tf.maxPool(y, 2, 2, 'valid');
  return y;
}

function run(layers: readonly LayerVars[], x: tf.Tensor4D): tf.Tensor4D {
  return layers.reduce((y, l) => applyLayer(l, y), x);
}

/** A new LSTM-CNN or CNN: kernels N(0, 0.1), biases 0.1 (the report's initialisation). */
export function createLstmCnn(rawConfig: LstmCnnConfig, seed = 1): LstmCnnNetwork {
  const config = resolveLstmCnnConfig({ ...rawConfig }, 'stored');
  const rng = createRng(seed);
  const prefix = `hemaseg_lstmcnn${++instanceCounter}/`;
  const variables = new Map<string, tf.Variable>();
  const make = (name: string, shape: number[], init: Float32Array): tf.Variable => {
    const t = tf.tensor(init, shape, 'float32');
    const v = tf.variable(t, true, prefix + name);
    t.dispose();
    variables.set(name, v);
    return v;
  };
  const byName = new Map<string, LayerVars>();
  for (const spec of lstmCnnLayers(config)) {
    const size = spec.kernel.reduce((a, b) => a * b, 1);
    const cout = layerOutChannels(spec);
    byName.set(spec.name, {
      spec,
      kernel: make(`${spec.name}/kernel`, [...spec.kernel], normalArray(rng, size, 0.1)),
      bias: spec.bias ? make(`${spec.name}/bias`, [cout], new Float32Array(cout).fill(0.1)) : null,
    });
  }
  const group = (p: string): LayerVars[] => [...byName.values()].filter((l) => l.spec.name.startsWith(`${p}/`));
  const lstm = config.recurrence === 'lstm';
  const encW = group(lstm ? 'encW' : 'enc');
  const encU = group('encU');
  const dec = group('dec');
  const gate = (g: string): LayerVars | undefined => byName.get(`gate/${g}`);
  const isStrided = strided(config.arch);

  function checkFrame(frame: tf.Tensor4D): void {
    const [, h, w, ch] = frame.shape;
    if (h % SUBSAMPLING !== 0 || w % SUBSAMPLING !== 0) throw new Error(`lstm-cnn: frame size ${w}x${h} must be a multiple of ${SUBSAMPLING} in both directions`);
    if (ch !== config.inChannels) throw new Error(`lstm-cnn: frames must have ${config.inChannels} channel(s), got ${ch}`);
  }

  function cellStep(state: LstmCnnState, frame: tf.Tensor4D): { c: tf.Tensor4D; logits: tf.Tensor4D } {
    const wx = run(encW, frame);
    const uh = run(encU, state.h);
    const sum = tf.add(wx, uh);
    const gateIn = isStrided ? tf.concat([wx, uh], 3) : sum;
    const [f, i, o] = (['f', 'i', 'o'] as const).map((g) => tf.sigmoid(applyLayer(gate(g)!, gateIn as tf.Tensor4D)));
    const cand = tf.sigmoid(isStrided ? applyLayer(gate('c')!, sum as tf.Tensor4D) : sum);
    const c = tf.add(tf.mul(f, state.c), tf.mul(i, cand)) as tf.Tensor4D;
    return { c, logits: run(dec, tf.mul(o, c) as tf.Tensor4D) };
  }

  function step(state: LstmCnnState, frame: tf.Tensor4D): LstmCnnStep {
    checkFrame(frame);
    return tf.tidy(() => {
      if (!lstm) {
        const logits = run(dec, run(encW, frame));
        return { state: { c: tf.clone(state.c), h: tf.sigmoid(logits) }, logits };
      }
      const { c, logits } = cellStep(state, frame);
      return { state: { c, h: tf.sigmoid(logits) }, logits };
    }) as LstmCnnStep;
  }

  function initialState(n: number, height: number, width: number): LstmCnnState {
    if (height % SUBSAMPLING !== 0 || width % SUBSAMPLING !== 0) throw new Error(`lstm-cnn: frame size ${width}x${height} must be a multiple of ${SUBSAMPLING} in both directions`);
    return { c: tf.zeros([n, height / SUBSAMPLING, width / SUBSAMPLING, WIDTH]), h: tf.zeros([n, height, width, 1]) };
  }

  function forwardClips(clips: tf.Tensor5D): tf.Tensor5D {
    const [n, t, hh, ww, ch] = clips.shape;
    return tf.tidy(() => {
      if (!lstm) return tf.reshape(run(dec, run(encW, tf.reshape(clips, [n * t, hh, ww, ch]))), [n, t, hh, ww, 1]);
      // Inside one tidy (not via step) so gradients flow through the whole unrolled clip.
      let state = initialState(n, hh, ww);
      const out: tf.Tensor4D[] = [];
      for (let k = 0; k < t; k++) {
        const frame = tf.reshape<tf.Rank.R4>(tf.slice(clips, [0, k, 0, 0, 0], [n, 1, hh, ww, ch]), [n, hh, ww, ch]);
        checkFrame(frame);
        const { c, logits } = cellStep(state, frame);
        state = { c, h: tf.sigmoid(logits) };
        out.push(logits);
      }
      // Concat rather than stack: Concat has a registered gradient.
      return tf.concat(out.map((o) => tf.reshape<tf.Rank.R5>(o, [n, 1, hh, ww, 1])), 1);
    });
  }

  const trainable = [...variables.values()];
  /** One clip [T, H, W, C] (frames in time order) -> logits [T, H, W, 1]. */
  const apply = (x: tf.Tensor4D, _options?: ApplyOptions): tf.Tensor4D => {
    const [t, hh, ww, ch] = x.shape;
    return tf.tidy(() => tf.reshape(forwardClips(tf.reshape(x, [1, t, hh, ww, ch])), [t, hh, ww, 1]));
  };
  return {
    family: 'lstm-cnn',
    config,
    variables,
    trainableVariables: () => trainable,
    initialState,
    step,
    forwardClips,
    apply,
    predictProbs: (x: tf.Tensor4D): tf.Tensor4D => tf.tidy(() => tf.sigmoid(apply(x))),
    paramCount: () => trainable.reduce((n, v) => n + v.size, 0),
    dispose(): void {
      for (const v of trainable) v.dispose();
    },
  };
}
