// The family ops as layers use them: shapes, refusals with clear messages, gradients through
// a small SegNet/DeconvNet-like stack (wasm against cpu), and the fallbacks used on backends
// without the project kernels (generic unpooling, the dilated convolution's custom gradient).
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../backend/initBackend';
import { unpoolGatherGeneric, unpoolScatterGeneric } from '../../kernels/op-gradients';
import { onBackend, randomArray, relError } from '../../kernels/testUtil';
import { dilatedConv2dCustomGrad } from './dilated-conv';
import { convTranspose2d, dilatedConv2d, leakyRelu, maxPoolWithSwitches, maxUnpool, resizeBilinear, upsampleBilinear } from './index';

type Shape4 = [number, number, number, number];
const rnd = (shape: number[], seed: number, scale = 1) => tf.tensor(randomArray(tf.util.sizeFromShape(shape), seed, scale), shape);

describe('model ops for the SegNet / DeconvNet / LSTM-CNN families', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('max-pool with switches then unpool puts every maximum back in place, zeros elsewhere', () => {
    tf.tidy(() => {
      const x = rnd([2, 6, 8, 3], 1) as tf.Tensor4D;
      const { output, switches } = maxPoolWithSwitches(x, { layer: 'enc1/pool' });
      expect(output.shape).toEqual([2, 3, 4, 3]);
      expect(switches.inputShape).toEqual([2, 6, 8, 3]);
      const back = maxUnpool(output, switches);
      expect(back.shape).toEqual(x.shape);
      // Non-zero exactly where x equals its window maximum; the values are those maxima.
      const expected = tf.mul(x, tf.cast(tf.equal(x, tf.image.resizeNearestNeighbor(output, [6, 8])), 'float32'));
      expect(relError(back.dataSync(), expected.dataSync())).toBe(0);
      expect(tf.sum(tf.cast(tf.notEqual(back, 0), 'int32')).dataSync()[0]).toBe(output.size);
    });
  });

  it('refuses switches from a layer of another shape, naming the pooling', () => {
    tf.tidy(() => {
      const enc1 = maxPoolWithSwitches(rnd([1, 8, 8, 4], 2) as tf.Tensor4D, { layer: 'enc1/pool' });
      const enc2 = maxPoolWithSwitches(enc1.output, { layer: 'enc2/pool' });
      expect(() => maxUnpool(enc2.output, enc1.switches)).toThrow(
        /values \[1, 2, 2, 4\] cannot be unpooled with the switches of the 2x2 \/ stride 2x2 max-pool 'enc1\/pool' of \[1, 8, 8, 4\], which gave \[1, 4, 4, 4\]/,
      );
      // Switches whose recorded shape was tampered with: the kernel's window check catches them.
      const forged = { ...enc1.switches, inputShape: [1, 8, 9, 4] as Shape4 };
      expect(() => maxUnpool(enc1.output, forged)).toThrow(/pooling window.*another layer/);
      const pooled = maxPoolWithSwitches(rnd([1, 4, 4, 1], 3) as tf.Tensor4D);
      pooled.switches.indices.dispose();
      expect(() => maxUnpool(pooled.output, pooled.switches)).toThrow(/were disposed/);
      expect(() => maxPoolWithSwitches(rnd([1, 1, 4, 1], 4) as tf.Tensor4D, { layer: 'tiny' })).toThrow(/\(tiny\).*smaller than the 2x2 window/);
    });
  });

  it('generic unpooling (backends without the project kernels) matches the kernels', async () => {
    const xData = randomArray(2 * 7 * 6 * 3, 5);
    const f = () => {
      const { output, switches } = maxPoolWithSwitches(tf.tensor4d(xData, [2, 7, 6, 3]), { filterSize: 3, strides: 2, pad: 'same' });
      const v = rnd(output.shape, 6);
      const dy = rnd(switches.inputShape, 7);
      return [
        maxUnpool(v as tf.Tensor4D, switches),
        unpoolScatterGeneric(v, switches.indices, switches.inputShape, false),
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maxUnpool(a as tf.Tensor4D, switches), dy)))(v),
        unpoolGatherGeneric(dy, switches.indices, false),
      ];
    };
    const [kernel, generic, grad, gather] = await onBackend('cpu', f);
    expect(relError(kernel, generic)).toBeLessThan(1e-6);
    expect(relError(grad, gather)).toBeLessThan(1e-6);
  });

  it('transposed convolution and bilinear up-sampling give the Keras output sizes', () => {
    tf.tidy(() => {
      const x = rnd([2, 5, 6, 4], 8) as tf.Tensor4D;
      expect(convTranspose2d(x, rnd([2, 2, 3, 4], 9) as tf.Tensor4D).shape).toEqual([2, 10, 12, 3]);
      expect(convTranspose2d(x, rnd([3, 3, 3, 4], 9) as tf.Tensor4D, { stride: 3 }).shape).toEqual([2, 15, 18, 3]);
      expect(convTranspose2d(x, rnd([3, 3, 3, 4], 9) as tf.Tensor4D, { stride: 2, pad: 'valid' }).shape).toEqual([2, 11, 13, 3]);
      expect(convTranspose2d(x, rnd([4, 4, 1, 4], 9) as tf.Tensor4D, { stride: 4, pad: 'valid' }).shape).toEqual([2, 20, 24, 1]);
      expect(() => convTranspose2d(x, rnd([2, 2, 3, 5], 9) as tf.Tensor4D)).toThrow(/expects 5 input channels, x has 4/);
      expect(upsampleBilinear(x, 2).shape).toEqual([2, 10, 12, 4]);
      expect(upsampleBilinear(x, [3, 1]).shape).toEqual([2, 15, 6, 4]);
      expect(resizeBilinear(x, [7, 9], { alignCorners: true }).shape).toEqual([2, 7, 9, 4]);
      expect(() => upsampleBilinear(x, 1.5)).toThrow(/positive integer/);
      expect(() => leakyRelu(x, 1.5)).toThrow(/alpha/);
      // Half-pixel centres: a constant image stays constant, and 2x of [0, 1] is [0, .25, .75, 1].
      const ramp = upsampleBilinear(tf.tensor4d([0, 1], [1, 1, 2, 1]), 2);
      expect(Array.from(ramp.dataSync())).toEqual([0, 0.25, 0.75, 1, 0, 0.25, 0.75, 1]);
    });
  });

  it('a SegNet/DeconvNet-like stack trains the same on wasm and cpu (all op gradients on one tape)', async () => {
    const shapes = { x: [2, 12, 12, 3], w1: [3, 3, 3, 8], wd: [3, 3, 8, 8], wt: [2, 2, 8, 8], wo: [1, 1, 8, 2] };
    const data = Object.fromEntries(Object.entries(shapes).map(([k, s], i) => [k, randomArray(tf.util.sizeFromShape(s), 40 + i, 0.5)]));
    const f = () => {
      const x = tf.tensor4d(data.x, shapes.x as Shape4);
      const vars = ['w1', 'wd', 'wt', 'wo'].map((k) => tf.variable(tf.tensor4d(data[k], shapes[k as keyof typeof shapes] as Shape4), true, `ops-test/${k}`));
      const [w1, wd, wt, wo] = vars;
      const loss = () => {
        const h = leakyRelu(tf.conv2d(x, w1 as tf.Tensor4D, 1, 'same'), 0.1); // [2, 12, 12, 8]
        const p1 = maxPoolWithSwitches(h as tf.Tensor4D); // [2, 6, 6, 8]
        const d = leakyRelu(dilatedConv2d(p1.output, wd as tf.Tensor4D, 2), 0.1);
        const p2 = maxPoolWithSwitches(d, { filterSize: 3, strides: 3 }); // [2, 2, 2, 8]
        const u2 = maxUnpool(p2.output, p2.switches); // [2, 6, 6, 8]
        const t = convTranspose2d(u2, wt as tf.Tensor4D, { stride: 2 }); // [2, 12, 12, 8]
        const u1 = maxUnpool(p1.output, p1.switches); // [2, 12, 12, 8]
        const up = upsampleBilinear(p1.output, 2); // [2, 12, 12, 8]
        const logits = tf.conv2d(tf.addN([t, u1, up]) as tf.Tensor4D, wo as tf.Tensor4D, 1, 'valid');
        return tf.mean(tf.square(logits)) as tf.Scalar;
      };
      const { value, grads } = tf.variableGrads(loss, vars);
      const out = [value, ...vars.map((v) => grads[v.name])];
      const kept = out.map((t) => tf.keep(tf.clone(t)));
      tf.dispose([...vars, ...out]);
      return kept;
    };
    const wasm = await onBackend('wasm', f);
    const cpu = await onBackend('cpu', f);
    // A second step leaves no tensor behind (switches, masks and gradient scratch are freed).
    const before = tf.memory().numTensors;
    await onBackend('wasm', f);
    expect(tf.memory().numTensors).toBe(before);
    expect(relError(wasm[0], cpu[0])).toBeLessThan(1e-5);
    for (let i = 1; i < wasm.length; i++) {
      expect(relError(wasm[i], cpu[i])).toBeLessThan(1e-4);
      expect(Math.max(...Array.from(cpu[i]).map(Math.abs))).toBeGreaterThan(0);
    }
  });

  it('the dilated convolution custom gradient (used where tfjs owns the Conv2D gradient) equals the registered one', async () => {
    const f = () => {
      const x = rnd([1, 9, 10, 3], 50);
      const w = rnd([3, 3, 3, 4], 51);
      const g = rnd([1, 9, 10, 4], 52);
      const viaKernel = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(dilatedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 3), g)))([x, w]);
      const viaCustom = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(dilatedConv2dCustomGrad(a as tf.Tensor4D, b as tf.Tensor4D, [3, 3], 'same'), g)))([x, w]);
      return [...viaKernel, ...viaCustom];
    };
    const [dx, dw, cdx, cdw] = await onBackend('cpu', f);
    expect(relError(cdx, dx)).toBeLessThan(1e-6);
    expect(relError(cdw, dw)).toBeLessThan(1e-6);
  });
});
