// Kernel HemaDropout: inverted dropout with a mask drawn from a seeded generator inside the
// kernel: y = x * keep_i / (1 - rate), keep_i = u_i >= rate, u_i from mulberry32(seed). The
// same seed regenerates the same mask, so the gradient is this kernel applied to dy (no mask
// tensor is stored). tf.dropout instead draws 2M uniforms in JS through seedrandom and runs
// four element-wise kernels: ~30 ms per U-Net step on wasm. inputs {x}, attrs {rate, seed}.
// Registered for wasm and cpu.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelParams } from './kernelIO';

export const DROPOUT = 'HemaDropout';

export function dropoutMasked(x: Float32Array, rate: number, seed: number, y: Float32Array): void {
  const n = x.length | 0;
  const scale = 1 / (1 - rate);
  // Compare 31-bit draws (small integers for V8) with an integer threshold:
  // u >= rate  <=>  r >= rate * 2^31. No branch: half the pixels would mispredict.
  const threshold = Math.floor(rate * 2147483648) | 0;
  let a = seed | 0 || 0x1e3779b9;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = (t ^ (t >>> 14)) >>> 1;
    y[i] = x[i] * scale * Number(r >= threshold);
  }
}

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const x = input(params.inputs, 'x');
    const io = ioFor(backendName, params);
    const y = io.alloc(x.shape);
    const rate = Number(params.attrs?.rate);
    if (!(rate >= 0 && rate < 1)) throw new Error(`${DROPOUT}: rate must be in [0, 1), got ${rate}`);
    dropoutMasked(io.view(x), rate, Number(params.attrs?.seed) >>> 0, io.view(y));
    return y;
  };
}

export const dropoutConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: DROPOUT,
  backendName: b,
  kernelFunc: kernel(b),
}));
