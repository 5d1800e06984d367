import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../backend/initBackend';
import { kernelIO } from '../../kernels/kernelIO';
import { simdFor } from '../../kernels/simd/bnSimdKernels';
import { bnReluForward } from '../../kernels/bnReluMath';
async function main() {
  await initBackend((process.argv[2] as 'wasm') ?? 'wasm');
  const io = kernelIO('wasm', tf.backend());
  console.log('heap', !!io.heap, 'shared', io.heap && io.heap.memory.buffer instanceof SharedArrayBuffer, 'simd', !!simdFor(io, 16));
  for (const C of [16, 32, 64, 128]) {
    const shape = [8, 128 * 16 / C * 8 > 0 ? Math.round(128 * Math.sqrt(16 / C)) : 128, Math.round(128 * Math.sqrt(16 / C)), C];
    const x = tf.add(tf.mul(tf.randomNormal(shape), 2), 3); const g = tf.randomUniform([C], 0.5, 1.5); const b = tf.randomNormal([C]);
    const dy = tf.randomNormal(shape);
    const xs = x.dataSync() as Float32Array;
    let best = 1e9, bestB = 1e9;
    for (let r = 0; r < 5; r++) {
      let t = performance.now();
      const [y, m, s] = tf.engine().runKernel('HemaBnReluTrain', { x, gamma: g, beta: b }, { epsilon: 1e-5 }) as tf.Tensor[];
      best = Math.min(best, performance.now() - t);
      t = performance.now();
      const [dx, dg, db] = tf.engine().runKernel('HemaBnReluGrad', { dy, x, gamma: g, beta: b, mean: m, invStd: s }) as tf.Tensor[];
      bestB = Math.min(bestB, performance.now() - t);
      if (r === 4) {
        const yref = new Float32Array(xs.length), mref = new Float32Array(C), sref = new Float32Array(C);
        bnReluForward(xs, C, g.dataSync() as Float32Array, b.dataSync() as Float32Array, 1e-5, yref, mref, sref);
        const yv = y.dataSync(); let e = 0; for (let i = 0; i < yv.length; i++) e = Math.max(e, Math.abs(yv[i] - yref[i]));
        console.log(`C${C} ${shape.join('x')}: fwd ${best.toFixed(2)} ms (${(best * 1e6 / xs.length).toFixed(2)} ns/el) bwd ${bestB.toFixed(2)} ms; max |y - js| ${e.toExponential(2)}`);
      }
      tf.dispose([y, m, s, dx, dg, db]);
    }
  }
  process.exit(0);
}
main();
