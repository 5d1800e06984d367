// SegNet-Basic (seeds.md B): encoder level i = K x K conv (no bias) + BN + ReLU, then 2x2
// max-pooling that records its switches; decoder level i (deepest first) = max-unpooling by
// level i's switches (values back at the maxima, zeros elsewhere), then K x K conv + BN
// without ReLU; dropout, 1x1 conv to 1 (sigmoid) or 3/4 (softmax) channels.
import type * as tf from '@tensorflow/tfjs-core';
import { applyConvBn, newStore, segmentationModel, type ConvBnLayer } from '../../../model/conv-bn-net';
import { maxPoolWithSwitches, maxUnpool, type PoolSwitches } from '../../../model/ops';
import type { SegmentationModel } from '../../../model/segmentation-model';
import { resolveSegnetConfig, segnetDecoderOut, segnetWidths, type SegnetConfig } from '../config';

export type Segnet = SegmentationModel<SegnetConfig>;

/** Builds SegNet-Basic with weights drawn from `seed` (the config's init). */
export function createSegnet(partial: Partial<SegnetConfig> = {}, seed = 1): Segnet {
  const config = resolveSegnetConfig(partial as Record<string, unknown>);
  const store = newStore('segnet', seed);
  const widths = segnetWidths(config);
  const k = config.kernelSize;
  const encoder: ConvBnLayer[] = [];
  let cin = config.inChannels;
  widths.forEach((w, i) => {
    encoder.push(store.convBn(`enc${i}/conv`, k, cin, w, config.init, config.activation));
    cin = w;
  });
  const decoder: ConvBnLayer[] = [];
  for (let i = config.depth - 1; i >= 0; i--) decoder.push(store.convBn(`dec${i}/conv`, k, widths[i], segnetDecoderOut(widths, i), config.init, 'linear'));
  const div = 2 ** config.depth;
  return segmentationModel(
    'segnet',
    config,
    store,
    seed,
    widths[0],
    (x, lo) => {
      const switches: PoolSwitches[] = [];
      let h: tf.Tensor4D = x;
      encoder.forEach((layer, i) => {
        const pooled = maxPoolWithSwitches(applyConvBn(h, layer, lo), { filterSize: 2, strides: 2, layer: `enc${i}/pool` });
        switches.push(pooled.switches);
        h = pooled.output;
      });
      for (const layer of decoder) h = applyConvBn(maxUnpool(h, switches.pop() as PoolSwitches), layer, lo);
      return h;
    },
    (x) => {
      if (x.shape[1] % div !== 0 || x.shape[2] % div !== 0) throw new Error(`SegNet input height/width must be divisible by 2^depth = ${div}, got ${x.shape[1]}x${x.shape[2]}`);
    },
  );
}
