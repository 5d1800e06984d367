// Kernel HemaMaxUnpoolGrad: gradient of HemaMaxUnpool, the gather by the same switches:
//   dx[n, oh, ow, c] = dy[n, idx[n, oh, ow, c]]
// inputs {dy: [N, H, W, C], indices: int32 [N, OH, OW, C]}; attrs as HemaMaxUnpool (outputShape
// = dy's shape; with the pooling given, 2x2 / stride 2 switches use the SIMD gather of
// simd/unpoolSimd.ts); indices are checked again (a bad one would read outside dy). Registered for wasm and cpu.
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelParams } from './kernelIO';
import { checkUnpoolIndices, unpool2x2Simd, unpoolGeometry, type UnpoolGeometry } from './MaxUnpool';

export const MAX_UNPOOL_GRAD = 'HemaMaxUnpoolGrad';

export function maxUnpoolGather(dy: Float32Array, idx: Int32Array, idxShape: number[], g: UnpoolGeometry, dx: Float32Array): void {
  const N = idxShape[0] | 0;
  const per = (g.outputShape[1] * g.outputShape[2] * g.outputShape[3]) | 0;
  const m = (idxShape[1] * idxShape[2] * idxShape[3]) | 0;
  let o = 0;
  for (let n = 0; n < N; n++) {
    const shift = g.includeBatchInIndex ? 0 : n * per;
    for (let k = 0; k < m; k++, o++) dx[o] = dy[idx[o] + shift];
  }
}

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const dy = input(params.inputs, 'dy');
    const indices = input(params.inputs, 'indices');
    if (indices.dtype !== 'int32') throw new Error(`${MAX_UNPOOL_GRAD}: indices must be int32, got ${indices.dtype}`);
    const g = unpoolGeometry({ ...params.attrs, outputShape: dy.shape }, indices.shape, MAX_UNPOOL_GRAD);
    const io = ioFor(backendName, params);
    const dx = io.alloc(indices.shape);
    try {
      if (unpool2x2Simd(io, 'gather', dx, indices, dy, g) === 'done') return dx;
      // Range and channel only (a bad index would read outside dy); the forward unpooling
      // checked the windows.
      checkUnpoolIndices(io.viewInt32(indices), indices.shape, { ...g, window: null }, MAX_UNPOOL_GRAD);
      maxUnpoolGather(io.view(dy), io.viewInt32(indices), indices.shape, g, io.view(dx));
      return dx;
    } catch (e) {
      io.free(dx);
      throw e;
    }
  };
}

export const maxUnpoolGradConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: MAX_UNPOOL_GRAD,
  backendName: b,
  kernelFunc: kernel(b),
}));
