// Checks of the project's other kernels: the fused batch norm + ReLU (forward and gradient)
// and the up-convolution's phase interleave against generic tfjs-op formulations on the cpu
// backend, and the replaced wasm MaxPoolGrad / Concat / SplitV against cpu.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { BN_EPSILON, dropout, upConv } from '../model/layers';
import { createOptimizer, globalNorm } from '../model/train';
import { BN_RELU_TRAIN } from './BnReluTrain';
import { kernelIO } from './kernelIO';
import { simdFor } from './simd/bnSimdKernels';
import { copyRunsFor } from './simd/copyRuns';
import { onBackend, randomArray, relError } from './testUtil';

/** Generic reference: relu(gamma * (x - mean) / sqrt(var + eps) + beta), batch statistics. */
function referenceBnRelu(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const axes = [0, 1, 2];
  const { mean, variance } = tf.moments(x, axes);
  return tf.relu(tf.add(tf.mul(tf.sub(x, mean), tf.mul(gamma, tf.rsqrt(tf.add(variance, BN_EPSILON)))), beta));
}

/** The fused kernels behind a customGrad, as the model uses them (layers.bnRelu). */
function fusedBnRelu(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const op = tf.customGrad(((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor, save: tf.GradSaveFunc) => {
    const [y, m, s] = tf.engine().runKernel(BN_RELU_TRAIN, { x: xi, gamma: g, beta: b }, { epsilon: BN_EPSILON }) as tf.Tensor[];
    save([xi, g, b, m, s]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.engine().runKernel('HemaBnReluGrad', {
          dy, x: saved[0], gamma: saved[1], beta: saved[2], mean: saved[3], invStd: saved[4],
        }) as tf.Tensor[],
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x, gamma, beta);
}

describe('fused batch norm + ReLU kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('use the run-time assembled SIMD loops on wasm when C is a multiple of 4', () => {
    const io = kernelIO('wasm', tf.backend());
    expect(io.heap).toBeDefined();
    expect(simdFor(io, 16)).not.toBeNull();
    expect(simdFor(io, 6)).toBeNull();
    expect(copyRunsFor((io.heap as NonNullable<typeof io.heap>).memory)).not.toBeNull();
  });

  it('SIMD and JS loops agree on data with a large mean (shifted sums)', async () => {
    const shape: [number, number, number, number] = [4, 32, 32, 8];
    const xData = randomArray(tf.util.sizeFromShape(shape), 81, 0.01).map((v) => v + 1000);
    const g = new Float32Array(8).fill(1);
    const b = new Float32Array(8);
    const run = () => tf.engine().runKernel(BN_RELU_TRAIN, { x: tf.tensor4d(xData, shape), gamma: tf.tensor1d(g), beta: tf.tensor1d(b) }, { epsilon: 1e-5 }) as tf.Tensor[];
    const simd = await onBackend('wasm', run);
    const js = await onBackend('cpu', run);
    // mean ~1000, std ~0.006: the variance survives only because the sums are centred.
    expect(relError(simd[1], js[1])).toBeLessThan(1e-6);
    expect(relError(simd[2], js[2])).toBeLessThan(1e-2);
  });

  for (const shape of [
    [2, 5, 7, 1],
    [4, 8, 8, 3],
    [8, 16, 16, 16],
    [2, 6, 6, 33],
    [1, 4, 4, 128],
  ] as [number, number, number, number][]) {
    it(`forward and gradients match the generic ops on cpu for [${shape.join(', ')}]`, async () => {
      const C = shape[3];
      // Offset and scale the input so the statistics are not trivial.
      const xData = randomArray(tf.util.sizeFromShape(shape), 1, 3).map((v, i) => v + (i % C) * 0.7);
      const gData = randomArray(C, 2, 1).map((v) => v + 1.2);
      const bData = randomArray(C, 3, 0.5);
      const rData = randomArray(tf.util.sizeFromShape(shape), 4);
      const run = (impl: typeof referenceBnRelu) => () => {
        const x = tf.tensor4d(xData, shape);
        const g = tf.tensor1d(gData);
        const b = tf.tensor1d(bData);
        const r = tf.tensor4d(rData, shape);
        const f = (a: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(impl(a, gg, bb), r));
        const grads = tf.grads(f)([x, g, b]);
        return [impl(x, g, b), ...grads];
      };
      const ref = await onBackend('cpu', run(referenceBnRelu));
      for (const backend of ['wasm', 'cpu']) {
        const got = await onBackend(backend, run(fusedBnRelu));
        got.forEach((g, i) => expect(relError(g, ref[i]), `${backend} output ${i}`).toBeLessThan(1e-4));
      }
    });
  }
});

/**
 * Independent reference for nearest 2x up-sampling + 3x3 'same' conv: repeat pixels by a
 * broadcasting multiply (not tf.image.resizeNearestNeighbor, whose cpu gradient kernel in
 * tfjs-backend-cpu 4.22 is wrong for batch > 1).
 */
function referenceUpConv(x: tf.Tensor4D, k: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const up = tf.reshape(tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [n, 2 * h, 2 * w, c]) as tf.Tensor4D;
  return tf.conv2d(up, k, 1, 'same');
}

describe('up-convolution (nearest 2x + 3x3 conv) by phase decomposition', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const [shape, cout] of [
    [[2, 4, 4, 8], 4],
    [[1, 3, 5, 3], 5],
    [[2, 8, 8, 32], 16],
  ] as [[number, number, number, number], number][]) {
    it(`matches resize + conv on cpu, values and gradients, [${shape.join(', ')}] -> ${cout}`, async () => {
      const xData = randomArray(tf.util.sizeFromShape(shape), 7);
      const kShape: [number, number, number, number] = [3, 3, shape[3], cout];
      const kData = randomArray(tf.util.sizeFromShape(kShape), 8);
      const outShape = [shape[0], 2 * shape[1], 2 * shape[2], cout];
      const rData = randomArray(tf.util.sizeFromShape(outShape), 9);
      const run = (impl: (a: tf.Tensor4D, kk: tf.Tensor4D) => tf.Tensor4D) => () => {
        const x = tf.tensor4d(xData, shape);
        const k = tf.tensor4d(kData, kShape);
        const r = tf.tensor(rData, outShape);
        const f = (a: tf.Tensor, kk: tf.Tensor) => tf.sum(tf.mul(impl(a as tf.Tensor4D, kk as tf.Tensor4D), r));
        return [impl(x, k), ...tf.grads(f)([x, k])];
      };
      const ref = await onBackend('cpu', run(referenceUpConv));
      for (const backend of ['wasm', 'cpu']) {
        const got = await onBackend(backend, run((a, kk) => upConv(a, kk, { fast: true })));
        got.forEach((g, i) => expect(relError(g, ref[i]), `${backend} output ${i}`).toBeLessThan(1e-4));
      }
    });
  }

  it('folded inference form (bias + ReLU) matches the generic path', async () => {
    const xData = randomArray(2 * 4 * 4 * 6, 17);
    const kData = randomArray(3 * 3 * 6 * 5, 18);
    const bData = randomArray(5, 19);
    const run = (fast: boolean) => () =>
      upConv(tf.tensor4d(xData, [2, 4, 4, 6]), tf.tensor4d(kData, [3, 3, 6, 5]), { fast, bias: tf.tensor1d(bData), relu: true });
    const [ref] = await onBackend('cpu', run(false));
    const [got] = await onBackend('wasm', run(true));
    expect(relError(got, ref)).toBeLessThan(1e-4);
  });
});

describe('replaced wasm kernels: MaxPoolGrad, Concat, SplitV', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('max-pool gradient matches cpu, including ties after a ReLU', async () => {
    const shape: [number, number, number, number] = [2, 8, 6, 5];
    // Many exact zeros: ties inside pooling windows must go to the first maximum.
    const xData = randomArray(tf.util.sizeFromShape(shape), 5).map((v) => Math.max(v, 0));
    const dyData = randomArray(2 * 4 * 3 * 5, 6);
    const f = () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'))(tf.tensor4d(xData, shape), tf.tensor4d(dyData, [2, 4, 3, 5]));
    const [a] = await onBackend('wasm', f);
    const [b] = await onBackend('cpu', f);
    expect(relError(a, b)).toBe(0);
  });

  it('max-pool gradient with other windows and padding matches cpu', async () => {
    const xData = randomArray(1 * 7 * 7 * 3, 15);
    const f = () => tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 3, 2, 'same')))(tf.tensor4d(xData, [1, 7, 7, 3]));
    const [a] = await onBackend('wasm', f);
    const [b] = await onBackend('cpu', f);
    expect(relError(a, b)).toBe(0);
  });

  it('Identity (tf.clone) shares data without copying and outlives its source', () => {
    const a = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numBytes;
    const b = tf.clone(a);
    expect(tf.memory().numBytes).toBe(before + 12); // tfjs counts per tensor...
    a.dispose();
    expect(Array.from(b.dataSync())).toEqual([1, 2, 3]); // ...but the data is shared and kept
    const v = tf.variable(b);
    b.dispose();
    v.assign(tf.tensor1d([4, 5, 6]));
    expect(Array.from(v.dataSync())).toEqual([4, 5, 6]);
    v.dispose();
  });

  it('channel concat and its gradient (SplitV) match cpu', async () => {
    const aData = randomArray(2 * 3 * 4 * 5, 1);
    const bData = randomArray(2 * 3 * 4 * 7, 2);
    const rData = randomArray(2 * 3 * 4 * 12, 3);
    const f = () => {
      const a = tf.tensor4d(aData, [2, 3, 4, 5]);
      const b = tf.tensor4d(bData, [2, 3, 4, 7]);
      const r = tf.tensor4d(rData, [2, 3, 4, 12]);
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.concat([x, y], 3), r)))([a, b]);
      return [tf.concat([a, b], 3), ...g, ...tf.split(r, [4, 8], -1), tf.concat([a, a], 1)];
    };
    const got = await onBackend('wasm', f);
    const ref = await onBackend('cpu', f);
    got.forEach((g, i) => expect(relError(g, ref[i])).toBe(0));
  });
});

describe('fused optimizer kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('FusedAdamOptimizer follows tf.AdamOptimizer step by step (wasm and cpu)', async () => {
    const shapes = [[3, 3, 2, 4], [4], [17]];
    const init = shapes.map((s, i) => randomArray(tf.util.sizeFromShape(s), 40 + i));
    const grads = [0, 1, 2].map((step) => shapes.map((s, i) => randomArray(tf.util.sizeFromShape(s), 50 + 10 * step + i)));
    const run = (fused: boolean) => () => {
      const vars = shapes.map((s, i) => tf.variable(tf.tensor(init[i], s), true, `adamtest_${fused}_${i}_${Math.random()}`));
      const opt = fused ? createOptimizer({ learningRate: 0.01 }) : tf.train.adam(0.01, 0.9, 0.999, 1e-8);
      for (const g of grads) opt.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: tf.tensor(g[i], shapes[i]) })));
      const out = vars.map((v) => v.clone());
      opt.dispose();
      vars.forEach((v) => v.dispose());
      return out;
    };
    const ref = await onBackend('cpu', run(false));
    for (const backend of ['wasm', 'cpu']) {
      const got = await onBackend(backend, run(true));
      got.forEach((g, i) => expect(relError(g, ref[i]), `${backend} var ${i}`).toBeLessThan(1e-5));
    }
  });

  it('globalNorm (one HemaSumSquares launch) equals the op-by-op norm', async () => {
    const a = randomArray(100, 61);
    const b = randomArray(7, 62);
    const fused = () => globalNorm([tf.tensor(a), tf.tensor(b)]);
    const plain = () => tf.sqrt(tf.add(tf.sum(tf.square(tf.tensor(a))), tf.sum(tf.square(tf.tensor(b)))));
    const [x] = await onBackend('wasm', fused);
    const [y] = await onBackend('cpu', plain);
    expect(relError(x, y)).toBeLessThan(1e-6);
  });
});

describe('dropout kernel', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('keeps about 1 - rate of the values, scales them, and its gradient uses the same mask', async () => {
    const n = 20000;
    const xData = randomArray(n, 71).map((v) => v + 2); // no zeros
    const run = (seed: number) => () => {
      const x = tf.tensor4d(xData, [2, 100, 100, 1]);
      const y = dropout(x, 0.3, seed);
      const g = tf.grad((a: tf.Tensor) => tf.sum(dropout(a as tf.Tensor4D, 0.3, seed)))(x);
      return [y, g];
    };
    const [yw, gw] = await onBackend('wasm', run(5));
    const [yc, gc] = await onBackend('cpu', run(5));
    expect(relError(yw, yc)).toBe(0);
    expect(relError(gw, gc)).toBe(0);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      if (yw[i] !== 0) {
        kept++;
        expect(yw[i]).toBeCloseTo(xData[i] / 0.7, 4);
        expect(gw[i]).toBeCloseTo(1 / 0.7, 5);
      } else {
        expect(gw[i]).toBe(0);
      }
    }
    expect(kept / n).toBeGreaterThan(0.68);
    expect(kept / n).toBeLessThan(0.72);
    const [other] = await onBackend('wasm', run(6));
    expect(relError(other, yw)).toBeGreaterThan(0.1);
  });
});
