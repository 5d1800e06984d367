// One implementation, two backends: the project's JavaScript-loop kernels read and write
// Float32Arrays; this adapter gives them views on the wasm heap (no copies) or on the cpu
// backend's arrays. Both backends get identical numerics, and the cpu copy is what the
// gradient checks compare against the stock-op reference.
import { util, type KernelBackend, type KernelFunc, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackendLike } from './wasmKernelUtil';

export interface KernelIO {
  /** wasm only: the backend's linear memory and a tensor's byte address in it. */
  heap?: { memory: WebAssembly.Memory; address(info: TensorInfo): number };
  /**
   * Allocates float32 outputs. On wasm an allocation can grow (and so detach) the heap:
   * allocate every output first, then take views with `view`.
   */
  alloc(shape: number[]): TensorInfo;
  view(info: TensorInfo): Float32Array;
  /** int32 outputs (pooling indices); same heap caveat as `alloc`. */
  allocInt32(shape: number[]): TensorInfo;
  viewInt32(info: TensorInfo): Int32Array;
  /** Frees a scratch tensor the kernel allocated and does not return. */
  free(info: TensorInfo): void;
}

/** BackendWasm internals: the emscripten module's memory (threaded: wasmMemory; else asm.memory). */
interface WasmInternals {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

interface CpuBackendLike extends KernelBackend {
  makeTensorInfo(shape: number[], dtype: 'float32' | 'int32', values?: Float32Array | Int32Array): TensorInfo;
  data: { get(dataId: object): { values?: unknown } };
}

export function kernelIO(backendName: string, backend: KernelBackend): KernelIO {
  if (backendName === 'wasm') {
    const b = backend as WasmBackendLike;
    const internals = backend as unknown as WasmInternals;
    const memory = internals.wasm.wasmMemory ?? internals.wasm.asm?.memory;
    return {
      heap: memory
        ? {
            memory,
            address: (info) => {
              const d = internals.dataIdMap.get(info.dataId);
              if (!d) throw new Error('tensor not on the wasm backend');
              return d.memoryOffset;
            },
          }
        : undefined,
      alloc: (shape) => b.makeOutput(shape, 'float32'),
      view: (info) => {
        const a = b.typedArrayFromHeap(info);
        if (!(a instanceof Float32Array)) throw new Error(`expected float32, got ${info.dtype}`);
        return a;
      },
      allocInt32: (shape) => b.makeOutput(shape, 'int32'),
      viewInt32: (info) => {
        const a = b.typedArrayFromHeap(info);
        if (!(a instanceof Int32Array)) throw new Error(`expected int32, got ${info.dtype}`);
        return a;
      },
      free: (info) => {
        b.disposeData(info.dataId);
      },
    };
  }
  const b = backend as CpuBackendLike;
  return {
    alloc: (shape) => b.makeTensorInfo(shape, 'float32', new Float32Array(util.sizeFromShape(shape))),
    allocInt32: (shape) => b.makeTensorInfo(shape, 'int32', new Int32Array(util.sizeFromShape(shape))),
    viewInt32: (info) => {
      const v = b.data.get(info.dataId).values;
      if (!(v instanceof Int32Array)) throw new Error(`expected int32 values, got ${info.dtype}`);
      return v;
    },
    view: (info) => {
      const v = b.data.get(info.dataId).values;
      if (!(v instanceof Float32Array)) throw new Error(`expected float32 values, got ${info.dtype}`);
      return v;
    },
    free: (info) => {
      b.disposeData(info.dataId);
    },
  };
}

/** Backends that get the project's JS kernels (tfjs-node has native equivalents). */
export const JS_KERNEL_BACKENDS = ['wasm', 'cpu'] as const;

export type KernelParams = Parameters<KernelFunc>[0];

/** A required kernel input (tfjs types every named input as optional). */
export function input(inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`kernel input '${name}' missing`);
  return t;
}

export function ioFor(backendName: string, params: KernelParams): KernelIO {
  return kernelIO(backendName, params.backend as KernelBackend);
}
