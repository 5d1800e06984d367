// DepthToSpace (NHWC) for wasm: the stock kernel is a scalar loop that took 590 ms on
// [8, 60, 60, 256] -> [8, 120, 120, 64], longer than the convolution before it in a transposed
// convolution (Conv2DBackpropInput.ts, phaseDecomposed). Here every output row is a run of
// blockSize * C contiguous floats per input pixel,
//   out[n, i*s + a, j*s + b, c] = x[n, i, j, (a*s + b)*C + c]   (b and c contiguous on both sides),
// moved with bulk-memory copies (simd/copyRuns.ts). NCHW uses the stock kernel.
import { DepthToSpace, type DepthToSpaceAttrs, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { input, ioFor, type KernelParams } from './kernelIO';
import { copyRunsFor } from './simd/copyRuns';
import { runStockKernel, WASM, type WasmBackendLike } from './wasmKernelUtil';

export function depthToSpace(x: Float32Array, shape: number[], s: number, out: Float32Array): void {
  const [N, Q, QW, D] = shape;
  const C = D / (s * s);
  const run = s * C;
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < Q; i++) {
      for (let a = 0; a < s; a++) {
        for (let j = 0; j < QW; j++) {
          const src = ((n * Q + i) * QW + j) * D + a * run;
          out.set(x.subarray(src, src + run), o);
          o += run;
        }
      }
    }
  }
}

function kernel(params: KernelParams): TensorInfo {
  const x = input(params.inputs, 'x');
  const { blockSize: s, dataFormat } = params.attrs as unknown as DepthToSpaceAttrs;
  const [N, Q, QW, D] = x.shape;
  if (dataFormat === 'NCHW' || x.dtype !== 'float32' || D % (s * s) !== 0) {
    return runStockKernel(DepthToSpace, params.backend as WasmBackendLike, params.inputs, params.attrs as NamedAttrMap);
  }
  const C = D / (s * s);
  const io = ioFor(WASM, params);
  const out = io.alloc([N, Q * s, QW * s, C]);
  const heap = io.heap;
  const copier = heap ? copyRunsFor(heap.memory) : null;
  if (!heap || !copier) {
    depthToSpace(io.view(x), x.shape, s, io.view(out));
    return out;
  }
  const xAddr = heap.address(x);
  const oAddr = heap.address(out);
  const runBytes = 4 * s * C;
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < Q; i++) {
      for (let a = 0; a < s; a++) {
        const src = xAddr + 4 * ((n * Q + i) * QW * D + a * s * C);
        const dst = oAddr + 4 * ((n * Q * s + i * s + a) * QW * s * C);
        copier.copyRuns(dst, runBytes, src, 4 * D, runBytes, QW);
      }
    }
  }
  return out;
}

export const depthToSpaceConfig: KernelConfig = {
  kernelName: DepthToSpace,
  backendName: WASM,
  kernelFunc: kernel as unknown as KernelFunc,
};
