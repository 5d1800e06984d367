// Kernel HemaMaxUnpool: max-unpooling by pooling switches (SegNet, DeconvNet). Scatters each
// value to the input position its max-pool recorded and leaves zeros elsewhere:
//   y[n, idx[n, oh, ow, c]] += x[n, oh, ow, c]      (idx as MaxPoolWithArgmax writes it)
// Adding, not assigning: with overlapping windows (3x3 / stride 2) two outputs can share a
// maximum, and the sum is the exact adjoint of the gather (HemaMaxUnpoolGrad) and the gradient
// of MaxPoolWithArgmax. inputs {x, indices: int32 of x's shape}; attrs {outputShape
// [N, H, W, C], includeBatchInIndex, and optionally the pooling's filterSize, strides, pad}.
// Every index is checked (in range, same channel, and with the pooling given, inside its own
// window): indices from a pooling of another layer are refused, never scattered at random.
// 2x2 / stride 2 switches with C a multiple of 4 run as WebAssembly SIMD on wasm
// (simd/unpoolSimd.ts, same checks). Registered for wasm and cpu.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { input, ioFor, JS_KERNEL_BACKENDS, type KernelIO, type KernelParams } from './kernelIO';
import { unpoolSimdFor } from './simd/unpoolSimd';

export const MAX_UNPOOL = 'HemaMaxUnpool';

type Shape4 = [number, number, number, number];

export interface UnpoolGeometry {
  outputShape: number[];
  includeBatchInIndex: boolean;
  /** The pooling that produced the indices: [KH, KW, sH, sW, padTop, padLeft]; null = unknown. */
  window: [number, number, number, number, number, number] | null;
}

/** Throws unless every index can have come from this geometry. */
export function checkUnpoolIndices(idx: Int32Array, xShape: number[], g: UnpoolGeometry, what = MAX_UNPOOL): void {
  const [N, OH, OW, C] = xShape;
  const [, H, W, OC] = g.outputShape;
  if (OC !== C || g.outputShape[0] !== N) {
    throw new Error(`${what}: values [${xShape.join(', ')}] cannot unpool into [${g.outputShape.join(', ')}] (batch or channels differ)`);
  }
  const per = H * W * C;
  const win = g.window;
  // Windows inside the image: an index is valid iff its offset from the window's first
  // element is one of the KH*KW offsets (dh*W + dw)*C (a table lookup, no division).
  // Windows over the padding get the exact row/column test.
  let allowed: Uint8Array | null = null;
  if (win) {
    allowed = new Uint8Array(((win[0] - 1) * W + win[1] - 1) * C + 1);
    for (let dh = 0; dh < win[0]; dh++) for (let dw = 0; dw < win[1]; dw++) allowed[(dh * W + dw) * C] = 1;
  }
  const fail = (o: number, n: number, oh: number, ow: number, c: number): never => {
    throw new Error(
      `${what}: index ${idx[o]} at [${n}, ${oh}, ${ow}, ${c}] does not point into ` +
        (win ? `its ${win[0]}x${win[1]} pooling window of ` : '') +
        `a [${g.outputShape.join(', ')}] input: the indices come from a max-pool of another layer or shape`,
    );
  };
  let o = 0;
  for (let n = 0; n < N; n++) {
    const lo = g.includeBatchInIndex ? n * per : 0;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = win ? oh * win[2] - win[4] : 0;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = win ? ow * win[3] - win[5] : 0;
        const inside = win !== null && h0 >= 0 && w0 >= 0 && h0 + win[0] <= H && w0 + win[1] <= W;
        const base = (h0 * W + w0) * C;
        for (let c = 0; c < C; c++, o++) {
          const i = idx[o] - lo;
          if (i < 0 || i >= per) fail(o, n, oh, ow, c);
          if (inside && allowed) {
            const off = i - base - c;
            if (off < 0 || off >= allowed.length || allowed[off] === 0) fail(o, n, oh, ow, c);
            continue;
          }
          if (i % C !== c) fail(o, n, oh, ow, c);
          if (win) {
            const h = Math.floor(i / (W * C));
            const w = Math.floor(i / C) % W;
            if (h < h0 || h >= h0 + win[0] || w < w0 || w >= w0 + win[1]) fail(o, n, oh, ow, c);
          }
        }
      }
    }
  }
}

export function maxUnpool(x: Float32Array, idx: Int32Array, xShape: number[], g: UnpoolGeometry, y: Float32Array): void {
  const N = xShape[0] | 0;
  const per = (g.outputShape[1] * g.outputShape[2] * g.outputShape[3]) | 0;
  const m = (xShape[1] * xShape[2] * xShape[3]) | 0;
  y.fill(0);
  let o = 0;
  for (let n = 0; n < N; n++) {
    const shift = g.includeBatchInIndex ? 0 : n * per;
    for (let k = 0; k < m; k++, o++) y[idx[o] + shift] += x[o];
  }
}

/** Reads the geometry attrs shared by HemaMaxUnpool and HemaMaxUnpoolGrad. */
export function unpoolGeometry(attrs: Record<string, unknown> | undefined, xShape: number[], what: string): UnpoolGeometry {
  const outputShape = attrs?.outputShape as number[] | undefined;
  if (!Array.isArray(outputShape) || outputShape.length !== 4) {
    throw new Error(`${what}: attr outputShape [N, H, W, C] missing`);
  }
  const includeBatchInIndex = Boolean(attrs?.includeBatchInIndex);
  if (attrs?.filterSize === undefined) return { outputShape, includeBatchInIndex, window: null };
  const info = backend_util.computePool2DInfo(
    outputShape as Shape4, attrs.filterSize as number | [number, number], attrs.strides as number | [number, number], 1,
    attrs.pad as 'valid' | 'same' | number,
  );
  const expected = info.outShape;
  if (expected.some((d, i) => d !== xShape[i])) {
    throw new Error(
      `${what}: values [${xShape.join(', ')}] do not match a ${info.filterHeight}x${info.filterWidth} / ` +
        `${info.strideHeight} max-pool of [${outputShape.join(', ')}] (which gives [${expected.join(', ')}])`,
    );
  }
  return {
    outputShape,
    includeBatchInIndex,
    window: [info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left],
  };
}

/**
 * 2x2 / stride 2 switches (C a multiple of 4) on wasm: the SIMD loops of simd/unpoolSimd.ts,
 * which also verify every index. 'done', 'invalid' (some index is not in its window: the
 * caller runs the exact check for the error) or 'unavailable'.
 */
export function unpool2x2Simd(
  io: KernelIO, mode: 'scatter' | 'gather', small: TensorInfo, indices: TensorInfo, full: TensorInfo, g: UnpoolGeometry,
): 'done' | 'invalid' | 'unavailable' {
  const [N, OH, OW, C] = indices.shape;
  const [, H, W] = g.outputShape;
  const w = g.window;
  const is2x2 = w !== null && w[0] === 2 && w[1] === 2 && w[2] === 2 && w[3] === 2 && w[4] === 0 && w[5] === 0;
  if (!io.heap || C % 4 !== 0 || !is2x2 || OH !== H >> 1 || OW !== W >> 1) return 'unavailable';
  const simd = unpoolSimdFor(io.heap.memory);
  if (!simd) return 'unavailable';
  const consts = io.alloc([24]);
  const f = io.view(consts);
  const k = new Int32Array(f.buffer, f.byteOffset, 24);
  for (let lane = 0; lane < 4; lane++) {
    k[4 + lane] = C;
    k[8 + lane] = W * C;
    k[12 + lane] = W * C + C;
    k[16 + lane] = 4;
    k[20 + lane] = -1;
  }
  // An odd last row/column is in no window: zero (scatter output only; the gather reads none).
  if (mode === 'scatter' && (H % 2 !== 0 || W % 2 !== 0)) io.view(full).fill(0);
  const heap = io.heap;
  const [sA, iA, fA, cA] = [heap.address(small), heap.address(indices), heap.address(full), heap.address(consts)];
  for (let n = 0; n < N; n++) {
    for (let oh = 0; oh < OH; oh++) {
      const first = (g.includeBatchInIndex ? n * H * W * C : 0) + 2 * oh * W * C;
      for (let lane = 0; lane < 4; lane++) k[lane] = first + lane;
      const smallRow = 4 * (n * OH + oh) * OW * C;
      const fullRow = 4 * (n * H + 2 * oh) * W * C;
      if (mode === 'scatter') simd.scatter(sA + smallRow, iA + smallRow, fA + fullRow, OW, 4 * C, 4 * W * C, cA);
      else simd.gather(fA + fullRow, iA + smallRow, sA + smallRow, OW, 4 * C, 4 * W * C, cA);
    }
  }
  const ok = (k[20] & k[21] & k[22] & k[23]) === -1;
  io.free(consts);
  return ok ? 'done' : 'invalid';
}

function kernel(backendName: string): KernelFunc {
  return (params: KernelParams) => {
    const x = input(params.inputs, 'x');
    const indices = input(params.inputs, 'indices');
    if (indices.dtype !== 'int32') throw new Error(`${MAX_UNPOOL}: indices must be int32, got ${indices.dtype}`);
    if (x.shape.length !== 4 || indices.shape.join() !== x.shape.join()) {
      throw new Error(`${MAX_UNPOOL}: values [${x.shape.join(', ')}] and indices [${indices.shape.join(', ')}] must have one 4-D shape`);
    }
    const g = unpoolGeometry(params.attrs, x.shape, MAX_UNPOOL);
    const io = ioFor(backendName, params);
    const y = io.alloc(g.outputShape);
    try {
      if (unpool2x2Simd(io, 'scatter', x, indices, y, g) === 'done') return y;
      checkUnpoolIndices(io.viewInt32(indices), x.shape, g);
      maxUnpool(io.view(x), io.viewInt32(indices), x.shape, g, io.view(y));
      return y;
    } catch (e) {
      io.free(y);
      throw e;
    }
  };
}

export const maxUnpoolConfigs: KernelConfig[] = JS_KERNEL_BACKENDS.map((b) => ({
  kernelName: MAX_UNPOOL,
  backendName: b,
  kernelFunc: kernel(b),
}));
