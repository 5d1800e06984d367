// Drivers of the SIMD batch-norm functions for the wasm kernels: lay out the per-channel
// vectors in a scratch tensor on the wasm heap, call the vector loops, finish the per-channel
// arithmetic in JavaScript (float64). Same results as ../bnReluMath.ts to float rounding.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelIO } from '../kernelIO';
import { bnSimdFor, type BnSimd } from './bnSimd';

/** The SIMD functions when usable for this kernel call (wasm heap, C a multiple of 4). */
export function simdFor(io: KernelIO, channels: number): BnSimd | null {
  if (!io.heap || channels % 4 !== 0 || channels === 0) return null;
  return bnSimdFor(io.heap.memory);
}

function f64View(scratch: Float32Array, floatOffset: number, length: number): Float64Array {
  const view = new Float64Array(scratch.buffer, scratch.byteOffset + 4 * floatOffset, length);
  view.fill(0);
  return view;
}

/** Forward: statistics (shifted by the first row for accuracy), then y = relu(x * a + b). */
export function bnReluForwardSimd(
  io: KernelIO,
  simd: BnSimd,
  t: { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo; y: TensorInfo; mean: TensorInfo; invStd: TensorInfo },
  C: number,
  eps: number,
): void {
  const heap = io.heap as NonNullable<KernelIO['heap']>;
  const M = t.x.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  // Scratch floats: shift [0, C), a [C, 2C), b [2C, 3C), f64 sums at 4C (2C doubles).
  const scratch = io.alloc([8 * C]);
  try {
    const sv = io.view(scratch);
    const xv = io.view(t.x);
    for (let c = 0; c < C; c++) sv[c] = xv[c];
    const sums = f64View(sv, 4 * C, 2 * C);
    const base = heap.address(scratch);
    simd.stats(heap.address(t.x), M, C, base, base + 16 * C);
    const mean = io.view(t.mean);
    const invStd = io.view(t.invStd);
    const gamma = io.view(t.gamma);
    const beta = io.view(t.beta);
    for (let c = 0; c < C; c++) {
      const d = sums[c] / M;
      const m = sv[c] + d;
      mean[c] = m;
      invStd[c] = 1 / Math.sqrt(Math.max(sums[C + c] / M - d * d, 0) + eps);
      const a = gamma[c] * invStd[c];
      sv[C + c] = a;
      sv[2 * C + c] = beta[c] - mean[c] * a;
    }
    simd.apply(heap.address(t.x), heap.address(t.y), M, C, base + 4 * C, base + 8 * C);
  } finally {
    io.free(scratch);
  }
}

/** Backward: masked sums, then dx in one vector pass. */
export function bnReluBackwardSimd(
  io: KernelIO,
  simd: BnSimd,
  t: {
    dy: TensorInfo; x: TensorInfo; gamma: TensorInfo; beta: TensorInfo; mean: TensorInfo; invStd: TensorInfo;
    dx: TensorInfo; dgamma: TensorInfo; dbeta: TensorInfo;
  },
  C: number,
): void {
  const heap = io.heap as NonNullable<KernelIO['heap']>;
  const M = t.x.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  // Scratch floats: a, b, mean, k2, k3 (C each), f64 sums at 6C (2C doubles).
  const scratch = io.alloc([10 * C]);
  try {
    const sv = io.view(scratch);
    const gamma = io.view(t.gamma);
    const beta = io.view(t.beta);
    const mean = io.view(t.mean);
    const invStd = io.view(t.invStd);
    for (let c = 0; c < C; c++) {
      const a = gamma[c] * invStd[c];
      sv[c] = a;
      sv[C + c] = beta[c] - mean[c] * a;
      sv[2 * C + c] = mean[c];
    }
    const sums = f64View(sv, 6 * C, 2 * C);
    const base = heap.address(scratch);
    simd.gradSums(heap.address(t.x), heap.address(t.dy), M, C, base, base + 4 * C, base + 8 * C, base + 24 * C);
    const dgamma = io.view(t.dgamma);
    const dbeta = io.view(t.dbeta);
    for (let c = 0; c < C; c++) {
      const sg = sums[c];
      const dg = invStd[c] * sums[C + c];
      dgamma[c] = dg;
      dbeta[c] = sg;
      const a = sv[c];
      sv[3 * C + c] = (a * invStd[c] * dg) / M;
      sv[4 * C + c] = a * ((mean[c] * invStd[c] * dg) / M - sg / M);
    }
    simd.dx(heap.address(t.x), heap.address(t.dy), heap.address(t.dx), M, C, base, base + 4 * C, base + 12 * C, base + 16 * C);
  } finally {
    io.free(scratch);
  }
}
