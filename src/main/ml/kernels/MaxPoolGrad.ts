// MaxPoolGrad for wasm: routes each output gradient to the first maximum of its window
// (row-major order, the tie rule of tfjs's cpu kernel; after a ReLU, ties between zeros are
// common). A dedicated loop for the U-Net's 2x2 / stride 2 / 'valid' pooling, a general one
// for other windows, strides and paddings. Replaces the stock kernel, which is about 4x
// slower and, in tfjs-backend-wasm 4.22, routes some gradients of padded ('same') windows to
// the wrong pixel (found by the tests here).
import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { f32, newF32, runStockKernel, WASM, type WasmBackendLike } from './wasmKernelUtil';

type Shape4 = [number, number, number, number];

export function maxPool2x2Grad(x: Float32Array, dy: Float32Array, shape: number[], dx: Float32Array): void {
  // `| 0` keeps indices small integers for V8 (see bnReluMath.ts).
  const N = shape[0] | 0;
  const H = shape[1] | 0;
  const W = shape[2] | 0;
  const C = shape[3] | 0;
  const OH = H >> 1;
  const OW = W >> 1;
  const row = (W * C) | 0;
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const base = ((n * H + 2 * oh) * W) * C;
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
          if (x[i3] > v) best = i3;
          dx[best] = dy[o++];
        }
      }
    }
  }
}

/** Any window/stride/padding (dilation 1), channel-last. */
export function maxPoolGradGeneral(
  x: Float32Array,
  dy: Float32Array,
  info: backend_util.Conv2DInfo,
  dx: Float32Array,
): void {
  const N = info.batchSize | 0;
  const H = info.inHeight | 0;
  const W = info.inWidth | 0;
  const C = info.inChannels | 0;
  const OH = info.outHeight | 0;
  const OW = info.outWidth | 0;
  const KH = info.filterHeight | 0;
  const KW = info.filterWidth | 0;
  const sH = info.strideHeight | 0;
  const sW = info.strideWidth | 0;
  const pt = info.padInfo.top | 0;
  const pl = info.padInfo.left | 0;
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < N; n++) {
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
          if (best >= 0) dx[best] += dy[o];
          o++;
        }
      }
    }
  }
}

export function maxPoolGradWasm(args: {
  inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
  backend: WasmBackendLike;
  attrs: MaxPoolGradAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(
    input.shape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode,
  );
  const fast =
    input.dtype === 'float32' &&
    info.filterHeight === 2 && info.filterWidth === 2 &&
    info.strideHeight === 2 && info.strideWidth === 2 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 &&
    info.outHeight === info.inHeight >> 1 && info.outWidth === info.inWidth >> 1;
  if (input.dtype !== 'float32' || info.dilationHeight !== 1 || info.dilationWidth !== 1) {
    return runStockKernel(MaxPoolGrad, backend, inputs, attrs as unknown as NamedAttrMap);
  }
  const dx = newF32(backend, input.shape);
  if (fast) maxPool2x2Grad(f32(backend, input), f32(backend, dy), input.shape, f32(backend, dx));
  else maxPoolGradGeneral(f32(backend, input), f32(backend, dy), info, f32(backend, dx));
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: WASM,
  kernelFunc: maxPoolGradWasm as unknown as KernelFunc,
};
