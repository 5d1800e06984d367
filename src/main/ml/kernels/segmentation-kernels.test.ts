// Checks of the kernels and gradients behind the SegNet / DeconvNet / LSTM-CNN ops: every
// wasm result against the cpu backend (stock cpu kernels where tfjs has them: MaxPoolWithArgmax,
// MaxPoolGrad, Conv2D, Conv2DBackpropFilter, ResizeBilinear, LeakyRelu), and the gradient
// formulas against finite differences or the dot-product (adjoint) identity on cpu.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { kernelIO } from './kernelIO';
import { MAX_UNPOOL } from './MaxUnpool';
import { MAX_UNPOOL_GRAD } from './MaxUnpoolGrad';
import { PHASE_SPLIT } from './PhaseSplit';
import { argmaxPoolSimdFor } from './simd/argmaxPoolSimd';
import { bilinearGradSimdFor } from './simd/bilinearGradSimd';
import { leakySimdFor } from './simd/leakySimd';
import { unpoolSimdFor } from './simd/unpoolSimd';
import { onBackend, randomArray, relError } from './testUtil';

type Shape4 = [number, number, number, number];

const rnd = (shape: number[], seed: number, scale = 1) => tf.tensor(randomArray(tf.util.sizeFromShape(shape), seed, scale), shape);

/** Distinct values (no ties) in random order. */
function distinct(shape: number[], seed: number): tf.Tensor {
  const n = tf.util.sizeFromShape(shape);
  const order = Array.from(randomArray(n, seed)).map((v, i) => [v, i]).sort((p, q) => p[0] - q[0]);
  const values = new Float32Array(n);
  order.forEach(([, i], rank) => (values[i] = (rank - n / 2) * 0.01));
  return tf.tensor(values, shape);
}

/** Values on a coarse grid: many ties inside pooling windows. */
const tied = (shape: number[], seed: number) => tf.tensor(randomArray(tf.util.sizeFromShape(shape), seed).map((v) => Math.round(v * 2)), shape);

/** Central finite differences of sum(f(x) * w) at a few entries; returns max relative error vs `analytic`. */
function fdError(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor, analytic: Float32Array, samples = 24, h = 1e-2): number {
  const base = x.dataSync();
  let worst = 0;
  const step = Math.max(1, Math.floor(base.length / samples));
  for (let i = 0; i < base.length; i += step) {
    const at = (delta: number) =>
      tf.tidy(() => {
        const d = Float32Array.from(base);
        d[i] += delta;
        return tf.sum(tf.mul(f(tf.tensor(d, x.shape)), w)).dataSync()[0];
      });
    const numeric = (at(h) - at(-h)) / (2 * h);
    worst = Math.max(worst, Math.abs(analytic[i] - numeric) / Math.max(1, Math.abs(numeric)));
  }
  return worst;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

describe('segmentation-family kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('the WebAssembly SIMD loops assemble and link to the wasm heap (else the JS loops would run)', () => {
    const heap = kernelIO('wasm', tf.backend()).heap;
    expect(heap).toBeDefined();
    const memory = (heap as NonNullable<typeof heap>).memory;
    expect(argmaxPoolSimdFor(memory)).not.toBeNull();
    expect(unpoolSimdFor(memory)).not.toBeNull();
    expect(leakySimdFor(memory)).not.toBeNull();
    expect(bilinearGradSimdFor(memory)).not.toBeNull();
  });

  describe('MaxPoolWithArgmax (wasm kernel vs stock cpu)', () => {
    const cases: Array<[string, Shape4, [number, number], [number, number], 'valid' | 'same', boolean]> = [
      ['2x2/2 with ties', [2, 8, 10, 3], [2, 2], [2, 2], 'valid', false],
      ['2x2/2 odd size', [1, 7, 9, 2], [2, 2], [2, 2], 'valid', false],
      ['2x2/2 SIMD (C % 4 = 0) with ties', [2, 6, 10, 8], [2, 2], [2, 2], 'valid', false],
      ['2x2/2 SIMD odd size', [1, 7, 9, 4], [2, 2], [2, 2], 'valid', false],
      ['2x2/2 SIMD, batch in index', [3, 4, 6, 12], [2, 2], [2, 2], 'valid', true],
      ['3x3/2 same', [2, 9, 9, 4], [3, 3], [2, 2], 'same', false],
      ['3x3/3 (15 -> 5)', [1, 15, 15, 2], [3, 3], [3, 3], 'valid', false],
      ['2x3/1 same, batch in index', [2, 5, 6, 3], [2, 3], [1, 1], 'same', true],
    ];
    for (const [name, shape, k, s, pad, batch] of cases) {
      it(name, async () => {
        const xData = tied(shape, 1).dataSync();
        const f = () => {
          const { result, indexes } = tf.maxPoolWithArgmax(tf.tensor4d(xData, shape), k, s, pad, batch);
          return [result, tf.cast(indexes, 'float32')];
        };
        const [wy, wi] = await onBackend('wasm', f);
        const [cy, ci] = await onBackend('cpu', f);
        expect(Array.from(wy)).toEqual(Array.from(cy));
        expect(Array.from(wi)).toEqual(Array.from(ci));
      });
    }

    it('gradient equals max-pooling gradient (wasm, stock cpu MaxPoolGrad as reference)', async () => {
      for (const [shape, k, s, pad] of [
        [[2, 8, 8, 3], 2, 2, 'valid'],
        [[2, 6, 8, 8], 2, 2, 'valid'],
        [[1, 9, 7, 2], 3, 2, 'same'],
      ] as Array<[Shape4, number, number, 'valid' | 'same']>) {
        const xData = distinct(shape, 2).dataSync();
        const run = (useArgmax: boolean) => () => {
          const x = tf.tensor4d(xData, shape);
          const g = tf.grad((a: tf.Tensor) => {
            const y = useArgmax ? tf.maxPoolWithArgmax(a as tf.Tensor4D, k, s, pad).result : tf.maxPool(a as tf.Tensor4D, k, s, pad);
            return tf.sum(tf.mul(y, rnd(y.shape, 3)));
          });
          return g(x);
        };
        const [wasm] = await onBackend('wasm', run(true));
        const [cpuArgmax] = await onBackend('cpu', run(true));
        const [cpuRef] = await onBackend('cpu', run(false));
        expect(relError(wasm, cpuRef)).toBeLessThan(1e-6);
        expect(relError(cpuArgmax, cpuRef)).toBeLessThan(1e-6);
      }
    });
  });

  describe('HemaMaxUnpool / HemaMaxUnpoolGrad', () => {
    const shape: Shape4 = [2, 9, 8, 3];
    const pool = { filterSize: [3, 3] as [number, number], strides: [2, 2] as [number, number], pad: 'same' as const };
    const unpool = (x: tf.Tensor, idx: tf.Tensor, attrs: Record<string, unknown> = {}) =>
      tf.engine().runKernel(MAX_UNPOOL, { x, indices: idx }, { outputShape: shape, includeBatchInIndex: false, ...attrs } as never) as tf.Tensor;

    it('scatter-adds (overlapping windows) like a generic segment sum, identically on wasm and cpu; gather is its adjoint', async () => {
      const xData = tied(shape, 4).dataSync();
      const f = (withGeneric: boolean) => () => {
        const { result, indexes } = tf.maxPoolWithArgmax(tf.tensor4d(xData, shape), pool.filterSize, pool.strides, pool.pad);
        const v = rnd(result.shape, 5);
        const y = unpool(v, indexes, pool);
        const u = rnd(shape, 6);
        const g = tf.engine().runKernel(MAX_UNPOOL_GRAD, { dy: u, indices: indexes }, { includeBatchInIndex: false }) as tf.Tensor;
        // <unpool(v), u> and <v, gather(u)>
        const out = [y, tf.sum(tf.mul(y, u)), tf.sum(tf.mul(v, g))];
        if (withGeneric) {
          // UnsortedSegmentSum exists on cpu only.
          const per = 9 * 8 * 3;
          const flat = tf.reshape(tf.add(indexes, tf.reshape(tf.tensor1d([0, per], 'int32'), [2, 1, 1, 1])), [-1]);
          out.push(tf.reshape(tf.unsortedSegmentSum(tf.reshape(v, [-1]), flat as tf.Tensor1D, 2 * per), shape));
        }
        return out;
      };
      const w = await onBackend('wasm', f(false));
      const c = await onBackend('cpu', f(true));
      expect(relError(c[0], c[3])).toBeLessThan(1e-6);
      expect(relError(w[0], c[0])).toBeLessThan(1e-6);
      expect(Math.abs(w[1][0] - w[2][0])).toBeLessThan(1e-4 * Math.max(1, Math.abs(w[1][0])));
      expect(Math.abs(c[1][0] - c[2][0])).toBeLessThan(1e-4 * Math.max(1, Math.abs(c[1][0])));
    });

    it('gradient of the unpooling matches finite differences on cpu and wasm', async () => {
      const xData = distinct(shape, 7).dataSync();
      for (const backend of ['cpu', 'wasm']) {
        await onBackend(backend, () => {
          const { result, indexes } = tf.maxPoolWithArgmax(tf.tensor4d(xData, shape), pool.filterSize, pool.strides, pool.pad);
          const v = rnd(result.shape, 8);
          const w = rnd(shape, 9);
          const f = (a: tf.Tensor) => unpool(a, indexes, pool);
          const analytic = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(f(a), w)))(v).dataSync() as Float32Array;
          expect(fdError(f, v, w, analytic)).toBeLessThan(1e-2);
          return tf.scalar(0);
        });
      }
    });

    it('2x2 switches with C % 4 = 0 (SIMD on wasm): scatter and gather = cpu, odd sizes, batch in index, bad indices refused', async () => {
      for (const [sh, batch] of [[[2, 9, 10, 8], false], [[3, 6, 7, 4], true]] as Array<[Shape4, boolean]>) {
        const xData = tied(sh, 31).dataSync();
        const attrs = { outputShape: sh, includeBatchInIndex: batch, filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
        const f = () => {
          const { result, indexes } = tf.maxPoolWithArgmax(tf.tensor4d(xData, sh), 2, 2, 'valid', batch);
          const v = rnd(result.shape, 32);
          const u = rnd(sh, 33);
          const y = tf.engine().runKernel(MAX_UNPOOL, { x: v, indices: indexes }, attrs as never) as tf.Tensor;
          const g = tf.engine().runKernel(MAX_UNPOOL_GRAD, { dy: u, indices: indexes }, { ...attrs, outputShape: undefined } as never) as tf.Tensor;
          return [y, g];
        };
        const [wy, wg] = await onBackend('wasm', f);
        const [cy, cg] = await onBackend('cpu', f);
        expect(Array.from(wy)).toEqual(Array.from(cy));
        expect(Array.from(wg)).toEqual(Array.from(cg));
        await onBackend('wasm', () => {
          const { result, indexes } = tf.maxPoolWithArgmax(tf.tensor4d(xData, sh), 2, 2, 'valid', batch);
          // One index moved to the neighbouring window: in range, same channel.
          const bad = indexes.dataSync().slice();
          bad[5] += 2 * sh[3];
          expect(() => tf.engine().runKernel(MAX_UNPOOL, { x: result, indices: tf.tensor(bad, indexes.shape, 'int32') }, attrs as never)).toThrow(
            new RegExp(`index \\d+ at \\[0, 0, ${Math.floor(5 / sh[3])}, ${5 % sh[3]}\\] does not point into its 2x2 pooling window`),
          );
          return tf.scalar(0);
        });
      }
    });

    it('refuses indices from a pooling of another layer, out of range, or of another channel', async () => {
      await onBackend('wasm', () => {
        // Switches of a [2, 11, 9, 3] pooling: the same pooled shape [2, 5, 4, 3], other positions.
        const other = tf.maxPoolWithArgmax(tied([2, 11, 9, 3], 10) as tf.Tensor4D, 2, 2, 'valid');
        const mine = tf.maxPoolWithArgmax(tied([2, 11, 8, 3], 11) as tf.Tensor4D, 2, 2, 'valid');
        const v = rnd(mine.result.shape, 12);
        const attrs = { outputShape: [2, 11, 8, 3], filterSize: [2, 2], strides: [2, 2], pad: 'valid' };
        const run = (idx: tf.Tensor) => tf.engine().runKernel(MAX_UNPOOL, { x: v, indices: idx }, attrs as never);
        expect(() => run(mine.indexes)).not.toThrow();
        // Read with width 8 instead of 9, most indices land outside their window.
        expect(() => run(other.indexes)).toThrow(/does not point into its 2x2 pooling window.*another layer/);
        expect(() => run(tf.fill(v.shape, 10_000, 'int32'))).toThrow(/does not point into/);
        expect(() => run(tf.fill(v.shape, 1, 'int32'))).toThrow(/\[0, 0, 0, 0\]/);
        expect(() => run(tf.cast(mine.indexes, 'float32'))).toThrow(/int32/);
        // Valid positions of the neighbouring window (two columns right): in range, same channel.
        expect(() => run(tf.minimum(tf.add(mine.indexes, tf.scalar(2 * 3, 'int32')), tf.scalar(11 * 8 * 3 - 1, 'int32')))).toThrow(/pooling window/);
        // Overlapping padded windows (3x3 / 2 same): two rows down takes maxima out of their window.
        const padded = tf.maxPoolWithArgmax(tied([1, 7, 6, 2], 13) as tf.Tensor4D, 3, 2, 'same');
        const pAttrs = { outputShape: [1, 7, 6, 2], filterSize: [3, 3], strides: [2, 2], pad: 'same' };
        const runP = (idx: tf.Tensor) => tf.engine().runKernel(MAX_UNPOOL, { x: padded.result, indices: idx }, pAttrs as never);
        expect(() => runP(padded.indexes)).not.toThrow();
        expect(() => runP(tf.minimum(tf.add(padded.indexes, tf.scalar(2 * 6 * 2, 'int32')), tf.scalar(7 * 6 * 2 - 1, 'int32')))).toThrow(/pooling window/);
        expect(() =>
          tf.engine().runKernel(MAX_UNPOOL, { x: v, indices: mine.indexes }, { ...attrs, outputShape: [2, 16, 8, 3] } as never),
        ).toThrow(/do not match a 2x2 \/ 2 max-pool of \[2, 16, 8, 3\]/);
        return tf.scalar(0);
      });
    });
  });

  describe('ResizeBilinear', () => {
    const cases: Array<[string, Shape4, [number, number], boolean, boolean]> = [
      ['2x half-pixel, batch 2', [2, 5, 4, 3], [10, 8], false, true],
      ['3x half-pixel, non-square', [1, 3, 6, 2], [9, 18], false, true],
      ['2x legacy (no half pixel)', [2, 4, 5, 2], [8, 10], false, false],
      ['align corners', [1, 4, 6, 3], [7, 11], true, false],
      ['down-sampling half-pixel', [1, 9, 7, 2], [4, 3], false, true],
      // C a multiple of 4: the SIMD scatter on wasm.
      ['SIMD 2x half-pixel, batch 2', [2, 5, 4, 4], [10, 8], false, true],
      ['SIMD 3x half-pixel, non-square', [1, 3, 6, 8], [9, 18], false, true],
      ['SIMD align corners', [1, 4, 6, 8], [7, 11], true, false],
      ['SIMD down-sampling', [2, 9, 7, 4], [4, 3], false, true],
    ];
    for (const [name, shape, size, align, half] of cases) {
      it(`${name}: forward wasm = cpu, gradient wasm = cpu and adjoint of the stock cpu forward`, async () => {
        const xData = randomArray(tf.util.sizeFromShape(shape), 13);
        const gData = randomArray(shape[0] * size[0] * size[1] * shape[3], 14);
        const f = () => {
          const x = tf.tensor4d(xData, shape);
          const g = tf.tensor4d(gData, [shape[0], ...size, shape[3]]);
          const y = tf.image.resizeBilinear(x, size, align, half);
          const dx = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.image.resizeBilinear(a as tf.Tensor4D, size, align, half), g)))(x);
          return [y, dx];
        };
        const [wy, wdx] = await onBackend('wasm', f);
        const [cy, cdx] = await onBackend('cpu', f);
        expect(relError(wy, cy)).toBeLessThan(1e-5);
        expect(relError(wdx, cdx)).toBeLessThan(1e-5);
        // The gradient of a linear map is its adjoint: <R x, g> = <x, R^T g> (R: stock cpu forward).
        expect(Math.abs(dot(cy, gData) - dot(xData, cdx))).toBeLessThan(1e-4 * Math.max(1, Math.abs(dot(cy, gData))));
        expect(cdx.length).toBe(xData.length);
      });
    }
  });

  it('leaky ReLU forward and gradient (wasm SIMD + scalar tail) = cpu = finite differences', async () => {
    for (const [shape, alpha] of [[[2, 6, 5, 4], 0.1], [[1, 3, 5, 3], 0.3]] as Array<[number[], number]>) {
      const xData = randomArray(tf.util.sizeFromShape(shape), 15).map((v) => (v >= 0 ? 0.2 + v : -0.2 + v));
      const wData = randomArray(xData.length, 16);
      const f = () => {
        const x = tf.tensor(xData, shape);
        const w = tf.tensor(wData, shape);
        return [tf.leakyRelu(x, alpha), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.leakyRelu(a, alpha), w)))(x)];
      };
      const [wy, wdx] = await onBackend('wasm', f);
      const [cy, cdx] = await onBackend('cpu', f);
      expect(relError(wy, cy)).toBeLessThan(1e-6);
      expect(relError(wdx, cdx)).toBeLessThan(1e-6);
      await onBackend('cpu', () => {
        const x = tf.tensor(xData, shape);
        expect(fdError((a) => tf.leakyRelu(a, alpha), x, tf.tensor(wData, shape), cdx)).toBeLessThan(1e-2);
        return tf.scalar(0);
      });
    }
  });

  it('DepthToSpace (wasm bulk copies) = stock cpu, block sizes 2 and 3', async () => {
    for (const [shape, s] of [[[2, 3, 5, 12], 2], [[1, 4, 2, 18], 3]] as Array<[Shape4, number]>) {
      const xData = randomArray(tf.util.sizeFromShape(shape), 29);
      const f = () => tf.depthToSpace(tf.tensor4d(xData, shape), s);
      const [w] = await onBackend('wasm', f);
      const [c] = await onBackend('cpu', f);
      expect(Array.from(w)).toEqual(Array.from(c));
    }
  });

  it('HemaPhaseSplit (wasm bulk copies, cpu loop) = the generic 6-D transpose', async () => {
    for (const [shape, dH, dW] of [[[2, 6, 4, 3], 2, 2], [[1, 9, 6, 5], 3, 2]] as Array<[Shape4, number, number]>) {
      const xData = randomArray(tf.util.sizeFromShape(shape), 30);
      const [N, H, W, C] = shape;
      const f = () => [
        tf.engine().runKernel(PHASE_SPLIT, { x: tf.tensor4d(xData, shape) }, { dH, dW }) as tf.Tensor,
        tf.transpose(tf.reshape(tf.tensor4d(xData, shape), [N, H / dH, dH, W / dW, dW, C]), [2, 4, 0, 1, 3, 5]),
      ];
      const [w, ref] = await onBackend('wasm', f);
      const [c] = await onBackend('cpu', f);
      expect(Array.from(w)).toEqual(Array.from(ref));
      expect(Array.from(c)).toEqual(Array.from(ref));
    }
  });

  describe('transposed convolution (Conv2DBackpropInput forward, its registered gradient)', () => {
    const cases: Array<[string, Shape4, number, number, number, 'same' | 'valid']> = [
      // name, x, K, stride, Cout, pad
      ['2x2 / 2 same', [2, 5, 6, 4], 2, 2, 3, 'same'],
      ['3x3 / 2 same', [2, 5, 5, 3], 3, 2, 4, 'same'],
      ['3x3 / 2 valid', [1, 4, 6, 3], 3, 2, 2, 'valid'],
      ['4x4 / 4 valid (Slim-T)', [2, 3, 3, 5], 4, 4, 1, 'valid'],
      ['3x3 / 3 same (5 -> 15)', [1, 5, 5, 3], 3, 3, 2, 'same'],
      ['5x5 / 2 same', [1, 4, 5, 2], 5, 2, 3, 'same'],
      ['3x3 / 1 same', [1, 6, 6, 3], 3, 1, 2, 'same'],
    ];
    const outSize = (n: number, k: number, s: number, pad: string) => (pad === 'same' ? n * s : (n - 1) * s + k);
    for (const [name, xs, K, s, CO, pad] of cases) {
      it(`${name}: forward, input and filter gradients wasm = cpu`, async () => {
        const wShape: Shape4 = [K, K, CO, xs[3]];
        const out: Shape4 = [xs[0], outSize(xs[1], K, s, pad), outSize(xs[2], K, s, pad), CO];
        const xData = randomArray(tf.util.sizeFromShape(xs), 17);
        const wData = randomArray(tf.util.sizeFromShape(wShape), 18);
        const gData = randomArray(tf.util.sizeFromShape(out), 19);
        const f = () => {
          const x = tf.tensor4d(xData, xs);
          const w = tf.tensor4d(wData, wShape);
          const op = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, out, s, pad);
          const [dx, dw] = tf.grads(op)([x, w], tf.tensor4d(gData, out));
          return [op(x, w), dx, dw];
        };
        const [wy, wdx, wdw] = await onBackend('wasm', f);
        const [cy, cdx, cdw] = await onBackend('cpu', f);
        expect(relError(wy, cy)).toBeLessThan(1e-5);
        expect(relError(wdx, cdx)).toBeLessThan(1e-5);
        expect(relError(wdw, cdw)).toBeLessThan(1e-5);
      });
    }

    it('gradients match finite differences on cpu (3x3 / 2 same)', async () => {
      await onBackend('cpu', () => {
        const x = rnd([1, 3, 4, 2], 20);
        const w = rnd([3, 3, 3, 2], 21);
        const out: Shape4 = [1, 6, 8, 3];
        const g = rnd(out, 22);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, out, 2, 'same'), g)))([x, w]);
        expect(fdError((a) => tf.conv2dTranspose(a as tf.Tensor4D, w as tf.Tensor4D, out, 2, 'same'), x, g, dx.dataSync() as Float32Array)).toBeLessThan(1e-2);
        expect(fdError((b) => tf.conv2dTranspose(x as tf.Tensor4D, b as tf.Tensor4D, out, 2, 'same'), w, g, dw.dataSync() as Float32Array)).toBeLessThan(1e-2);
        return tf.scalar(0);
      });
    });
  });

  describe('dilated convolution gradients', () => {
    const cases: Array<[string, Shape4, number, number, number, 'same' | 'valid']> = [
      ['3x3 dilation 2 same', [2, 9, 8, 3], 3, 2, 4, 'same'],
      ['3x3 dilation 3 same', [1, 11, 12, 4], 3, 3, 2, 'same'],
      ['3x3 dilation 2 valid', [2, 10, 9, 2], 3, 2, 3, 'valid'],
      ['2x2 dilation 3 same (even kernel)', [1, 8, 7, 2], 2, 3, 3, 'same'],
    ];
    for (const [name, xs, K, d, CO, pad] of cases) {
      it(`${name}: wasm = cpu`, async () => {
        const wShape: Shape4 = [K, K, xs[3], CO];
        const xData = randomArray(tf.util.sizeFromShape(xs), 23);
        const wData = randomArray(tf.util.sizeFromShape(wShape), 24);
        const f = () => {
          const x = tf.tensor4d(xData, xs);
          const w = tf.tensor4d(wData, wShape);
          const op = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad, 'NHWC', d);
          const y = op(x, w);
          const [dx, dw] = tf.grads(op)([x, w], rnd(y.shape, 25));
          return [dx, dw];
        };
        const [wdx, wdw] = await onBackend('wasm', f);
        const [cdx, cdw] = await onBackend('cpu', f);
        expect(relError(wdx, cdx)).toBeLessThan(1e-5);
        expect(relError(wdw, cdw)).toBeLessThan(1e-5);
      });
    }

    it('gradients match finite differences on cpu (dilation 2 and 3)', async () => {
      await onBackend('cpu', () => {
        for (const [d, pad] of [[2, 'same'], [3, 'valid']] as Array<[number, 'same' | 'valid']>) {
          const x = rnd([1, 8, 9, 2], 26);
          const w = rnd([3, 3, 2, 2], 27);
          const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad, 'NHWC', d);
          const g = rnd(conv(x, w).shape, 28);
          const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a, b), g)))([x, w]);
          expect(fdError((a) => conv(a, w), x, g, dx.dataSync() as Float32Array)).toBeLessThan(1e-2);
          expect(fdError((b) => conv(x, b), w, g, dw.dataSync() as Float32Array)).toBeLessThan(1e-2);
        }
        return tf.scalar(0);
      });
    });
  });
});
