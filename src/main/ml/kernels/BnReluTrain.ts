// Kernel HemaBnReluTrain: fused batch norm (batch statistics) + ReLU, channel-last.
// inputs {x, gamma, beta}, attrs {epsilon} -> [y, mean, invStd]. Registered for wasm and cpu.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { bnReluForward } from './bnReluMath';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelParams } from './kernelIO';
import { bnReluForwardSimd, simdFor } from './simd/bnSimdKernels';

export const BN_RELU_TRAIN = 'HemaBnReluTrain';

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const x = input(params.inputs, 'x');
    const C = x.shape[x.shape.length - 1];
    const io = ioFor(backendName, params);
    const y = io.alloc(x.shape);
    const mean = io.alloc([C]);
    const invStd = io.alloc([C]);
    const eps = Number(params.attrs?.epsilon ?? 1e-5);
    const simd = simdFor(io, C);
    if (simd) {
      const t = { x, gamma: input(params.inputs, 'gamma'), beta: input(params.inputs, 'beta'), y, mean, invStd };
      bnReluForwardSimd(io, simd, t, C, eps);
      return [y, mean, invStd];
    }
    bnReluForward(
      io.view(x), C, io.view(input(params.inputs, 'gamma')), io.view(input(params.inputs, 'beta')),
      eps, io.view(y), io.view(mean), io.view(invStd),
    );
    return [y, mean, invStd];
  };
}

export const bnReluTrainConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: BN_RELU_TRAIN,
  backendName: b,
  kernelFunc: kernel(b),
}));
