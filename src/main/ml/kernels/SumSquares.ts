// Kernel HemaSumSquares: sum of squares over any number of float32 tensors (inputs keyed
// '0', '1', ...) -> scalar. The global gradient norm in one launch instead of two per
// variable. Accumulates in float64. Registered for wasm and cpu.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { ioFor, JS_KERNEL_BACKENDS, type KernelParams } from './kernelIO';

export const SUM_SQUARES = 'HemaSumSquares';

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const io = ioFor(backendName, params);
    const out = io.alloc([]);
    let total = 0;
    for (const t of Object.values(params.inputs)) {
      if (!t) continue;
      const a = io.view(t);
      const n = a.length | 0;
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i] * a[i];
      total += s;
    }
    io.view(out)[0] = total;
    return out;
  };
}

export const sumSquaresConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: SUM_SQUARES,
  backendName: b,
  kernelFunc: kernel(b),
}));
