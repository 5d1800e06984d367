// ONNX pieces shared by the SegNet and DeconvNet graphs (main-side safe): a K x K conv (or a
// stride-1 'same' transposed conv, rewritten as the equivalent conv) with batch norm folded
// in, then ReLU, leaky ReLU or nothing, as ../model/conv-bn-net.ts computes at inference.
import { BN_EPSILON, get, toOihw, type Builder } from '../onnx/graph-builder';
import type { NamedWeights } from './model-file';

/** The leaky ReLU slope of ../model/conv-bn-net.ts. */
const LEAKY_ALPHA = 0.2;

export function onnxConvBn(b: Builder, w: NamedWeights, x: string, prefix: string, k: number, cin: number, cout: number, act: 'relu' | 'leaky' | 'linear', transposed = false): string {
  let kernel: Float32Array;
  if (transposed) {
    // Stored [K, K, Cout, Cin]; the same map as a conv: flipped taps, channel axes swapped.
    const t = get(w, `${prefix}/kernel`, [k, k, cout, cin]);
    kernel = new Float32Array(t.length);
    for (let y = 0; y < k; y++)
      for (let xx = 0; xx < k; xx++)
        for (let i = 0; i < cin; i++)
          for (let o = 0; o < cout; o++) kernel[((y * k + xx) * cin + i) * cout + o] = t[(((k - 1 - y) * k + (k - 1 - xx)) * cout + o) * cin + i];
  } else kernel = get(w, `${prefix}/kernel`, [k, k, cin, cout]);
  const gamma = get(w, `${prefix}/bn/gamma`, [cout]);
  const beta = get(w, `${prefix}/bn/beta`, [cout]);
  const mean = get(w, `${prefix}/bn/moving_mean`, [cout]);
  const variance = get(w, `${prefix}/bn/moving_variance`, [cout]);
  const a = new Float64Array(cout);
  const bias = new Float32Array(cout);
  for (let o = 0; o < cout; o++) {
    a[o] = gamma[o] / Math.sqrt(variance[o] + BN_EPSILON);
    bias[o] = beta[o] - mean[o] * a[o];
  }
  const p = (k - 1) / 2;
  const wName = b.tensor(`${prefix}/W`, [cout, cin, k, k], toOihw(kernel, k, k, cin, cout, a));
  const bName = b.tensor(`${prefix}/B`, [cout], bias);
  const conv = b.node('Conv', [x, wName, bName], { kernel_shape: [k, k], pads: [p, p, p, p], strides: [1, 1] }, `${prefix}/conv`);
  if (act === 'relu') return b.node('Relu', [conv], undefined, `${prefix}/relu`);
  if (act === 'leaky') {
    // max(x, a x) (0 < a < 1): the graph format here has no float attributes.
    const slope = b.tensor(`${prefix}/alpha`, [1], new Float32Array([LEAKY_ALPHA]));
    return b.node('Max', [conv, b.node('Mul', [conv, slope], undefined, `${prefix}/scaled`)], undefined, `${prefix}/leaky`);
  }
  return conv;
}

/** NCHW logits -> NHWC probabilities (sigmoid for 1 channel, softmax otherwise) under OUTPUT_NAME. */
export function onnxHead(b: Builder, w: NamedWeights, h: string, cin: number, outCh: number, binary: boolean, outputName: string): void {
  const ok = get(w, 'out/kernel', [1, 1, cin, outCh]);
  const ob = get(w, 'out/bias', [outCh]);
  const wOut = b.tensor('out/W', [outCh, cin, 1, 1], toOihw(ok, 1, 1, cin, outCh));
  const bOut = b.tensor('out/B', [outCh], Float32Array.from(ob));
  const logits = b.node('Conv', [h, wOut, bOut], { kernel_shape: [1, 1] }, 'logits');
  const nhwc = b.node('Transpose', [logits], { perm: [0, 2, 3, 1] }, 'logits_nhwc');
  if (binary) b.node('Sigmoid', [nhwc], undefined, outputName);
  else b.node('Softmax', [nhwc], { axis: -1 }, outputName);
}
