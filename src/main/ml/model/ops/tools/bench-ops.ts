// Micro-benchmark of the SegNet / DeconvNet / LSTM-CNN ops on the active backend: ms per op
// (forward, and forward + backward), beside the stock kernels or the equivalent U-Net op for
// scale. Not a test. Short by default (1 warm-up + 3 timed runs each; the machine is shared):
//   npx tsx src/main/ml/model/ops/tools/bench-ops.ts [--batch 8] [--size 120] [--channels 64] [--reps 3] [--backend wasm]
import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { initBackend, type BackendName } from '../../../backend/initBackend';
import { runStockKernel, type WasmBackendLike } from '../../../kernels/wasmKernelUtil';
import { convTranspose2d, dilatedConv2d, leakyRelu, maxPoolWithSwitches, maxUnpool, upsampleBilinear } from '../index';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '8' },
    size: { type: 'string', default: '120' },
    channels: { type: 'string', default: '64' },
    reps: { type: 'string', default: '3' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const N = Number(values.batch);
const S = Number(values.size);
const C = Number(values.channels);
const REPS = Number(values.reps);

function time(f: () => tf.Tensor | tf.Tensor[]): number {
  const run = () => {
    const out = tf.tidy(f);
    const list = Array.isArray(out) ? out : [out];
    for (const t of list) t.dataSync();
    tf.dispose(list);
  };
  run();
  const ms: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    run();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[REPS >> 1];
}

/** A replaced stock wasm kernel, run directly (its outputs wrapped as tensors). */
function stock(name: string, inputs: tf.NamedTensorMap, attrs: Record<string, unknown>): tf.Tensor[] {
  const out = runStockKernel(name, tf.backend() as WasmBackendLike, inputs, attrs as tf.NamedAttrMap) as TensorInfo | TensorInfo[];
  return (Array.isArray(out) ? out : [out]).map((t) => tf.engine().makeTensorFromTensorInfo(t));
}

const rows: Array<[string, string, number]> = [];
function row(op: string, shape: string, f: () => tf.Tensor | tf.Tensor[]): void {
  const ms = time(f);
  rows.push([op, shape, ms]);
  console.log(`${op.padEnd(58)} ${shape.padEnd(26)} ${ms.toFixed(1).padStart(8)} ms`);
}

async function main(): Promise<void> {
  const info = await initBackend(values.backend as BackendName);
  console.log(`${info.detail}; load average ${loadavg()[0].toFixed(1)} on this machine; median of ${REPS}\n`);
  const hi = tf.randomUniform([N, S, S, C], -1, 1) as tf.Tensor4D;
  const lo = tf.randomUniform([N, S / 2, S / 2, C], -1, 1) as tf.Tensor4D;
  const hiShape = `[${hi.shape.join(',')}]`;
  const loShape = `[${lo.shape.join(',')}]`;
  const w3 = tf.randomNormal([3, 3, C, C], 0, 0.05) as tf.Tensor4D;
  const w2 = tf.randomNormal([2, 2, C, C], 0, 0.05) as tf.Tensor4D;
  // Backward timings get a ready-made output gradient (no loss op in the numbers).
  const made: tf.Tensor[] = [];
  const dyFor = (f: () => tf.Tensor) => {
    const dy = tf.tidy(() => tf.randomUniform(f().shape, -1, 1));
    made.push(dy);
    return dy;
  };
  const grad1 = (f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor) => {
    const dy = dyFor(() => f(x));
    return () => tf.grad(f)(x, dy);
  };
  const grads = (f: (x: tf.Tensor, w: tf.Tensor) => tf.Tensor, x: tf.Tensor, w: tf.Tensor) => {
    const dy = dyFor(() => f(x, w));
    return () => tf.grads(f)([x, w], dy);
  };
  const wasm = tf.getBackend() === 'wasm';
  const attrs = { filterSize: [2, 2], strides: [2, 2], pad: 'valid', includeBatchInIndex: false };

  // Reference points.
  row('U-Net reference: conv2d 3x3 same', hiShape, () => tf.conv2d(hi, w3, 1, 'same'));
  row('U-Net reference: conv2d 3x3 same, fwd + dx + dW', hiShape, grads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same'), hi, w3));
  row('U-Net reference: maxPool 2x2', hiShape, () => tf.maxPool(hi, 2, 2, 'valid'));

  row('maxPoolWithSwitches 2x2', hiShape, () => {
    const { output, switches } = maxPoolWithSwitches(hi);
    return [output, switches.indices];
  });
  if (wasm) {
    row('  stock wasm MaxPoolWithArgmax (replaced)', hiShape, () =>
      stock('MaxPoolWithArgmax', { x: hi }, attrs));
  }
  row('maxPoolWithSwitches 2x2, fwd + bwd', hiShape, grad1((a) => maxPoolWithSwitches(a as tf.Tensor4D).output, hi));
  const { switches } = maxPoolWithSwitches(hi);
  row('maxUnpool 2x2 (checks every index)', loShape, () => maxUnpool(lo, switches));
  row('maxUnpool 2x2, fwd + bwd', loShape, grad1((a) => maxUnpool(a as tf.Tensor4D, switches), lo));

  row('convTranspose2d 2x2 / 2 same', loShape, () => convTranspose2d(lo, w2, { stride: 2 }));
  row('convTranspose2d 2x2 / 2, fwd + dx + dW', loShape, grads((a, b) => convTranspose2d(a as tf.Tensor4D, b as tf.Tensor4D, { stride: 2 }), lo, w2));
  row('convTranspose2d 3x3 / 2 same', loShape, () => convTranspose2d(lo, w3, { stride: 2 }));
  row('convTranspose2d 3x3 / 2, fwd + dx + dW', loShape, grads((a, b) => convTranspose2d(a as tf.Tensor4D, b as tf.Tensor4D, { stride: 2 }), lo, w3));

  row('upsampleBilinear 2x', loShape, () => upsampleBilinear(lo, 2));
  row('upsampleBilinear 2x, fwd + bwd', loShape, grad1((a) => upsampleBilinear(a as tf.Tensor4D, 2), lo));
  if (wasm) {
    row('  stock wasm ResizeBilinearGrad (replaced: wrong)', loShape, () =>
      stock('ResizeBilinearGrad', { images: lo, dy: hi }, { alignCorners: false }));
  }
  row('leakyRelu 0.2', hiShape, () => leakyRelu(hi, 0.2));
  row('leakyRelu 0.2, fwd + bwd', hiShape, grad1((a) => leakyRelu(a, 0.2), hi));
  row('  relu, fwd + bwd (for scale)', hiShape, grad1((a) => tf.relu(a), hi));

  for (const d of [2, 3]) {
    row(`dilatedConv2d 3x3 dilation ${d}`, hiShape, () => dilatedConv2d(hi, w3, d));
    row(`dilatedConv2d 3x3 dilation ${d}, fwd + dx + dW`, hiShape, grads((a, b) => dilatedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, d), hi, w3));
  }
  tf.dispose([hi, lo, w3, w2, switches.indices, ...made]);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
