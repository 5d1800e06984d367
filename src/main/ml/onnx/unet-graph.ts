// The U-Net of ../model as an ONNX graph (plain data, encoded by onnx-model.ts). Inference
// only: every batch norm is folded into its convolution, dropout is gone. The graph keeps
// HemaSeg's tensor layout at its boundary (NHWC float32 in [0, 1] in, NHWC probabilities
// out) so every engine gets the same bytes, and transposes to ONNX's NCHW inside. Batch,
// height and width are dynamic (the network is fully convolutional); height and width must
// be multiples of 2^depth.
import { levelWidths, outputChannels, type UnetConfig } from '../model/config';
import { ExportError, type NamedWeights } from './model-weights';

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

function get(w: NamedWeights, name: string, shape: number[]): Float32Array {
  const t = w.tensors.get(name);
  if (!t) throw new ExportError(`the weights have no tensor ${name}`);
  if (t.shape.join('x') !== shape.join('x')) throw new ExportError(`${name} is ${t.shape.join('x')}, the config needs ${shape.join('x')}`);
  return t.data;
}

/** tfjs [kh, kw, cin, cout] -> ONNX [cout, cin, kh, kw]. */
function toOihw(k: Float32Array, kh: number, kw: number, cin: number, cout: number, scale?: Float64Array): Float32Array {
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

class Builder {
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

/** The inference graph of a U-Net; throws ExportError naming what is missing or malformed. */
export function unetGraph(w: NamedWeights, name: string): GraphSpec {
  const c: UnetConfig = w.config;
  if (c.inChannels !== 3) throw new ExportError(`only RGB models (3 input channels) can be exported, this one has ${c.inChannels}`);
  const b = new Builder(w);
  const widths = levelWidths(c);
  let h = b.node('Transpose', [INPUT_NAME], { perm: [0, 3, 1, 2] }, 'to_nchw');
  const skips: string[] = [];
  let cin = c.inChannels;
  widths.forEach((width, i) => {
    h = b.convBnRelu(h, `enc${i}/conv1`, cin, width);
    h = b.convBnRelu(h, `enc${i}/conv2`, width, width);
    cin = width;
    if (i < widths.length - 1) {
      skips.push(h);
      h = b.node('MaxPool', [h], { kernel_shape: [2, 2], strides: [2, 2] }, `enc${i}/pool`);
    }
  });
  // Nearest 2x up-sampling that repeats each pixel exactly (asymmetric + floor), as tfjs does.
  const scales = b.tensor('up_scales', [4], new Float32Array([1, 1, 2, 2]));
  for (let i = c.depth - 1; i >= 0; i--) {
    const width = widths[i];
    const up = b.node('Resize', [h, '', scales], { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }, `dec${i}/upsample`);
    const upc = b.convBnRelu(up, `dec${i}/up`, 2 * width, width);
    const cat = b.node('Concat', [upc, skips.pop() as string], { axis: 1 }, `dec${i}/concat`);
    h = b.convBnRelu(cat, `dec${i}/conv1`, 2 * width, width);
    h = b.convBnRelu(h, `dec${i}/conv2`, width, width);
  }
  const outCh = outputChannels(c.task);
  const ok = get(w, 'out/kernel', [1, 1, widths[0], outCh]);
  const ob = get(w, 'out/bias', [outCh]);
  const wOut = b.tensor('out/W', [outCh, widths[0], 1, 1], toOihw(ok, 1, 1, widths[0], outCh));
  const bOut = b.tensor('out/B', [outCh], Float32Array.from(ob));
  const logits = b.node('Conv', [h, wOut, bOut], { kernel_shape: [1, 1] }, 'logits');
  const nhwc = b.node('Transpose', [logits], { perm: [0, 2, 3, 1] }, 'logits_nhwc');
  if (c.task === 'binary') b.node('Sigmoid', [nhwc], undefined, OUTPUT_NAME);
  else b.node('Softmax', [nhwc], { axis: -1 }, OUTPUT_NAME);
  return {
    name,
    nodes: b.nodes,
    initializers: b.initializers,
    input: { name: INPUT_NAME, dims: ['batch', 'height', 'width', c.inChannels] },
    output: { name: OUTPUT_NAME, dims: ['batch', 'height', 'width', outCh] },
  };
}
