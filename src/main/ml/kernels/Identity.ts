// Identity (tf.clone) for wasm without a copy: the output shares the input's data and bumps
// its reference count, as the cpu and webgl backends do; tensor data is immutable, so sharing
// is safe. The stock wasm kernel copies, and tfjs clones every tensor it saves for the
// backward pass (each convolution's input, every batch-norm input...): ~470 copies per U-Net
// training step, about 2% of the step.
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { input, type KernelParams } from './kernelIO';
import { runStockKernel, WASM, type WasmBackendLike } from './wasmKernelUtil';

interface RefCounted {
  incRef(dataId: object): void;
}

function identityWasm(params: KernelParams): TensorInfo {
  const x = input(params.inputs, 'x');
  const backend = params.backend as WasmBackendLike & RefCounted;
  if (x.dtype === 'string') return runStockKernel(Identity, backend, { x });
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: WASM,
  kernelFunc: identityWasm as unknown as KernelFunc,
};
