// Finite-difference checks of the gradients registered in gradients.ts (tfjs-core alone ships
// none), on the cpu backend. Inputs stay away from kinks (ReLU, abs, max at ties).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { CORE_GRADIENTS } from './gradients';
import { randomArray } from './testUtil';

/** Largest |analytic - numeric| / max(1, |numeric|) over every input element. */
function gradError(f: (...xs: tf.Tensor[]) => tf.Scalar, inputs: tf.Tensor[]): number {
  const analytic = tf.grads((...xs: tf.Tensor[]) => f(...xs))(inputs).map((g) => g.dataSync());
  const h = 1e-2;
  let worst = 0;
  inputs.forEach((input, k) => {
    const base = input.dataSync();
    for (let i = 0; i < base.length; i++) {
      const eval1 = (delta: number) => {
        const d = Float32Array.from(base);
        d[i] += delta;
        const args = inputs.map((t, j) => (j === k ? tf.tensor(d, t.shape, t.dtype) : t));
        return tf.tidy(() => f(...args).dataSync()[0]);
      };
      const numeric = (eval1(h) - eval1(-h)) / (2 * h);
      worst = Math.max(worst, Math.abs(analytic[k][i] - numeric) / Math.max(1, Math.abs(numeric)));
    }
  });
  return worst;
}

const t = (shape: number[], seed: number, offset = 0, scale = 1) =>
  tf.tensor(randomArray(tf.util.sizeFromShape(shape), seed, scale).map((v) => v + offset), shape);

/** Distinct values at least 0.1 apart (no ties within the finite-difference step). */
const distinct = (shape: number[], seed: number) => {
  const n = tf.util.sizeFromShape(shape);
  const order = Array.from(randomArray(n, seed)).map((v, i) => [v, i]).sort((p, q) => p[0] - q[0]);
  const values = new Float32Array(n);
  order.forEach(([, i], rank) => (values[i] = (rank - n / 2) * 0.1));
  return tf.tensor(values, shape);
};

/** Values in [0.3, 1] or [-1, -0.3] (away from zero). */
const awayFromZero = (shape: number[], seed: number) =>
  tf.tensor(randomArray(tf.util.sizeFromShape(shape), seed).map((v) => (v >= 0 ? 0.3 + 0.7 * v : -0.3 + 0.7 * v)), shape);

const weighted = (y: tf.Tensor, seed: number): tf.Scalar => tf.sum(tf.mul(y, t(y.shape, seed))) as tf.Scalar;

describe('registered core gradients', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  it('cover the kernels the U-Net and its losses need', () => {
    const names = new Set(CORE_GRADIENTS.map((g) => g.kernelName));
    for (const k of ['Conv2D', 'MaxPool', 'Concat', 'Reshape', 'Transpose', 'BatchMatMul', 'Multiply', 'Add', 'Sub', 'RealDiv', 'Sum', 'Mean', 'Relu', 'Rsqrt', 'Square']) {
      expect(names.has(k), k).toBe(true);
    }
  });

  const unaryCases: Array<[string, (x: tf.Tensor) => tf.Tensor, () => tf.Tensor]> = [
    ['relu', tf.relu, () => awayFromZero([3, 4], 1)],
    ['exp', tf.exp, () => t([3, 4], 2)],
    ['log', tf.log, () => t([3, 4], 3, 2)],
    ['log1p', tf.log1p, () => t([3, 4], 4, 1)],
    ['neg', tf.neg, () => t([5], 5)],
    ['abs', tf.abs, () => awayFromZero([6], 6)],
    ['square', tf.square, () => t([2, 3], 7)],
    ['sqrt', tf.sqrt, () => t([2, 3], 8, 2)],
    ['rsqrt', tf.rsqrt, () => t([2, 3], 9, 2)],
    ['reciprocal', tf.reciprocal, () => awayFromZero([4], 10)],
    ['sigmoid', tf.sigmoid, () => t([4], 11)],
    ['tanh', tf.tanh, () => t([4], 12)],
    ['softplus', tf.softplus, () => t([4], 13)],
    ['clipByValue', (x) => tf.clipByValue(x, -0.5, 0.5), () => tf.tensor([-0.9, -0.2, 0.1, 0.4, 0.8])],
    ['cast to float (identity)', (x) => tf.cast(x, 'float32'), () => t([3], 14)],
    ['reshape', (x) => tf.reshape(x, [6, 2]), () => t([3, 4], 15)],
    ['transpose', (x) => tf.transpose(x, [2, 0, 1]), () => t([2, 3, 4], 16)],
    ['sum over axes', (x) => tf.sum(x, [0, 2]), () => t([2, 3, 4], 17)],
    ['mean over axes', (x) => tf.mean(x, [1], true), () => t([2, 3, 4], 18)],
    ['max', (x) => tf.max(x, 1), () => distinct([3, 5], 19)],
    ['min', (x) => tf.min(x, 0), () => distinct([3, 5], 20)],
    ['slice', (x) => tf.slice(x, [1, 0, 1], [1, 2, 2]), () => t([2, 3, 4], 21)],
    ['tile', (x) => tf.tile(x, [2, 1, 3]), () => t([2, 3, 2], 22)],
    ['pad', (x) => tf.pad(x, [[1, 0], [0, 2]]), () => t([2, 3], 23)],
    ['logSumExp', (x) => tf.logSumExp(x, 1), () => t([3, 4], 24)],
    ['moments variance', (x) => tf.moments(x, [0, 1]).variance, () => t([3, 4, 2], 25)],
    ['resize nearest 2x (batch 1)', (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 4]), () => t([1, 3, 2, 2], 26)],
  ];
  for (const [name, op, make] of unaryCases) {
    it(`${name}`, () => {
      const x = make();
      expect(gradError((a) => weighted(op(a), 99), [x])).toBeLessThan(2e-2);
    });
  }

  const binaryCases: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, () => [tf.Tensor, tf.Tensor]]> = [
    ['add (broadcast)', tf.add, () => [t([2, 3], 1), t([3], 2)]],
    ['sub (broadcast)', tf.sub, () => [t([2, 1, 3], 3), t([2, 4, 3], 4)]],
    ['mul (broadcast)', tf.mul, () => [t([4, 3], 5), t([4, 1], 6)]],
    ['div (broadcast)', tf.div, () => [t([2, 3], 7), t([3], 8, 2)]],
    ['maximum', tf.maximum, () => [distinct([6], 9), tf.add(distinct([6], 10), 0.05)]],
    ['minimum', tf.minimum, () => [distinct([6], 11), tf.add(distinct([6], 12), 0.05)]],
    ['squaredDifference', tf.squaredDifference, () => [t([3, 2], 13), t([2], 14)]],
    ['matMul', (a, b) => tf.matMul(a, b), () => [t([3, 4], 15), t([4, 2], 16)]],
    ['matMul transposeA', (a, b) => tf.matMul(a, b, true, false), () => [t([4, 3], 17), t([4, 2], 18)]],
    ['matMul transposeB', (a, b) => tf.matMul(a, b, false, true), () => [t([3, 4], 19), t([2, 4], 20)]],
    ['matMul both', (a, b) => tf.matMul(a, b, true, true), () => [t([4, 3], 21), t([2, 4], 22)]],
    ['concat', (a, b) => tf.concat([a, b], 1), () => [t([2, 3], 23), t([2, 2], 24)]],
    ['addN', (a, b) => tf.addN([a, b, a]), () => [t([3], 25), t([3], 26)]],
    ['conv2d', (a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), () => [t([1, 4, 4, 2], 27), t([3, 3, 2, 2], 28)]],
  ];
  for (const [name, op, make] of binaryCases) {
    it(`${name}`, () => {
      const [a, b] = make();
      expect(gradError((x, y) => weighted(op(x, y), 98), [a, b])).toBeLessThan(2e-2);
    });
  }

  it('maxPool and gather', () => {
    const x = distinct([1, 4, 4, 2], 31);
    expect(gradError((a) => weighted(tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid'), 97), [x])).toBeLessThan(2e-2);
    const p = t([5], 32);
    const idx = tf.tensor1d([0, 3, 3, 1], 'int32');
    expect(gradError((a) => weighted(tf.gather(a, idx), 96), [p])).toBeLessThan(2e-2);
  });
});
