// Kernel HemaLeakyReluGrad: gradient of leaky ReLU in one pass,
//   dx = dy * (x > 0 ? 1 : alpha)
// instead of the three or four element-wise kernels (compare, cast, multiply, select) the
// generic formulation runs; on wasm as WebAssembly SIMD (simd/leakySimd.ts), elsewhere a JS
// loop. inputs {dy, x}; attrs {alpha}. Registered for wasm and cpu; the
// gradient of the LeakyRelu kernel (op-gradients.ts) uses it where it is registered.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelParams } from './kernelIO';
import { leakyConsts } from './LeakyRelu';
import { leakySimdFor } from './simd/leakySimd';

export const LEAKY_RELU_GRAD = 'HemaLeakyReluGrad';

export function leakyReluBackward(dy: Float32Array, x: Float32Array, alpha: number, dx: Float32Array): void {
  const n = dx.length | 0;
  for (let i = 0; i < n; i++) {
    const g = dy[i];
    dx[i] = x[i] > 0 ? g : g * alpha;
  }
}

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const dy = input(params.inputs, 'dy');
    const x = input(params.inputs, 'x');
    if (dy.shape.join() !== x.shape.join()) throw new Error(`${LEAKY_RELU_GRAD}: dy [${dy.shape.join(', ')}] and x [${x.shape.join(', ')}] differ`);
    const alpha = Number(params.attrs?.alpha);
    if (!Number.isFinite(alpha)) throw new Error(`${LEAKY_RELU_GRAD}: alpha must be a number`);
    const io = ioFor(backendName, params);
    const dx = io.alloc(x.shape);
    const simd = io.heap ? leakySimdFor(io.heap.memory) : null;
    const n = dx.shape.reduce((p, d) => p * d, 1);
    const body = simd ? n - (n % 4) : 0;
    if (simd && io.heap) {
      const consts = leakyConsts(io, alpha);
      simd.grad(io.heap.address(dy), io.heap.address(x), io.heap.address(dx), 4 * body, io.heap.address(consts));
      io.free(consts);
    }
    if (body < n) leakyReluBackward(io.view(dy).subarray(body), io.view(x).subarray(body), alpha, io.view(dx).subarray(body));
    return dx;
  };
}

export const leakyReluGradConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: LEAKY_RELU_GRAD,
  backendName: b,
  kernelFunc: kernel(b),
}));
