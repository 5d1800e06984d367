// Kernel HemaPhaseInterleave: the last step of "nearest 2x up-sampling + 3x3 conv" computed
// as four 2x2 convolutions at low resolution (see model/layers.ts, upConv). The four phase
// outputs come as one tensor t [N, h+1, w+1, 4C] (phase p = 2a + b in channel block p);
//   out[n, 2i+a, 2j+b, c] = t[n, i+a, j+b, (2a+b)*C + c],  out: [N, 2h, 2w, C].
// Registered for wasm and cpu.
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelIO, type KernelParams } from './kernelIO';
import { copyRunsFor } from './simd/copyRuns';

export const PHASE_INTERLEAVE = 'HemaPhaseInterleave';

export function phaseInterleave(t: Float32Array, shape: number[], out: Float32Array): void {
  // `| 0` keeps every index a small integer for V8 (see bnReluMath.ts).
  const N = shape[0] | 0;
  const h1 = shape[1] | 0;
  const w1 = shape[2] | 0;
  const C4 = shape[3] | 0;
  const h = (h1 - 1) | 0;
  const w = (w1 - 1) | 0;
  const C = (C4 >> 2) | 0;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < 2 * h; oh++) {
      const a = oh & 1;
      const rowBase = (n * h1 + (oh >> 1) + a) * w1;
      for (let ow = 0; ow < 2 * w; ow++) {
        const b = ow & 1;
        let s = (rowBase + (ow >> 1) + b) * C4 + (2 * a + b) * C;
        for (let c = 0; c < C; c++) out[o++] = t[s++];
      }
    }
  }
}

/**
 * The interleave (or, with `reverse`, its gradient's scatter) as runs of C floats copied by
 * bulk memory: per output row and column parity, w runs with strides 2C (out) and 4C (t).
 * Returns false when the backend has no wasm heap.
 */
export function interleaveByCopies(io: KernelIO, t: TensorInfo, out: TensorInfo, reverse: boolean): boolean {
  const heap = io.heap;
  const copier = heap ? copyRunsFor(heap.memory) : null;
  if (!heap || !copier) return false;
  const [N, h1, w1, C4] = t.shape;
  const h = h1 - 1;
  const w = w1 - 1;
  const C = C4 / 4;
  const tAddr = heap.address(t);
  const oAddr = heap.address(out);
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < 2 * h; oh++) {
      const a = oh & 1;
      const srcRow = (n * h1 + (oh >> 1) + a) * w1;
      for (let b = 0; b < 2; b++) {
        const tOff = tAddr + 4 * ((srcRow + b) * C4 + (2 * a + b) * C);
        const oOff = oAddr + 4 * (((n * 2 * h + oh) * 2 * w + b) * C);
        if (reverse) copier.copyRuns(tOff, 4 * C4, oOff, 8 * C, 4 * C, w);
        else copier.copyRuns(oOff, 8 * C, tOff, 4 * C4, 4 * C, w);
      }
    }
  }
  return true;
}

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const x = input(params.inputs, 'x');
    const [N, h1, w1, C4] = x.shape;
    if (C4 % 4 !== 0) throw new Error(`${PHASE_INTERLEAVE}: channels ${C4} not divisible by 4`);
    const io = ioFor(backendName, params);
    const out = io.alloc([N, 2 * (h1 - 1), 2 * (w1 - 1), C4 / 4]);
    if (!interleaveByCopies(io, x, out, false)) phaseInterleave(io.view(x), x.shape, io.view(out));
    return out;
  };
}

export const phaseInterleaveConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: PHASE_INTERLEAVE,
  backendName: b,
  kernelFunc: kernel(b),
}));
