// The SegNet/DeconvNet layer: inference folds batch norm into the convolution (plain and
// transposed, every activation) and must equal conv + batch norm with running statistics.
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/initBackend';
import { applyConvBn, LEAKY_ALPHA, newStore, type Activation } from './conv-bn-net';
import { convTranspose2d } from './ops';

describe('conv + batch norm layer', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('folded inference equals conv, running-statistics batch norm and the activation', () => {
    const store = newStore('test', 4);
    const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    for (const transposed of [false, true]) {
      for (const activation of ['linear', 'relu', 'leaky'] as Activation[]) {
        const layer = store.convBn(`l${String(transposed)}${activation}`, 3, 3, 5, 'he', activation, transposed);
        layer.bn.movingMean.assign(tf.randomNormal([5], 0, 0.5, 'float32', 1));
        layer.bn.movingVar.assign(tf.randomUniform([5], 0.5, 2, 'float32', 2));
        layer.bn.gamma.assign(tf.randomUniform([5], 0.5, 1.5, 'float32', 5));
        layer.bn.beta.assign(tf.randomNormal([5], 0, 0.3, 'float32', 6));
        const got = applyConvBn(x, layer, { training: false, updateStats: false, fast: true });
        const conv = transposed ? convTranspose2d(x, layer.kernel as tf.Tensor4D, { stride: 1, pad: 'same' }) : tf.conv2d(x, layer.kernel as tf.Tensor4D, 1, 'same');
        const bn = tf.batchNorm(conv, layer.bn.movingMean, layer.bn.movingVar, layer.bn.beta, layer.bn.gamma, 1e-5);
        const want = activation === 'relu' ? tf.relu(bn) : activation === 'leaky' ? tf.where(tf.greater(bn, 0), bn, tf.mul(bn, LEAKY_ALPHA)) : bn;
        expect(tf.max(tf.abs(tf.sub(got, want))).dataSync()[0], `${String(transposed)} ${activation}`).toBeLessThan(1e-4);
        // Training mode: batch statistics, so every channel is centred before gamma/beta.
        const train = applyConvBn(x, layer, { training: true, updateStats: true, fast: true });
        expect(train.shape).toEqual([2, 8, 8, 5]);
        tf.dispose([got, conv, bn, want, train]);
      }
    }
    tf.dispose(x);
    for (const v of store.variables.values()) v.dispose();
  });
});
