// ONNX graphs as plain data (encoded by onnx-model.ts) and the helpers every family's graph
// builder uses (families/*/onnx-graph.ts). Inference only: every batch norm is folded into
// its convolution, dropout is gone. A graph keeps HemaSeg's tensor layout at its boundary
// (NHWC float32 in [0, 1] in, NHWC probabilities out) so every engine gets the same bytes,
// and transposes to ONNX's NCHW inside.
import type { NamedWeights } from '../families/model-file';

/** Thrown when a model cannot be turned into an ONNX graph; the message says why. */
export class ExportError extends Error {}

/** ../model/layers.ts's BN_EPSILON (not imported: that module loads TensorFlow; a test checks they agree). */
export const BN_EPSILON = 1e-5;

export const INPUT_NAME = 'image';
export const OUTPUT_NAME = 'probabilities';

export interface GraphTensor {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export type AttrValue = number | number[] | string;

export interface GraphNode {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  /** Integers and integer lists are INT/INTS, strings STRING; floats are not needed here. */
  attrs?: Record<string, AttrValue>;
}

/** A dimension: a fixed size or a symbolic name (dynamic). */
export type Dim = number | string;

export interface GraphSpec {
  name: string;
  nodes: GraphNode[];
  initializers: GraphTensor[];
  input: { name: string; dims: Dim[] };
  output: { name: string; dims: Dim[] };
}

export function get(w: NamedWeights, name: string, shape: number[]): Float32Array {
  const t = w.tensors.get(name);
  if (!t) throw new ExportError(`the weights have no tensor ${name}`);
  if (t.shape.join('x') !== shape.join('x')) throw new ExportError(`${name} is ${t.shape.join('x')}, the config needs ${shape.join('x')}`);
  return t.data;
}

/** tfjs [kh, kw, cin, cout] -> ONNX [cout, cin, kh, kw]. */
export function toOihw(k: Float32Array, kh: number, kw: number, cin: number, cout: number, scale?: Float64Array): Float32Array {
  const out = new Float32Array(k.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          const v = k[((y * kw + x) * cin + i) * cout + o];
          out[((o * cin + i) * kh + y) * kw + x] = scale ? v * scale[o] : v;
        }
  return out;
}

export class Builder {
  readonly nodes: GraphNode[] = [];
  readonly initializers: GraphTensor[] = [];
  private count = 0;

  constructor(private readonly w: NamedWeights) {}

  tensor(name: string, dims: number[], data: Float32Array | BigInt64Array): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  node(op: string, inputs: string[], attrs?: Record<string, AttrValue>, out?: string): string {
    const name = out ?? `${op.toLowerCase()}_${++this.count}`;
    this.nodes.push({ op, name, inputs, outputs: [name], ...(attrs ? { attrs } : {}) });
    return name;
  }

  /** 3x3 conv + folded batch norm + ReLU, as the tfjs inference path computes it. */
  convBnRelu(x: string, prefix: string, cin: number, cout: number): string {
    const k = get(this.w, `${prefix}/kernel`, [3, 3, cin, cout]);
    const gamma = get(this.w, `${prefix}/bn/gamma`, [cout]);
    const beta = get(this.w, `${prefix}/bn/beta`, [cout]);
    const mean = get(this.w, `${prefix}/bn/moving_mean`, [cout]);
    const variance = get(this.w, `${prefix}/bn/moving_variance`, [cout]);
    const a = new Float64Array(cout);
    const bias = new Float32Array(cout);
    for (let o = 0; o < cout; o++) {
      a[o] = gamma[o] / Math.sqrt(variance[o] + BN_EPSILON);
      bias[o] = beta[o] - mean[o] * a[o];
    }
    const wName = this.tensor(`${prefix}/W`, [cout, cin, 3, 3], toOihw(k, 3, 3, cin, cout, a));
    const bName = this.tensor(`${prefix}/B`, [cout], bias);
    const conv = this.node('Conv', [x, wName, bName], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] }, `${prefix}/conv`);
    return this.node('Relu', [conv], undefined, `${prefix}/relu`);
  }
}

