// Kernel HemaPhaseSplit: splits an image into its dH x dW sub-sampling phases, stacked in the
// batch (space-to-batch without padding; the atrous convolution trick):
//   out[(a*dW + b)*N + n, i, j, c] = x[n, i*dH + a, j*dW + b, c]
// The dilated convolution's filter gradient runs on these phases (dilated-conv-grad.ts). The
// generic form (6-D reshape + transpose) took 680 ms on [8, 120, 120, 64] with the stock wasm
// Transpose; here each output row is W/dW runs of C floats, moved by bulk-memory copies.
// inputs {x: [N, H, W, C], H and W multiples of dH, dW}; attrs {dH, dW}. Registered for wasm
// and cpu. Not differentiated (only used inside gradients).
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelParams } from './kernelIO';
import { copyRunsFor } from './simd/copyRuns';

export const PHASE_SPLIT = 'HemaPhaseSplit';

export function phaseSplit(x: Float32Array, shape: number[], dH: number, dW: number, out: Float32Array): void {
  const [N, H, W, C] = shape;
  const h = H / dH;
  const w = W / dW;
  let o = 0;
  for (let a = 0; a < dH; a++) {
    for (let b = 0; b < dW; b++) {
      for (let n = 0; n < N; n++) {
        for (let i = 0; i < h; i++) {
          for (let j = 0; j < w; j++) {
            const src = ((n * H + i * dH + a) * W + j * dW + b) * C;
            out.set(x.subarray(src, src + C), o);
            o += C;
          }
        }
      }
    }
  }
}

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const x = input(params.inputs, 'x');
    const dH = Number(params.attrs?.dH);
    const dW = Number(params.attrs?.dW);
    const [N, H, W, C] = x.shape;
    if (!(dH >= 1 && dW >= 1) || H % dH !== 0 || W % dW !== 0 || x.dtype !== 'float32') {
      throw new Error(`${PHASE_SPLIT}: [${x.shape.join(', ')}] ${x.dtype} does not split into ${dH}x${dW} phases`);
    }
    const io = ioFor(backendName, params);
    const out = io.alloc([dH * dW * N, H / dH, W / dW, C]);
    const heap = io.heap;
    const copier = heap ? copyRunsFor(heap.memory) : null;
    if (!heap || !copier) {
      phaseSplit(io.view(x), x.shape, dH, dW, io.view(out));
      return out;
    }
    const xAddr = heap.address(x);
    let dst = heap.address(out);
    const w = W / dW;
    for (let a = 0; a < dH; a++) {
      for (let b = 0; b < dW; b++) {
        for (let n = 0; n < N; n++) {
          for (let i = 0; i < H / dH; i++) {
            const src = xAddr + 4 * (((n * H + i * dH + a) * W + b) * C);
            copier.copyRuns(dst, 4 * C, src, 4 * dW * C, 4 * C, w);
            dst += 4 * w * C;
          }
        }
      }
    }
    return out;
  };
}

export const phaseSplitConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: PHASE_SPLIT,
  backendName: b,
  kernelFunc: kernel(b),
}));
