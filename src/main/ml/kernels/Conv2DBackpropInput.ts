// Conv2DBackpropInput for wasm. The stock kernel is a scalar loop; the input gradient is a
// plain convolution instead:
//   dx = conv(dy', W'), W' = filter flipped in both spatial axes with in/out channels
//   swapped ([KH, KW, Co, Ci]), pads (KH-1-padTop, ...) chosen so dx gets the input's size.
// For equal strides s > 1 (transposed convolutions, strided convs' input gradients) the s*s
// output phases are one low-resolution convolution rearranged by DepthToSpace (see
// phaseDecomposed); unequal strides insert (stride-1) zeros between dy's pixels instead. Layouts other than NHWC, or paddings larger than the kernel, use the stock
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

  if (sH > 1 && sH === sW) {
    return phaseDecomposed(backend, dy, filter, info);
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

/**
 * Stride s > 1 (both axes) without zero insertion. Output row i gets taps k = r + s*m with
 * r = (i + padTop) mod s from dy rows q - m, q = (i + padTop - r) / s: for each of the s*s
 * phases a stride-1 correlation with an M x M sub-kernel (M = ceil(K / s), missing taps zero).
 * All phases are one convolution of dy with s*s*Ci output channels, rearranged by
 * DepthToSpace and cropped by the padding:
 *   T = conv(dy, F, pads M-1 before), dx = slice(DepthToSpace(T, s), padTop, padLeft).
 * Multiply-adds: M^2 s^2 per tap-phase instead of the K^2 s^2 of a convolution over the
 * zero-inserted dy (K = s, the usual transposed convolution: 1/4 at s = 2; K = 3, s = 2: 4/9).
 */
function phaseDecomposed(backend: WasmBackendLike, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { strideHeight: s, filterHeight: KH, filterWidth: KW, inChannels: CI, outChannels: CO } = info;
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, padInfo } = info;
  const MH = Math.ceil(KH / s);
  const MW = Math.ceil(KW / s);
  const QH = Math.ceil((padInfo.top + H) / s);
  const QW = Math.ceil((padInfo.left + W) / s);
  // dy rows at or beyond Q reach no dx row (their taps start at q*s - padTop >= H).
  let src = dy;
  if (OH > QH || OW > QW) {
    src = runKernel('Slice', backend, { x: dy }, { begin: [0, 0, 0, 0], size: [-1, Math.min(OH, QH), Math.min(OW, QW), -1] });
  }
  const F = newF32(backend, [MH, MW, CO, s * s * CI]);
  const w = f32(backend, filter);
  const f = f32(backend, F);
  f.fill(0);
  for (let jh = 0; jh < MH; jh++) {
    for (let jw = 0; jw < MW; jw++) {
      for (let rh = 0; rh < s; rh++) {
        const kh = rh + s * (MH - 1 - jh);
        if (kh >= KH) continue;
        for (let rw = 0; rw < s; rw++) {
          const kw = rw + s * (MW - 1 - jw);
          if (kw >= KW) continue;
          const wBase = (kh * KW + kw) * CI * CO;
          for (let co = 0; co < CO; co++) {
            const fBase = ((jh * MW + jw) * CO + co) * s * s * CI + (rh * s + rw) * CI;
            for (let ci = 0; ci < CI; ci++) f[fBase + ci] = w[wBase + ci * CO + co];
          }
        }
      }
    }
  }
  const T = runKernel(
    'Conv2D',
    backend,
    { x: src, filter: F },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [MH - 1, QH - src.shape[1]],
        [MW - 1, QW - src.shape[2]],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    },
  ); // [N, QH, QW, s*s*CI]
  dispose(backend, F);
  if (src !== dy) dispose(backend, src);
  const D = runKernel('DepthToSpace', backend, { x: T }, { blockSize: s, dataFormat: 'NHWC' });
  dispose(backend, T);
  if (padInfo.top === 0 && padInfo.left === 0 && D.shape[1] === H && D.shape[2] === W) return D;
  const dx = runKernel('Slice', backend, { x: D }, { begin: [0, padInfo.top, padInfo.left, 0], size: [-1, H, W, -1] });
  dispose(backend, D);
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
