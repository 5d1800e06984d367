// SplitV for wasm, fast path for float32 along the last axis (the gradient of the skip
// concatenation): bulk-memory copies per pixel run (simd/copyRuns.ts) or plain JS loops,
// instead of one generic JS slice per output.
import {
  backend_util,
  SplitV,
  util,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { kernelIO } from './kernelIO';
import { copyRunsFor } from './simd/copyRuns';
import { f32, newF32, runStockKernel, WASM, type WasmBackendLike } from './wasmKernelUtil';

export function splitLastAxis(src: Float32Array, widths: number[], rows: number, outs: Float32Array[]): void {
  const total = widths.reduce((a, b) => a + b, 0) | 0;
  const n = rows | 0;
  let off = 0;
  for (let p = 0; p < outs.length; p++) {
    const dst = outs[p];
    const w = widths[p] | 0;
    let d = 0;
    for (let r = 0; r < n; r++) {
      let s = (r * total + off) | 0;
      for (let c = 0; c < w; c++) dst[d++] = src[s++];
    }
    off += w;
  }
}

export function splitVWasm(args: {
  inputs: { x: TensorInfo };
  backend: WasmBackendLike;
  attrs: { numOrSizeSplits: number[] | number; axis: number };
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const rank = x.shape.length;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  if (axis !== rank - 1 || x.dtype !== 'float32' || util.sizeFromShape(x.shape) === 0) {
    return runStockKernel(SplitV, backend, inputs, attrs as unknown as NamedAttrMap) as unknown as TensorInfo[];
  }
  const widths = backend_util.prepareSplitSize(x as never, attrs.numOrSizeSplits, axis) as number[];
  const outs = widths.map((w) => newF32(backend, [...x.shape.slice(0, -1), w]));
  const rows = util.sizeFromShape(x.shape.slice(0, -1));
  const heap = kernelIO(WASM, backend).heap;
  const copier = heap ? copyRunsFor(heap.memory) : null;
  if (heap && copier) {
    const total = x.shape[rank - 1];
    let off = 0;
    outs.forEach((o, p) => {
      copier.copyRuns(heap.address(o), 4 * widths[p], heap.address(x) + 4 * off, 4 * total, 4 * widths[p], rows);
      off += widths[p];
    });
    return outs;
  }
  splitLastAxis(f32(backend, x), widths, rows, outs.map((o) => f32(backend, o)));
  return outs;
}

export const splitVConfig: KernelConfig = {
  kernelName: SplitV,
  backendName: WASM,
  kernelFunc: splitVWasm as unknown as KernelFunc,
};
