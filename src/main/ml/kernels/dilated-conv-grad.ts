// Gradients of a dilated convolution (stride 1, dilation d > 1), built from ordinary
// convolutions so every backend runs them on its fast convolution (XNNPACK on wasm):
//   dx = conv(dy, W'), W' = W flipped in both spatial axes with in/out channels swapped,
//        same dilation d, pads (KE-1-padTop, ...) with KE = (K-1)*d + 1 the dilated extent;
//   dW = the filter gradient of an ordinary 'valid' convolution over the d*d phases of the
//        padded x and of dy, stacked in the batch (see dilatedConvFilterGrad).
// tfjs's own Conv2D gradient refuses dilations > 1 (and so did this project's until now).
import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import { PHASE_SPLIT } from './PhaseSplit';

type Shape4 = [number, number, number, number];
type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

export interface DilatedConvAttrs {
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function info(xShape: number[], filterShape: number[], a: DilatedConvAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, 1, a.dilations, a.pad, a.dimRoundingMode);
}

export function dilatedConvInputGrad(dy: tf.Tensor4D, filter: tf.Tensor4D, xShape: number[], a: DilatedConvAttrs): tf.Tensor4D {
  const c = info(xShape, filter.shape, a);
  const { padInfo, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = c;
  const keH = c.effectiveFilterHeight;
  const keW = c.effectiveFilterWidth;
  const pt = keH - 1 - padInfo.top;
  const pl = keW - 1 - padInfo.left;
  const pb = H - OH + keH - 1 - pt;
  const pr = W - OW + keW - 1 - pl;
  if (pt < 0 || pl < 0 || pb < 0 || pr < 0) {
    throw new Error(`dilated conv gradient: padding [${padInfo.top}, ${padInfo.left}] larger than the dilated kernel is not supported`);
  }
  return tf.tidy(() => {
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const pad: ExplicitPad = [[0, 0], [pt, pb], [pl, pr], [0, 0]];
    return tf.conv2d(dy, flipped, 1, pad, 'NHWC', [c.dilationHeight, c.dilationWidth]);
  });
}

/**
 * [N, H, W, C] (H, W multiples of d) -> [dH*dW*N, H/dH, W/dW, C], phase (a, b) major:
 * out[(a*dW + b)*N + n, i, j] = x[n, i*dH + a, j*dW + b]. The HemaPhaseSplit kernel where
 * registered (wasm, cpu: bulk copies), else a 6-D transpose.
 */
function spaceToBatch(x: tf.Tensor4D, dH: number, dW: number): tf.Tensor4D {
  if (getKernel(PHASE_SPLIT, tf.getBackend())) return tf.engine().runKernel(PHASE_SPLIT, { x }, { dH, dW }) as tf.Tensor4D;
  const [N, H, W, C] = x.shape;
  const six = tf.reshape(x, [N, H / dH, dH, W / dW, dW, C]);
  return tf.reshape(tf.transpose(six, [2, 4, 0, 1, 3, 5]), [dH * dW * N, H / dH, W / dW, C]) as tf.Tensor4D;
}

/**
 * The filter gradient by phases (the atrous trick): output rows oh = i*d + a read padded x rows
 * (i + kh)*d + a, so each of the d*d phases of dy and of the padded x form an ordinary 'valid'
 * convolution, and dW is their summed filter gradient: one Conv2DBackpropFilter over the phases
 * stacked in the batch. 2-3x faster on wasm than a stride-d convolution with a dy-sized filter.
 */
export function dilatedConvFilterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[], a: DilatedConvAttrs): tf.Tensor4D {
  const c = info(x.shape, filterShape, a);
  const { padInfo, filterHeight: KH, filterWidth: KW, outHeight: OH, outWidth: OW, inHeight: H, inWidth: W } = c;
  const dH = c.dilationHeight;
  const dW = c.dilationWidth;
  if (padInfo.top < 0 || padInfo.left < 0) throw new Error('dilated conv gradient: negative padding');
  return tf.tidy(() => {
    const OHp = Math.ceil(OH / dH) * dH;
    const OWp = Math.ceil(OW / dW) * dW;
    const Hp = OHp + (KH - 1) * dH;
    const Wp = OWp + (KW - 1) * dW;
    // x padded by the forward padding on top/left and to Hp x Wp (rows past it are never read).
    const usedH = Math.min(H, Hp - padInfo.top);
    const usedW = Math.min(W, Wp - padInfo.left);
    const xs = usedH < H || usedW < W ? tf.slice(x, [0, 0, 0, 0], [-1, usedH, usedW, -1]) : x;
    const xp = tf.pad(xs, [[0, 0], [padInfo.top, Hp - padInfo.top - usedH], [padInfo.left, Wp - padInfo.left - usedW], [0, 0]]) as tf.Tensor4D;
    // dy padded with zero rows to whole phases (they add nothing).
    const dyp = OHp > OH || OWp > OW ? (tf.pad(dy, [[0, 0], [0, OHp - OH], [0, OWp - OW], [0, 0]]) as tf.Tensor4D) : dy;
    return tf.engine().runKernel('Conv2DBackpropFilter', { x: spaceToBatch(xp, dH, dW), dy: spaceToBatch(dyp, dH, dW) }, {
      strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', filterShape,
    } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  });
}
