// ResizeBilinearGrad for wasm and cpu (bilinear up-sampling's gradient). Replaces the stock
// kernels of tfjs 4.22, which are wrong in two ways (found by the tests here): both ignore
// halfPixelCenters (the default of bilinear up-sampling layers, and of the forward kernels
// they differentiate), and the cpu one returns [N, W, H, C] for non-square images. This one
// scatters each output gradient to the four source pixels with the forward kernel's own
// weights (tfjs cpu ResizeBilinear: source = scale * (r + 0.5) - 0.5 with half-pixel centres,
// floor clamped at 0, ceil at H - 1), so it is the exact adjoint of the forward pass. On wasm
// with C a multiple of 4 the scatter runs as WebAssembly SIMD (simd/bilinearGradSimd.ts).
// inputs {images, dy}; attrs {alignCorners, halfPixelCenters}.
import { ResizeBilinearGrad, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelIO, type KernelParams } from './kernelIO';
import { bilinearGradSimdFor } from './simd/bilinearGradSimd';

interface Taps {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float32Array;
}

/** Source rows (or columns) and weights of each output row, as the forward kernel computes them. */
export function bilinearTaps(inSize: number, outSize: number, alignCorners: boolean, halfPixel: boolean): Taps {
  const effIn = alignCorners && outSize > 1 ? inSize - 1 : inSize;
  const effOut = alignCorners && outSize > 1 ? outSize - 1 : outSize;
  const scale = effIn / effOut;
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  for (let r = 0; r < outSize; r++) {
    const src = halfPixel ? scale * (r + 0.5) - 0.5 : scale * r;
    const f = Math.max(0, Math.floor(src));
    lo[r] = f;
    hi[r] = Math.min(inSize - 1, Math.ceil(src));
    frac[r] = src - f;
  }
  return { lo, hi, frac };
}

export function resizeBilinearBackward(
  dy: Float32Array, dyShape: number[], xShape: number[], alignCorners: boolean, halfPixel: boolean, dx: Float32Array,
): void {
  const N = xShape[0] | 0;
  const H = xShape[1] | 0;
  const W = xShape[2] | 0;
  const C = xShape[3] | 0;
  const OH = dyShape[1] | 0;
  const OW = dyShape[2] | 0;
  const rows = bilinearTaps(H, OH, alignCorners, halfPixel);
  const cols = bilinearTaps(W, OW, alignCorners, halfPixel);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < OH; r++) {
      const fr = rows.frac[r];
      const top = ((n * H + rows.lo[r]) * W) | 0;
      const bot = ((n * H + rows.hi[r]) * W) | 0;
      for (let c = 0; c < OW; c++) {
        const fc = cols.frac[c];
        const wtl = (1 - fr) * (1 - fc);
        const wtr = (1 - fr) * fc;
        const wbl = fr * (1 - fc);
        const wbr = fr * fc;
        const tl = ((top + cols.lo[c]) * C) | 0;
        const tr = ((top + cols.hi[c]) * C) | 0;
        const bl = ((bot + cols.lo[c]) * C) | 0;
        const br = ((bot + cols.hi[c]) * C) | 0;
        for (let d = 0; d < C; d++) {
          const g = dy[o++];
          dx[tl + d] += g * wtl;
          dx[tr + d] += g * wtr;
          dx[bl + d] += g * wbl;
          dx[br + d] += g * wbr;
        }
      }
    }
  }
}

/** The same scatter as WebAssembly SIMD on wasm (C a multiple of 4); false when unavailable. */
function backwardSimd(io: KernelIO, dy: TensorInfo, xShape: number[], alignCorners: boolean, halfPixel: boolean, dx: TensorInfo): boolean {
  const [N, H, W, C] = xShape;
  const [, OH, OW] = dy.shape;
  const simd = io.heap && C % 4 === 0 ? bilinearGradSimdFor(io.heap.memory) : null;
  if (!simd || !io.heap) return false;
  const rows = bilinearTaps(H, OH, alignCorners, halfPixel);
  const cols = bilinearTaps(W, OW, alignCorners, halfPixel);
  const scratch = io.alloc([12 * OW + 8]);
  const f = io.view(scratch);
  const k = new Int32Array(f.buffer, f.byteOffset, f.length);
  for (let c = 0; c < OW; c++) {
    k[12 * c] = cols.lo[c] * 4 * C;
    k[12 * c + 1] = cols.hi[c] * 4 * C;
    f.fill(1 - cols.frac[c], 12 * c + 4, 12 * c + 8);
    f.fill(cols.frac[c], 12 * c + 8, 12 * c + 12);
  }
  io.view(dx).fill(0);
  const heap = io.heap;
  const [dyA, dxA, tA] = [heap.address(dy), heap.address(dx), heap.address(scratch)];
  const rowW = 12 * OW;
  for (let n = 0; n < N; n++) {
    for (let r = 0; r < OH; r++) {
      f.fill(1 - rows.frac[r], rowW, rowW + 4);
      f.fill(rows.frac[r], rowW + 4, rowW + 8);
      const top = dxA + 4 * (n * H + rows.lo[r]) * W * C;
      const bot = dxA + 4 * (n * H + rows.hi[r]) * W * C;
      simd.row(dyA + 4 * (n * OH + r) * OW * C, top, bot, OW, 4 * C, tA, tA + 4 * rowW);
    }
  }
  io.free(scratch);
  return true;
}

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const images = input(params.inputs, 'images');
    const dy = input(params.inputs, 'dy');
    if (images.shape.length !== 4 || dy.shape.length !== 4 || dy.dtype !== 'float32') {
      throw new Error(`${ResizeBilinearGrad}: expected float32 NHWC dy and images, got [${dy.shape.join(', ')}] ${dy.dtype} and [${images.shape.join(', ')}]`);
    }
    const io = ioFor(backendName, params);
    const dx = io.alloc(images.shape);
    const alignCorners = Boolean(params.attrs?.alignCorners);
    const halfPixel = Boolean(params.attrs?.halfPixelCenters);
    if (backwardSimd(io, dy, images.shape, alignCorners, halfPixel, dx)) return dx;
    resizeBilinearBackward(
      io.view(dy), dy.shape, images.shape, Boolean(params.attrs?.alignCorners), Boolean(params.attrs?.halfPixelCenters), io.view(dx),
    );
    return dx;
  };
}

export const resizeBilinearGradConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: ResizeBilinearGrad,
  backendName: b,
  kernelFunc: kernel(b),
}));
