// Conv2DBackpropInput for wasm. The stock kernel is a scalar loop; the input gradient is a
// plain convolution instead:
//   dx = conv(dy', W'), W' = filter flipped in both spatial axes with in/out channels
//   swapped ([KH, KW, Co, Ci]), pads (KH-1-padTop, ...) chosen so dx gets the input's size.
// For stride > 1, dy' is dy with (stride-1) zeros inserted between pixels (the transposed
// convolution). Layouts other than NHWC, or paddings larger than the kernel, use the stock
// kernel (correct, slow).
import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { dispose, f32, newF32, runKernel, runStockKernel, WASM, type WasmBackendLike } from './wasmKernelUtil';

type Shape4 = [number, number, number, number];

export function conv2DBackpropInputWasm(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackendLike;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const format = backend_util.convertConv2DDataFormat(dataFormat);
  const info = backend_util.computeConv2DInfo(
    inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode, false, format,
  );
  const { padInfo, strideHeight: sH, strideWidth: sW, filterHeight: KH, filterWidth: KW } = info;
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW } = info;
  const spanH = (OH - 1) * sH + 1;
  const spanW = (OW - 1) * sW + 1;
  const pt = KH - 1 - padInfo.top;
  const pl = KW - 1 - padInfo.left;
  const pb = H - spanH + KH - 1 - pt;
  const pr = W - spanW + KW - 1 - pl;
  if (info.dataFormat !== 'channelsLast' || pt < 0 || pl < 0 || pb < 0 || pr < 0) {
    return runStockKernel(Conv2DBackpropInput, backend, { dy, filter }, attrs as unknown as NamedAttrMap);
  }

  const flipped = flipAndSwap(backend, filter, KH, KW, info.inChannels, info.outChannels);
  const src = sH > 1 || sW > 1 ? insertZeros(backend, dy, sH, sW) : dy;
  const dx = runKernel(
    'Conv2D',
    backend,
    { x: src, filter: flipped },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [pt, pb],
        [pl, pr],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  );
  dispose(backend, flipped);
  if (src !== dy) dispose(backend, src);
  return dx;
}

/** [KH, KW, Ci, Co] -> W'[kh, kw, co, ci] = W[KH-1-kh, KW-1-kw, ci, co]. Small; JS loop. */
function flipAndSwap(
  backend: WasmBackendLike,
  filter: TensorInfo,
  KH: number,
  KW: number,
  CI: number,
  CO: number,
): TensorInfo {
  const out = newF32(backend, [KH, KW, CO, CI]);
  const w = f32(backend, filter);
  const o = f32(backend, out);
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      const src = ((KH - 1 - kh) * KW + (KW - 1 - kw)) * CI * CO;
      const dst = (kh * KW + kw) * CO * CI;
      for (let ci = 0; ci < CI; ci++) {
        for (let co = 0; co < CO; co++) o[dst + co * CI + ci] = w[src + ci * CO + co];
      }
    }
  }
  return out;
}

/** dy [N, OH, OW, C] -> [N, (OH-1)*sH+1, (OW-1)*sW+1, C] with zeros between pixels. */
function insertZeros(backend: WasmBackendLike, dy: TensorInfo, sH: number, sW: number): TensorInfo {
  const [N, OH, OW, C] = dy.shape;
  const EH = (OH - 1) * sH + 1;
  const EW = (OW - 1) * sW + 1;
  const out = newF32(backend, [N, EH, EW, C]);
  const d = f32(backend, dy);
  const o = f32(backend, out);
  o.fill(0);
  for (let n = 0; n < N; n++) {
    for (let h = 0; h < OH; h++) {
      for (let w = 0; w < OW; w++) {
        const s = ((n * OH + h) * OW + w) * C;
        o.set(d.subarray(s, s + C), ((n * EH + h * sH) * EW + w * sW) * C);
      }
    }
  }
  return out;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: WASM,
  kernelFunc: conv2DBackpropInputWasm as unknown as KernelFunc,
};
