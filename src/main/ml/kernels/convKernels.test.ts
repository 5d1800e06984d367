// Gradient checks of the project's wasm convolution-gradient kernels against the cpu backend,
// on random shapes including the strides, paddings and kernel sizes the models use (3x3 same,
// the 2x2 phase kernels of the up-convolution, 1x1) and ones they do not.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { onBackend, randomArray, relError } from './testUtil';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase {
  name: string;
  x: [number, number, number, number];
  k: [number, number];
  cout: number;
  stride: number | [number, number];
  pad: Pad;
}

const CASES: ConvCase[] = [
  { name: 'U-Net 3x3 same', x: [4, 16, 16, 8], k: [3, 3], cout: 16, stride: 1, pad: 'same' },
  { name: 'first layer, 3 channels', x: [2, 12, 12, 3], k: [3, 3], cout: 4, stride: 1, pad: 'same' },
  { name: 'up-conv phase kernel 2x2 pad 1', x: [2, 8, 8, 16], k: [2, 2], cout: 32, stride: 1, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] },
  { name: '1x1 output conv', x: [3, 10, 10, 8], k: [1, 1], cout: 3, stride: 1, pad: 'valid' },
  { name: 'odd size valid', x: [2, 9, 11, 5], k: [3, 3], cout: 7, stride: 1, pad: 'valid' },
  { name: '5x5 same', x: [1, 13, 10, 4], k: [5, 5], cout: 6, stride: 1, pad: 'same' },
  { name: 'stride 2 same', x: [2, 16, 16, 6], k: [3, 3], cout: 5, stride: 2, pad: 'same' },
  { name: 'stride 2 valid, unused last row', x: [2, 10, 9, 3], k: [3, 3], cout: 4, stride: 2, pad: 'valid' },
  { name: 'stride (2,3) explicit asymmetric pads', x: [1, 11, 14, 4], k: [3, 2], cout: 5, stride: [2, 3], pad: [[0, 0], [2, 0], [1, 2], [0, 0]] },
  { name: 'numeric pad 1', x: [2, 7, 7, 3], k: [3, 3], cout: 2, stride: 1, pad: 1 },
  { name: 'pad larger than kernel (general path)', x: [1, 6, 6, 2], k: [2, 2], cout: 3, stride: 1, pad: [[0, 0], [3, 3], [2, 2], [0, 0]] },
];

function outShape(c: ConvCase): number[] {
  // Let tfjs compute the forward output shape (on whatever backend is active).
  return tf.tidy(() => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros([...c.k, c.x[3], c.cout]) as tf.Tensor4D, c.stride, c.pad).shape);
}

describe('wasm convolution gradient kernels', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('run on the threaded wasm backend', () => {
    expect(tf.getBackend()).toBe('wasm');
  });

  for (const c of CASES) {
    it(`Conv2DBackpropFilter and Conv2DBackpropInput match cpu: ${c.name}`, async () => {
      const yShape = outShape(c);
      const wShape = [...c.k, c.x[3], c.cout];
      const xData = randomArray(tf.util.sizeFromShape(c.x), 11);
      const dyData = randomArray(tf.util.sizeFromShape(yShape), 12);
      const wData = randomArray(tf.util.sizeFromShape(wShape), 13);
      const grads = () => {
        const x = tf.tensor4d(xData, c.x);
        const w = tf.tensor4d(wData, wShape as [number, number, number, number]);
        const dy = tf.tensor(dyData, yShape);
        // The real gradient path: tf.grads over conv2d runs both backprop kernels.
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad))([x, w], dy);
        return [dx, dw];
      };
      const [wasmDx, wasmDw] = await onBackend('wasm', grads);
      const [cpuDx, cpuDw] = await onBackend('cpu', grads);
      expect(relError(wasmDw, cpuDw)).toBeLessThan(1e-4);
      expect(relError(wasmDx, cpuDx)).toBeLessThan(1e-4);
    });
  }

  it('conv2dTranspose (Conv2DBackpropInput with stride 2) matches cpu', async () => {
    const dyData = randomArray(2 * 5 * 5 * 6, 21);
    const wData = randomArray(3 * 3 * 4 * 6, 22);
    const f = () => tf.conv2dTranspose(tf.tensor4d(dyData, [2, 5, 5, 6]), tf.tensor4d(wData, [3, 3, 4, 6]), [2, 10, 10, 4], 2, 'same');
    const [a] = await onBackend('wasm', f);
    const [b] = await onBackend('cpu', f);
    expect(relError(a, b)).toBeLessThan(1e-4);
  });

  it('NCHW filter gradient uses the general path and matches cpu', async () => {
    const xData = randomArray(2 * 3 * 6 * 6, 31);
    const dyData = randomArray(2 * 4 * 6 * 6, 32);
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 3, 4] };
    const f = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.tensor4d(xData, [2, 3, 6, 6]), dy: tf.tensor4d(dyData, [2, 4, 6, 6]) }, attrs as never) as tf.Tensor;
    const [a] = await onBackend('wasm', f);
    const [b] = await onBackend('cpu', f);
    expect(relError(a, b)).toBeLessThan(1e-4);
  });
});
