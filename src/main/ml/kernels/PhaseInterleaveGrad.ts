// Kernel HemaPhaseInterleaveGrad: gradient of HemaPhaseInterleave. Every element of t feeds
// at most one output pixel, so the gradient is the inverse scatter, zero where t was unused.
// inputs {dy: [N, 2h, 2w, C]} -> dt [N, h+1, w+1, 4C]. Registered for wasm and cpu.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelParams } from './kernelIO';
import { interleaveByCopies } from './PhaseInterleave';

export const PHASE_INTERLEAVE_GRAD = 'HemaPhaseInterleaveGrad';

export function phaseInterleaveGrad(dy: Float32Array, shape: number[], dt: Float32Array): void {
  // `| 0` keeps every index a small integer for V8 (see bnReluMath.ts).
  const N = shape[0] | 0;
  const H = shape[1] | 0;
  const W = shape[2] | 0;
  const C = shape[3] | 0;
  const h1 = ((H >> 1) + 1) | 0;
  const w1 = ((W >> 1) + 1) | 0;
  const C4 = (4 * C) | 0;
  dt.fill(0);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < H; oh++) {
      const a = oh & 1;
      const rowBase = (n * h1 + (oh >> 1) + a) * w1;
      for (let ow = 0; ow < W; ow++) {
        const b = ow & 1;
        let s = (rowBase + (ow >> 1) + b) * C4 + (2 * a + b) * C;
        for (let c = 0; c < C; c++) dt[s++] = dy[o++];
      }
    }
  }
}

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const dy = input(params.inputs, 'dy');
    const [N, H, W, C] = dy.shape;
    if (H % 2 !== 0 || W % 2 !== 0) throw new Error(`${PHASE_INTERLEAVE_GRAD}: odd spatial size`);
    const io = ioFor(backendName, params);
    const dt = io.alloc([N, H / 2 + 1, W / 2 + 1, 4 * C]);
    if (io.heap) {
      io.view(dt).fill(0); // positions no output pixel reads get zero gradient
      if (interleaveByCopies(io, dt, dy, true)) return dt;
    }
    phaseInterleaveGrad(io.view(dy), dy.shape, io.view(dt));
    return dt;
  };
}

export const phaseInterleaveGradConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: PHASE_INTERLEAVE_GRAD,
  backendName: b,
  kernelFunc: kernel(b),
}));
