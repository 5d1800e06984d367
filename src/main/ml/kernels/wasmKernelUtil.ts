// Helpers for kernels that run on the wasm backend: call other registered kernels directly
// (the tfjs way: kernels compose kernels, never ops), allocate outputs and get typed-array
// views on the wasm heap for the few loops written in JavaScript.
import {
  getKernel,
  util,
  type DataType,
  type KernelBackend,
  type KernelConfig,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm that project kernels use. */
export interface WasmBackendLike extends KernelBackend {
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

export const WASM = 'wasm';

/** Stock kernels captured before the project replaced them (used as general fallbacks). */
const stockKernels = new Map<string, KernelConfig>();

export function rememberStockKernel(name: string): void {
  if (stockKernels.has(name)) return;
  const k = getKernel(name, WASM);
  if (k) stockKernels.set(name, k);
}

export function runStockKernel(
  name: string,
  backend: WasmBackendLike,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const k = stockKernels.get(name) ?? getKernel(name, WASM);
  if (!k) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/** Runs the kernel currently registered for wasm under `name` (project or stock). */
export function runKernel(
  name: string,
  backend: WasmBackendLike,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const k = getKernel(name, WASM);
  if (!k) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

export function transpose(backend: WasmBackendLike, x: TensorInfo, perm: number[]): TensorInfo {
  return runKernel('Transpose', backend, { x }, { perm });
}

export function dispose(backend: WasmBackendLike, ...infos: TensorInfo[]): void {
  for (const t of infos) backend.disposeData(t.dataId);
}

export function f32(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  const a = backend.typedArrayFromHeap(info);
  if (!(a instanceof Float32Array)) throw new Error(`expected float32 tensor, got ${info.dtype}`);
  return a;
}

export function newF32(backend: WasmBackendLike, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

export function size(shape: number[]): number {
  return util.sizeFromShape(shape);
}

