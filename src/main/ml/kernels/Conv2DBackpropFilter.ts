// Conv2DBackpropFilter for wasm (the stock backend has none, so conv nets cannot train).
//
//   dW[kh,kw,ci,co] = sum_{n,oh,ow} x[n, oh*sH + kh - padTop, ow*sW + kw - padLeft, ci] * dy[n,oh,ow,co]
//
// The filter gradient is itself one convolution, run by XNNPACK's fast path:
//   input  = x transposed to [Ci, H, W, N]     (batch = Ci, channels = N)
//   filter = dy transposed to [OH, OW, N, Co]  (the output gradient is the filter)
//   dilation = the forward stride, stride 1, pads (padTop, padLeft) and whatever makes the
//   output exactly [Ci, KH, KW, Co], which is then transposed to [KH, KW, Ci, Co].
// Its cost is about two forward convolutions (measured: 1.5-3x, the extra being XNNPACK's
// per-call packing of a data-sized filter and indirection set-up). Two alternatives were
// measured and rejected on this machine: KH*KW shifted GEMMs on XNNPACK's fully-connected
// path (single-threaded there, 2x slower) and a row-only convolution with (ow, n) folded
// into channels (extra copies of x, 1.3-1.8x slower). Layouts other than NHWC use a loop.
import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { dispose, f32, newF32, runKernel, transpose, WASM, type WasmBackendLike } from './wasmKernelUtil';

type Shape4 = [number, number, number, number];

export function conv2DBackpropFilterWasm(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackendLike;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  const format = backend_util.convertConv2DDataFormat(dataFormat);
  const info = backend_util.computeConv2DInfo(
    x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode, false, format,
  );
  if (info.dataFormat !== 'channelsLast') return generalBackpropFilter(backend, x, dy, info);

  const { padInfo, strideHeight: sH, strideWidth: sW, filterHeight: KH, filterWidth: KW } = info;
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = info;
  // Rows/cols of x the forward pass never read (stride leftovers) would need negative pads.
  const usedH = Math.min(H, (OH - 1) * sH + KH - padInfo.top);
  const usedW = Math.min(W, (OW - 1) * sW + KW - padInfo.left);
  const padBottom = KH + (OH - 1) * sH - usedH - padInfo.top;
  const padRight = KW + (OW - 1) * sW - usedW - padInfo.left;
  if (padInfo.top < 0 || padInfo.left < 0 || padBottom < 0 || padRight < 0) {
    return generalBackpropFilter(backend, x, dy, info);
  }

  let xc = x;
  if (usedH < H || usedW < W) {
    xc = runKernel('Slice', backend, { x }, { begin: [0, 0, 0, 0], size: [-1, usedH, usedW, -1] });
  }
  const xT = transpose(backend, xc, [3, 1, 2, 0]); // [Ci, H, W, N]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [OH, OW, N, Co]
  const out = runKernel(
    'Conv2D',
    backend,
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [padInfo.top, padBottom],
        [padInfo.left, padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [sH, sW],
      dimRoundingMode: undefined,
    } as unknown as Record<string, never>,
  ); // [Ci, KH, KW, Co]
  const dW = transpose(backend, out, [1, 2, 0, 3]);
  dispose(backend, xT, dyT, out);
  if (xc !== x) dispose(backend, xc);
  return dW;
}

/** Direct loop, any layout/padding. Correct and slow; used only off the fast path. */
function generalBackpropFilter(
  backend: WasmBackendLike,
  x: TensorInfo,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): TensorInfo {
  const { filterHeight: KH, filterWidth: KW, inChannels: CI, outChannels: CO } = info;
  const { batchSize: N, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = info;
  const { strideHeight: sH, strideWidth: sW, padInfo } = info;
  const out = newF32(backend, [KH, KW, CI, CO]);
  const xv = f32(backend, x);
  const dyv = f32(backend, dy);
  const ov = f32(backend, out);
  const last = info.dataFormat === 'channelsLast';
  // Strides of x and dy in the two layouts.
  const xs = last ? [H * W * CI, W * CI, CI, 1] : [CI * H * W, W, 1, H * W];
  const ds = last ? [OH * OW * CO, OW * CO, CO, 1] : [CO * OH * OW, OW, 1, OH * OW];
  ov.fill(0);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let n = 0; n < N; n++) {
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * sH + kh - padInfo.top;
          if (ih < 0 || ih >= H) continue;
          for (let ow = 0; ow < OW; ow++) {
            const iw = ow * sW + kw - padInfo.left;
            if (iw < 0 || iw >= W) continue;
            const xb = n * xs[0] + ih * xs[1] + iw * xs[2];
            const db = n * ds[0] + oh * ds[1] + ow * ds[2];
            for (let ci = 0; ci < CI; ci++) {
              const xval = xv[xb + ci * xs[3]];
              if (xval === 0) continue;
              const ob = ((kh * KW + kw) * CI + ci) * CO;
              for (let co = 0; co < CO; co++) ov[ob + co] += xval * dyv[db + co * ds[3]];
            }
          }
        }
      }
    }
  }
  return out;
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: WASM,
  kernelFunc: conv2DBackpropFilterWasm as unknown as KernelFunc,
};
