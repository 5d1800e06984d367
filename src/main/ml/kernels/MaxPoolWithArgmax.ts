// MaxPoolWithArgmax for wasm: the pooled values and, for each, the flat position of its
// maximum in the input (SegNet's and DeconvNet's pooling "switches"). Same semantics as
// tfjs's cpu kernel, which the tests compare against: index (h * W + w) * C + c, plus
// n * H * W * C when includeBatchInIndex; the first maximum in row-major window order wins
// ties. The stock wasm kernel is a scalar loop about 8x slower than MaxPool (measured on
// 8x120x120x64: 190 ms vs 24 ms); this one runs 2x2 / stride 2 windows as WebAssembly SIMD
// (simd/argmaxPoolSimd.ts; a JS loop when C is not a multiple of 4) and other windows,
// strides and paddings in a general JS loop. Gradient: op-gradients.ts.
import {
  backend_util,
  MaxPoolWithArgmax,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolWithArgmaxAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { input, ioFor, type KernelIO, type KernelParams } from './kernelIO';
import { argmaxPoolSimdFor } from './simd/argmaxPoolSimd';
import { runStockKernel, WASM, type WasmBackendLike } from './wasmKernelUtil';

type Shape4 = [number, number, number, number];

/** 2x2 windows, stride 2, no padding (H and W may be odd: the last row/column is dropped). */
export function maxPoolArgmax2x2(
  x: Float32Array, shape: number[], withBatch: boolean, y: Float32Array, idx: Int32Array,
): void {
  // `| 0` keeps indices small integers for V8 (see bnReluMath.ts).
  const N = shape[0] | 0;
  const H = shape[1] | 0;
  const W = shape[2] | 0;
  const C = shape[3] | 0;
  const OH = H >> 1;
  const OW = W >> 1;
  const row = (W * C) | 0;
  const per = (H * row) | 0;
  let o = 0;
  for (let n = 0; n < N; n++) {
    const shift = withBatch ? 0 : n * per;
    for (let oh = 0; oh < OH; oh++) {
      const base = (n * per + 2 * oh * row) | 0;
      for (let ow = 0; ow < OW; ow++) {
        const p00 = (base + 2 * ow * C) | 0;
        for (let c = 0; c < C; c++) {
          const i0 = p00 + c;
          const i1 = i0 + C;
          const i2 = i0 + row;
          const i3 = i2 + C;
          let best = i0;
          let v = x[i0];
          if (x[i1] > v) {
            v = x[i1];
            best = i1;
          }
          if (x[i2] > v) {
            v = x[i2];
            best = i2;
          }
          if (x[i3] > v) {
            v = x[i3];
            best = i3;
          }
          y[o] = v;
          idx[o++] = best - shift;
        }
      }
    }
  }
}

/** Any window, stride and padding (dilation 1), channel-last. */
export function maxPoolArgmaxGeneral(
  x: Float32Array, info: backend_util.Conv2DInfo, withBatch: boolean, y: Float32Array, idx: Int32Array,
): void {
  const N = info.batchSize | 0;
  const H = info.inHeight | 0;
  const W = info.inWidth | 0;
  const C = info.inChannels | 0;
  const OH = info.outHeight | 0;
  const OW = info.outWidth | 0;
  const sH = info.strideHeight | 0;
  const sW = info.strideWidth | 0;
  const KH = info.effectiveFilterHeight | 0;
  const KW = info.effectiveFilterWidth | 0;
  const pt = info.padInfo.top | 0;
  const pl = info.padInfo.left | 0;
  const per = (H * W * C) | 0;
  let o = 0;
  for (let n = 0; n < N; n++) {
    const shift = withBatch ? 0 : n * per;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sH - pt;
      const hStart = Math.max(0, h0);
      const hEnd = Math.min(H, h0 + KH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * sW - pl;
        const wStart = Math.max(0, w0);
        const wEnd = Math.min(W, w0 + KW);
        for (let c = 0; c < C; c++) {
          let best = -1;
          let v = -Infinity;
          for (let h = hStart; h < hEnd; h++) {
            for (let w = wStart; w < wEnd; w++) {
              const i = ((n * H + h) * W + w) * C + c;
              if (x[i] > v || best < 0) {
                v = x[i];
                best = i;
              }
            }
          }
          y[o] = v;
          idx[o++] = best < 0 ? -1 : best - shift;
        }
      }
    }
  }
}

/** Pool geometry shared by the kernel, its gradient and the unpooling check. */
export function poolInfo(xShape: number[], attrs: Pick<MaxPoolWithArgmaxAttrs, 'filterSize' | 'strides' | 'pad'>): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(xShape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad);
}

/** The 2x2 loop as WebAssembly SIMD (C a multiple of 4); false when unavailable. */
function argmax2x2Simd(io: KernelIO, x: TensorInfo, y: TensorInfo, idx: TensorInfo, withBatch: boolean): boolean {
  const [N, H, W, C] = x.shape;
  const simd = io.heap && C % 4 === 0 ? argmaxPoolSimdFor(io.heap.memory) : null;
  if (!simd || !io.heap) return false;
  const consts = io.alloc([20]);
  const f = io.view(consts);
  const k = new Int32Array(f.buffer, f.byteOffset, 20);
  for (let lane = 0; lane < 4; lane++) {
    k[4 + lane] = C;
    k[8 + lane] = W * C;
    k[12 + lane] = W * C + C;
    k[16 + lane] = 4;
  }
  const heap = io.heap;
  const [xA, yA, iA, cA] = [heap.address(x), heap.address(y), heap.address(idx), heap.address(consts)];
  const OH = H >> 1;
  const OW = W >> 1;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const first = (withBatch ? n * H * W * C : 0) + 2 * oh * W * C;
      for (let lane = 0; lane < 4; lane++) k[lane] = first + lane;
      const inRow = (n * H + 2 * oh) * W * C;
      const outRow = (n * OH + oh) * OW * C;
      simd.row(xA + 4 * inRow, yA + 4 * outRow, iA + 4 * outRow, OW, 4 * C, 4 * W * C, cA);
    }
  }
  io.free(consts);
  return true;
}

function kernel(params: KernelParams): TensorInfo[] {
  const x = input(params.inputs, 'x');
  const attrs = params.attrs as unknown as MaxPoolWithArgmaxAttrs;
  if (x.dtype !== 'float32') {
    return runStockKernel(MaxPoolWithArgmax, params.backend as WasmBackendLike, params.inputs, params.attrs) as unknown as TensorInfo[];
  }
  const info = poolInfo(x.shape, attrs);
  const io = ioFor(WASM, params);
  const y = io.alloc(info.outShape);
  const idx = io.allocInt32(info.outShape);
  const withBatch = Boolean(attrs.includeBatchInIndex);
  const fast =
    info.filterHeight === 2 && info.filterWidth === 2 &&
    info.strideHeight === 2 && info.strideWidth === 2 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 &&
    info.outHeight === info.inHeight >> 1 && info.outWidth === info.inWidth >> 1;
  if (fast && argmax2x2Simd(io, x, y, idx, withBatch)) return [y, idx];
  if (fast) maxPoolArgmax2x2(io.view(x), x.shape, withBatch, io.view(y), io.viewInt32(idx));
  else maxPoolArgmaxGeneral(io.view(x), info, withBatch, io.view(y), io.viewInt32(idx));
  return [y, idx];
}

export const maxPoolWithArgmaxConfig: KernelConfig = {
  kernelName: MaxPoolWithArgmax,
  backendName: WASM,
  kernelFunc: kernel as unknown as KernelFunc,
};
