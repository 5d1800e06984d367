// The LSTM-CNN network: the report's parameter counts for all twelve networks (described and
// built), clips of any size that is a multiple of 4, streaming equal to the clip forward,
// the recurrence actually carrying information, gradients through dilated gates, no leaks.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { familyInfo } from '../../registry';
import { initBackend } from '../../../backend/initBackend';
import { createRng } from '../../../model/random';
import { LSTM_CNN_DEFAULTS, lstmCnnParamCount, resolveLstmCnnConfig, type LstmCnnArch, type LstmCnnConfig } from '../config';
import { lstmCnnFamily } from '../index';
import { createLstmCnn, depthwiseAsFull } from './lstm-cnn';
import { sigmoidCrossEntropy } from './clip-training';
import { registerCoreGradients } from '../../../kernels/gradients';

/** The report's table (LSTM-CNN / CNN). */
const REPORT: Record<LstmCnnArch, [number, number]> = {
  'ende-p': [22049, 16801],
  'en-p': [10049, 4801],
  'ende-t': [137057, 25057],
  'slim-t': [101057, 1057],
  'en-t': [125057, 13057],
};

function cfg(over: Partial<LstmCnnConfig>): LstmCnnConfig {
  return resolveLstmCnnConfig({ ...over }, 'new');
}

function randomClip(t: number, h: number, w: number, seed: number): tf.Tensor4D {
  const rng = createRng(seed);
  return tf.tensor4d(Float32Array.from({ length: t * h * w }, () => rng()), [t, h, w, 1]);
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

beforeAll(async () => {
  await initBackend('wasm');
  registerCoreGradients();
});

describe('LSTM-CNN parameter counts', () => {
  it('every variant has exactly the report\'s count, described and built', () => {
    const info = familyInfo(lstmCnnFamily);
    const byName = new Map(info.variants.map((v) => [v.name, v.paramCount]));
    expect(info.variants).toHaveLength(12);
    expect(info.inputKind).toBe('clip');
    for (const [arch, [lstm, cnn]] of Object.entries(REPORT) as [LstmCnnArch, [number, number]][]) {
      expect(byName.get(`lstm-cnn-${arch}`), arch).toBe(lstm);
      expect(byName.get(`cnn-${arch}`), arch).toBe(cnn);
      for (const [recurrence, count] of [['lstm', lstm], ['none', cnn]] as const) {
        const net = createLstmCnn(cfg({ recurrence, arch, dilation: 1 }), 3);
        expect(net.paramCount(), `${recurrence} ${arch} built`).toBe(count);
        net.dispose();
      }
    }
    expect(byName.get('lstm-cnn-en-t-d2')).toBe(125057);
    expect(byName.get('lstm-cnn-en-t-d3')).toBe(125057);
    expect(lstmCnnParamCount(LSTM_CNN_DEFAULTS)).toBe(125057);
  });

  it('initialises as the report: kernels N(0, 0.1), biases 0.1', () => {
    const net = createLstmCnn(cfg({ arch: 'en-t' }), 5);
    const kernel = Array.from(net.variables.get('gate/f/kernel')!.dataSync() as Float32Array);
    const mean = kernel.reduce((a, b) => a + b, 0) / kernel.length;
    const sd = Math.sqrt(kernel.reduce((a, b) => a + (b - mean) ** 2, 0) / kernel.length);
    expect(Math.abs(mean)).toBeLessThan(0.005);
    expect(sd).toBeGreaterThan(0.095);
    expect(sd).toBeLessThan(0.105);
    expect([...net.variables.get('dec/tconv0/bias')!.dataSync()]).toEqual([Math.fround(0.1)]);
    net.dispose();
  });

  it('refuses sizes that are not multiples of 4 and tasks other than binary', () => {
    expect(() => resolveLstmCnnConfig({ inputSize: 126 }, 'new')).toThrow(/multiple of 4.*--size 128/);
    expect(() => resolveLstmCnnConfig({ task: 'multiclass' }, 'new')).toThrow(/binary/);
    expect(() => resolveLstmCnnConfig({ recurrence: 'none', dilation: 2 }, 'new')).toThrow(/dilation/);
  });
});

describe('LSTM-CNN forward', () => {
  it('maps a clip [T, H, W, 1] of any size divisible by 4 to per-frame probabilities', () => {
    for (const arch of ['ende-p', 'en-p', 'ende-t', 'slim-t', 'en-t'] as const) {
      for (const recurrence of ['lstm', 'none'] as const) {
        const net = createLstmCnn(cfg({ arch, recurrence, dilation: recurrence === 'lstm' ? 2 : 1 }), 7);
        const clip = randomClip(3, 12, 20, 1);
        const p = net.predictProbs(clip);
        expect(p.shape, `${recurrence} ${arch}`).toEqual([3, 12, 20, 1]);
        const v = p.dataSync();
        expect(v.every((x) => x >= 0 && x <= 1 && Number.isFinite(x))).toBe(true);
        tf.dispose([clip, p]);
        net.dispose();
      }
    }
    const net = createLstmCnn(cfg({}), 1);
    const bad = randomClip(2, 10, 12, 1);
    expect(() => net.apply(bad)).toThrow(/multiple of 4/);
    tf.dispose(bad);
    net.dispose();
  });

  it('streaming frame by frame equals the clip forward, and the state carries the past', () => {
    for (const arch of ['en-t', 'en-p'] as const) {
      const net = createLstmCnn(cfg({ arch, dilation: 2 }), 11);
      const seq = randomClip(8, 16, 16, 2);
      const frame = (k: number): tf.Tensor4D => tf.slice(seq, [k, 0, 0, 0], [1, 16, 16, 1]);
      // A window of 5 frames (3..7), state from zero at its start.
      const window = tf.slice(seq, [3, 0, 0, 0], [5, 16, 16, 1]);
      const windowed = net.predictProbs(window);
      let state = net.initialState(1, 16, 16);
      let last: tf.Tensor4D | null = null;
      for (let k = 3; k < 8; k++) {
        const f = frame(k);
        const out = net.step(state, f);
        tf.dispose([state.c, state.h, f, out.logits]);
        if (last) last.dispose();
        last = out.state.h;
        state = { c: out.state.c, h: tf.clone(out.state.h) };
      }
      const lastWindowed = tf.slice(windowed, [4, 0, 0, 0], [1, 16, 16, 1]);
      expect(maxAbsDiff(last!, lastWindowed), arch).toBeLessThan(1e-5);
      // The same last frame seen after a longer past (state from frame 0) differs: the cell remembers.
      const full = net.predictProbs(seq);
      const lastFull = tf.slice(full, [7, 0, 0, 0], [1, 16, 16, 1]);
      expect(maxAbsDiff(lastFull, lastWindowed), arch).toBeGreaterThan(1e-4);
      tf.dispose([seq, window, windowed, last!, lastWindowed, full, lastFull, state.c, state.h]);
      net.dispose();
    }
  });

  it('computes the cell equations: checked against plain arithmetic on a 4x4 Slim-T', () => {
    // At 4x4 the state is 1x1x32: each encoder is one dot product, a 'same' 4x4 gate conv
    // uses only its tap (1, 1), and the decoder paints the 4x4 output from 32 numbers.
    const net = createLstmCnn(cfg({ arch: 'slim-t', dilation: 1 }), 13);
    const w = (name: string): Float32Array => net.variables.get(name)!.dataSync() as Float32Array;
    const sig = (z: number): number => 1 / (1 + Math.exp(-z));
    const enc = (k: Float32Array, b: Float32Array, img: number[]): number[] =>
      Array.from({ length: 32 }, (_, c) => Math.max(0, img.reduce((s, v, p) => s + v * k[p * 32 + c], b[c])));
    const T = 3;
    const clip = randomClip(T, 4, 4, 8);
    const frames = Array.from(clip.dataSync());
    let cState = new Array<number>(32).fill(0);
    let h = new Array<number>(16).fill(0);
    const expected: number[] = [];
    for (let t = 0; t < T; t++) {
      const wx = enc(w('encW/conv0/kernel'), w('encW/conv0/bias'), frames.slice(t * 16, t * 16 + 16));
      const uh = enc(w('encU/conv0/kernel'), w('encU/conv0/bias'), h);
      const cat = [...wx, ...uh];
      const gate = (g: string): number[] => {
        const k = w(`gate/${g}/kernel`);
        const b = w(`gate/${g}/bias`);
        // Tap (1, 1) of a [4, 4, 64, 32] kernel.
        return Array.from({ length: 32 }, (_, c) => sig(cat.reduce((s, v, j) => s + v * k[((1 * 4 + 1) * 64 + j) * 32 + c], b[c])));
      };
      const [f, i, o] = [gate('f'), gate('i'), gate('o')];
      const kc = w('gate/c/kernel');
      const bc = w('gate/c/bias');
      const cand = Array.from({ length: 32 }, (_, c) => sig(wx.reduce((s, v, j) => s + (v + uh[j]) * kc[j * 32 + c], bc[c])));
      cState = cState.map((cPrev, c) => f[c] * cPrev + i[c] * cand[c]);
      const m = cState.map((v, c) => o[c] * v);
      const kd = w('dec/tconv0/kernel');
      const bd = w('dec/tconv0/bias')[0];
      const logits = Array.from({ length: 16 }, (_, p) => m.reduce((s, v, c) => s + v * kd[p * 32 + c], bd));
      expected.push(...logits);
      h = logits.map(sig);
    }
    const got = net.apply(clip);
    const g = got.dataSync();
    expect(Math.max(...expected.map((e, k) => Math.abs(e - g[k])))).toBeLessThan(1e-4);
    tf.dispose([clip, got]);
    net.dispose();
  });

  it('runs the -P depthwise gates as a block-diagonal convolution equal to the depthwise one', () => {
    const rng = createRng(17);
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 6 * 6 * 32 }, () => rng() - 0.5), [2, 6, 6, 32]);
    const k = tf.tensor4d(Float32Array.from({ length: 3 * 3 * 32 }, () => rng() - 0.5), [3, 3, 32, 1]);
    for (const d of [1, 2, 3]) {
      const viaFull = tf.conv2d(x, depthwiseAsFull(k), 1, 'same', 'NHWC', d);
      const direct = tf.depthwiseConv2d(x, k, 1, 'same', 'NHWC', d);
      expect(maxAbsDiff(viaFull, direct), `dilation ${d}`).toBeLessThan(1e-5);
      tf.dispose([viaFull, direct]);
    }
    tf.dispose([x, k]);
  });

  it('leaves no tensors behind: a model, a streamed sequence, a clip forward', () => {
    const before = tf.memory().numTensors;
    const net = createLstmCnn(cfg({ arch: 'ende-t', dilation: 2 }), 2);
    const seq = randomClip(3, 8, 8, 5);
    let state = net.initialState(1, 8, 8);
    for (let k = 0; k < 3; k++) {
      const f = tf.slice(seq, [k, 0, 0, 0], [1, 8, 8, 1]);
      const out = net.step(state, f);
      tf.dispose([state.c, state.h, f, out.logits]);
      state = out.state;
    }
    tf.dispose([state.c, state.h, net.predictProbs(seq), seq]);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('the CNNs segment every frame on its own', () => {
    const net = createLstmCnn(cfg({ arch: 'en-t', recurrence: 'none' }), 4);
    const seq = randomClip(4, 8, 8, 3);
    const together = net.predictProbs(seq);
    const alone = net.predictProbs(tf.slice(seq, [3, 0, 0, 0], [1, 8, 8, 1]));
    expect(maxAbsDiff(tf.slice(together, [3, 0, 0, 0], [1, 8, 8, 1]), alone)).toBeLessThan(1e-6);
    tf.dispose([seq, together, alone]);
    net.dispose();
  });

  it('has gradients for every weight through an unrolled clip, dilated gates included', () => {
    for (const arch of ['en-t', 'en-p'] as const) {
      const net = createLstmCnn(cfg({ arch, dilation: 3 }), 9);
      const clips = tf.reshape<tf.Rank.R5>(randomClip(5, 16, 16, 4), [1, 5, 16, 16, 1]);
      const target = tf.cast(tf.greater(tf.slice(clips, [0, 4, 0, 0, 0], [1, 1, 16, 16, 1]), 0.5), 'float32');
      const { grads } = tf.variableGrads(() => {
        const logits = tf.slice(net.forwardClips(clips), [0, 4, 0, 0, 0], [1, 1, 16, 16, 1]);
        return sigmoidCrossEntropy(logits, target);
      }, net.trainableVariables());
      for (const [name, g] of Object.entries(grads)) {
        const v = g.dataSync();
        expect(v.every(Number.isFinite), name).toBe(true);
        expect(v.some((x) => x !== 0), name).toBe(true);
      }
      tf.dispose([clips, target, ...Object.values(grads)]);
      net.dispose();
    }
  });
});
