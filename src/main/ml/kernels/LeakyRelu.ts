// LeakyRelu for wasm: y = x > 0 ? x : alpha * x with WebAssembly SIMD (simd/leakySimd.ts)
// instead of the stock scalar loop. alpha outside [0, 1), other dtypes or a backend without
// SIMD use the stock kernel. The gradient is HemaLeakyReluGrad (LeakyReluGrad.ts).
import { LeakyRelu, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { input, ioFor, type KernelIO, type KernelParams } from './kernelIO';
import { leakySimdFor } from './simd/leakySimd';
import { runStockKernel, WASM, type WasmBackendLike } from './wasmKernelUtil';

/** Heap constants for the SIMD loops: alpha x4, (1 - alpha) x4. Free after use. */
export function leakyConsts(io: KernelIO, alpha: number): TensorInfo {
  const consts = io.alloc([8]);
  const v = io.view(consts);
  v.fill(alpha, 0, 4);
  v.fill(1 - alpha, 4, 8);
  return consts;
}

function kernel(params: KernelParams): TensorInfo {
  const x = input(params.inputs, 'x');
  const alpha = Number(params.attrs?.alpha);
  const io = ioFor(WASM, params);
  const simd = io.heap ? leakySimdFor(io.heap.memory) : null;
  if (!simd || !io.heap || x.dtype !== 'float32' || !(alpha >= 0 && alpha < 1)) {
    return runStockKernel(LeakyRelu, params.backend as WasmBackendLike, params.inputs, params.attrs as NamedAttrMap);
  }
  const y = io.alloc(x.shape);
  const consts = leakyConsts(io, alpha);
  const n = x.shape.reduce((p, d) => p * d, 1);
  const body = n - (n % 4);
  simd.fwd(io.heap.address(x), io.heap.address(y), 4 * body, io.heap.address(consts));
  io.free(consts);
  if (body < n) {
    const xv = io.view(x);
    const yv = io.view(y);
    for (let i = body; i < n; i++) yv[i] = xv[i] > 0 ? xv[i] : alpha * xv[i];
  }
  return y;
}

export const leakyReluConfig: KernelConfig = {
  kernelName: LeakyRelu,
  backendName: WASM,
  kernelFunc: kernel as unknown as KernelFunc,
};
