// Max-unpooling by pooling switches (SegNet, DeconvNet): each value goes back to the position
// of the maximum it came from, zeros elsewhere. Differentiable in x (the gradient gathers by
// the same switches). Switches from another layer are refused: the values' shape must be the
// pooled shape the switches record, and on wasm/cpu the kernel also checks every index lies in
// its own pooling window (kernels/MaxUnpool.ts).
import * as tf from '@tensorflow/tfjs-core';
import { unpoolScatter } from '../../kernels/op-gradients';
import type { PoolSwitches } from './max-pool-switches';

export function maxUnpool(x: tf.Tensor4D, switches: PoolSwitches): tf.Tensor4D {
  const s = switches;
  const pooling = `the ${s.filterSize.join('x')} / stride ${s.strides.join('x')} max-pool '${s.layer}' of [${s.inputShape.join(', ')}]`;
  if (s.indices.isDisposed) throw new Error(`maxUnpool: the switches of ${pooling} were disposed`);
  if (x.rank !== 4 || x.shape.some((d, i) => d !== s.outputShape[i])) {
    throw new Error(
      `maxUnpool: values [${x.shape.join(', ')}] cannot be unpooled with the switches of ${pooling}, ` +
        `which gave [${s.outputShape.join(', ')}]: use the switches of the pooling that produced this shape`,
    );
  }
  return unpoolScatter(x, s.indices, s.inputShape, false, {
    filterSize: s.filterSize,
    strides: s.strides,
    pad: s.pad,
  }) as tf.Tensor4D;
}
