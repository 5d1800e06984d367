// DeconvNet (seeds.md B and C): VGG16-like encoder blocks of 3x3 conv + BN + ReLU, each
// followed by its pooling (factor 1: none; 'unpool' records the switches). The decoder
// mirrors it deepest block first: enlarge by the block's factor, then its conv layers in
// reverse, the last narrowing to the block above's width. 'upsample' (seed 002) enlarges by
// nearest or bilinear up-sampling and convolves; 'unpool' (seed 003) places values back at
// the recorded maxima and applies stride-1 transposed convolutions. The fully connected
// middle of the original DeconvNet is left out (the seeds' variants are fully convolutional).
import * as tf from '@tensorflow/tfjs-core';
import { applyConvBn, newStore, segmentationModel, type ConvBnLayer } from '../../../model/conv-bn-net';
import { maxPoolWithSwitches, maxUnpool, upsampleBilinear, type PoolSwitches } from '../../../model/ops';
import type { SegmentationModel } from '../../../model/segmentation-model';
import { DECONV_KERNEL, deconvLayers, deconvSizeMultiple, deconvWidths, poolingFactors, resolveDeconvnetConfig, type DeconvnetConfig } from '../config';

export type Deconvnet = SegmentationModel<DeconvnetConfig>;

/**
 * Nearest up-sampling by an integer factor (Keras' UpSampling2D) from broadcasts and
 * reshapes only, so it differentiates on every backend.
 */
export function upsampleNearest(x: tf.Tensor4D, f: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const rows = tf.reshape(tf.mul(tf.reshape(x, [n, h, 1, w * c]), tf.ones([1, 1, f, 1])), [n * h * f, w, 1, c]);
  return tf.reshape(tf.mul(rows, tf.ones([1, 1, f, 1])), [n, h * f, w * f, c]);
}

export function createDeconvnet(partial: Partial<DeconvnetConfig> = {}, seed = 1): Deconvnet {
  const config = resolveDeconvnetConfig(partial as Record<string, unknown>);
  const store = newStore('deconvnet', seed);
  const pools = poolingFactors(config);
  const layers = deconvLayers(config);
  const unpool = config.decoder === 'unpool';
  const biasInit = config.biasInit ?? 0;
  const encoder: ConvBnLayer[][] = layers.encoder.map((block, b) => block.map(([cin, cout], i) => store.convBn(`enc${b}/conv${i + 1}`, DECONV_KERNEL, cin, cout, config.init, config.activation, false, biasInit)));
  const decoder: ConvBnLayer[][] = layers.decoder.map((block, j) => {
    const b = pools.length - 1 - j;
    return block.map(([cin, cout], i) => store.convBn(`dec${b}/${unpool ? 'deconv' : 'conv'}${i + 1}`, DECONV_KERNEL, cin, cout, config.init, config.activation, unpool, biasInit));
  });
  const multiple = deconvSizeMultiple(config);
  return segmentationModel(
    'deconvnet',
    config,
    store,
    seed,
    deconvWidths(config)[0],
    (x, lo) => {
      const switches: (PoolSwitches | null)[] = [];
      let h: tf.Tensor4D = x;
      encoder.forEach((block, b) => {
        for (const layer of block) h = applyConvBn(h, layer, lo);
        const f = pools[b];
        if (f === 1) switches.push(null);
        else if (unpool) {
          const p = maxPoolWithSwitches(h, { filterSize: f, strides: f, layer: `enc${b}/pool` });
          switches.push(p.switches);
          h = p.output;
        } else {
          switches.push(null);
          h = tf.maxPool(h, f, f, 'valid');
        }
      });
      decoder.forEach((block, j) => {
        const b = pools.length - 1 - j;
        const f = pools[b];
        const s = switches[b];
        if (s) h = maxUnpool(h, s);
        else if (f > 1) h = config.upsampling === 'bilinear' ? upsampleBilinear(h, f) : upsampleNearest(h, f);
        for (const layer of block) h = applyConvBn(h, layer, lo);
      });
      return h;
    },
    (x) => {
      if (x.shape[1] % multiple !== 0 || x.shape[2] % multiple !== 0) {
        throw new Error(`DeconvNet input height/width must be divisible by the product of the poolings ${config.poolings} = ${multiple}, got ${x.shape[1]}x${x.shape[2]}`);
      }
    },
  );
}
