// Concat for wasm, fast path for float32 along the last axis (the U-Net's skip concatenation):
// one bulk-memory copy per pixel run (simd/copyRuns.ts), or plain JS copy loops. The stock kernel copies with one subarray().set() per pixel, whose
// per-call overhead dominates for 16-64 channels. Other axes/dtypes use the stock kernel.
import { Concat, util, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { kernelIO } from './kernelIO';
import { copyRunsFor } from './simd/copyRuns';
import { f32, newF32, runStockKernel, WASM, type WasmBackendLike } from './wasmKernelUtil';

export function concatLastAxis(parts: Float32Array[], widths: number[], rows: number, out: Float32Array): void {
  const total = widths.reduce((a, b) => a + b, 0) | 0;
  const n = rows | 0;
  let off = 0;
  for (let p = 0; p < parts.length; p++) {
    const src = parts[p];
    const w = widths[p] | 0;
    let s = 0;
    for (let r = 0; r < n; r++) {
      let o = (r * total + off) | 0;
      for (let c = 0; c < w; c++) out[o++] = src[s++];
    }
    off += w;
  }
}

export function concatWasm(args: {
  inputs: TensorInfo[];
  backend: WasmBackendLike;
  attrs: { axis: number | number[] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const rank = inputs[0].shape.length;
  const axis = util.parseAxisParam(attrs.axis, inputs[0].shape)[0];
  const fast =
    inputs.length > 1 &&
    axis === rank - 1 &&
    inputs.every((t) => t.dtype === 'float32' && t.shape.length === rank && util.sizeFromShape(t.shape) > 0) &&
    inputs.every((t) => t.shape.slice(0, -1).every((d, i) => d === inputs[0].shape[i]));
  if (!fast) return runStockKernel(Concat, backend, inputs as unknown as Record<string, TensorInfo>, attrs as unknown as NamedAttrMap);
  const widths = inputs.map((t) => t.shape[rank - 1]);
  const outShape = [...inputs[0].shape.slice(0, -1), widths.reduce((a, b) => a + b, 0)];
  const out = newF32(backend, outShape);
  const rows = util.sizeFromShape(inputs[0].shape.slice(0, -1));
  const heap = kernelIO(WASM, backend).heap;
  const copier = heap ? copyRunsFor(heap.memory) : null;
  if (heap && copier) {
    const total = outShape[rank - 1];
    let off = 0;
    inputs.forEach((t, p) => {
      copier.copyRuns(heap.address(out) + 4 * off, 4 * total, heap.address(t), 4 * widths[p], 4 * widths[p], rows);
      off += widths[p];
    });
    return out;
  }
  concatLastAxis(inputs.map((t) => f32(backend, t)), widths, rows, f32(backend, out));
  return out;
}

export const concatConfig: KernelConfig = {
  kernelName: Concat,
  backendName: WASM,
  kernelFunc: concatWasm as unknown as KernelFunc,
};
