// Kernel HemaBnReluGrad: gradient of HemaBnReluTrain by per-channel reductions (no Tile).
// inputs {dy, x, gamma, beta, mean, invStd} -> [dx, dgamma, dbeta]. Registered for wasm and cpu.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { bnReluBackward } from './bnReluMath';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelParams } from './kernelIO';
import { bnReluBackwardSimd, simdFor } from './simd/bnSimdKernels';

export const BN_RELU_GRAD = 'HemaBnReluGrad';

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const get = (name: string) => input(params.inputs, name);
    const x = get('x');
    const C = x.shape[x.shape.length - 1];
    const io = ioFor(backendName, params);
    const dx = io.alloc(x.shape);
    const dgamma = io.alloc([C]);
    const dbeta = io.alloc([C]);
    const simd = simdFor(io, C);
    if (simd) {
      const t = {
        dy: get('dy'), x, gamma: get('gamma'), beta: get('beta'), mean: get('mean'), invStd: get('invStd'), dx, dgamma, dbeta,
      };
      bnReluBackwardSimd(io, simd, t, C);
      return [dx, dgamma, dbeta];
    }
    bnReluBackward(
      io.view(get('dy')), io.view(x), C, io.view(get('gamma')), io.view(get('beta')),
      io.view(get('mean')), io.view(get('invStd')), io.view(dx), io.view(dgamma), io.view(dbeta),
    );
    return [dx, dgamma, dbeta];
  };
}

export const bnReluGradConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: BN_RELU_GRAD,
  backendName: b,
  kernelFunc: kernel(b),
}));
