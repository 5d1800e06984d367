// Dilated (atrous) convolution, stride 1. Differentiable in x and filter on every backend: its
// gradients are ordinary convolutions (kernels/dilated-conv-grad.ts). On wasm/cpu the Conv2D
// kernel's registered gradient handles dilations; a custom gradient covers backends whose
// Conv2D gradient is tfjs's own (which refuses dilations > 1).
import * as tf from '@tensorflow/tfjs-core';
import { dilatedConvFilterGrad, dilatedConvInputGrad } from '../../kernels/dilated-conv-grad';
import { hasProjectKernels } from '../../kernels/registerWasmKernels';
import { customOp } from '../customOp';

/** x [N, H, W, Ci], filter [K, K, Ci, Co]; dilation 1 is a plain convolution. */
export function dilatedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, dilation: number | [number, number], pad: 'same' | 'valid' = 'same'): tf.Tensor4D {
  const d: [number, number] = typeof dilation === 'number' ? [dilation, dilation] : dilation;
  if (!d.every((v) => Number.isInteger(v) && v >= 1)) throw new Error(`dilatedConv2d: dilation must be positive integers, got ${String(dilation)}`);
  if (hasProjectKernels(tf.getBackend()) || (d[0] === 1 && d[1] === 1)) return tf.conv2d(x, filter, 1, pad, 'NHWC', d);
  return dilatedConv2dCustomGrad(x, filter, d, pad);
}

/** The same convolution behind a custom gradient (exported for the tests). */
export function dilatedConv2dCustomGrad(x: tf.Tensor4D, filter: tf.Tensor4D, d: [number, number], pad: 'same' | 'valid'): tf.Tensor4D {
  const a = { pad, dilations: d };
  const op = customOp(([xi, w], save) => {
    save([xi, w]);
    return {
      value: tf.conv2d(xi as tf.Tensor4D, w as tf.Tensor4D, 1, pad, 'NHWC', d),
      gradFunc: (dy, [xs, ws]) => [
        dilatedConvInputGrad(dy as tf.Tensor4D, ws as tf.Tensor4D, xs.shape, a),
        dilatedConvFilterGrad(xs as tf.Tensor4D, dy as tf.Tensor4D, ws.shape, a),
      ],
    };
  });
  return op(x, filter) as tf.Tensor4D;
}
