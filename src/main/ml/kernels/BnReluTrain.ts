// Kernel HemaBnReluTrain: fused batch norm (batch statistics) + ReLU, channel-last.
// inputs {x, gamma, beta}, attrs {epsilon} -> [y, mean, invStd]. Registered for wasm and cpu.
import { clone, engine, keep, type GradConfig, type KernelConfig, type KernelFunc, type Tensor } from '@tensorflow/tfjs-core';
import { BN_RELU_GRAD } from './BnReluGrad';
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

/**
 * Gradient of HemaBnReluTrain, registered so the layer is one kernel on the tape (its batch
 * statistics are ordinary outputs; no customGrad scope). HemaBnReluGrad yields dx, dgamma and
 * dbeta at once, but tfjs asks for each input's gradient in its own tidy scope: the first
 * request runs the kernel and returns its tensor directly, the others are kept until asked
 * for (small [C] copies).
 */
export const bnReluTrainGradConfig: GradConfig = {
  kernelName: BN_RELU_TRAIN,
  inputsToSave: ['x', 'gamma', 'beta'],
  outputsToSave: [false, true, true],
  gradFunc: (dy, saved) => {
    const [x, gamma, beta, mean, invStd] = saved;
    const dyY = Array.isArray(dy) ? dy[0] : dy;
    const pending = new Map<number, Tensor>();
    let computed = false;
    const take = (i: number) => (): Tensor => {
      if (!computed) {
        computed = true;
        const outs = engine().runKernel(BN_RELU_GRAD, { dy: dyY, x, gamma, beta, mean, invStd }) as Tensor[];
        outs.forEach((t, j) => {
          if (j !== i) pending.set(j, keep(t));
        });
        return outs[i];
      }
      const t = pending.get(i);
      if (!t) throw new Error('HemaBnReluTrain gradient requested twice');
      pending.delete(i);
      const copy = clone(t);
      t.dispose();
      return copy;
    };
    return { x: take(0), gamma: take(1), beta: take(2) };
  },
};
