// SegNet-Basic (./network/segnet.ts) as an ONNX graph: batch norm folded into each K x K
// convolution, MaxPool with its indices output and MaxUnpool by those indices (ONNX
// flattens both over NCHW, so they pair up inside the graph), NHWC at the boundary. Batch,
// height and width are dynamic; height and width must be multiples of 2^depth.
import { Builder, ExportError, INPUT_NAME, OUTPUT_NAME, type GraphSpec } from '../../onnx/graph-builder';
import type { NamedWeights } from '../model-file';
import { outputChannels } from '../common-config';
import { onnxConvBn, onnxHead } from '../onnx-conv-bn';
import { segnetDecoderOut, segnetWidths, type SegnetConfig } from './config';

/** The inference graph of a SegNet; throws ExportError naming what is missing or malformed. */
export function segnetGraph(w: NamedWeights & { config: SegnetConfig }, name: string): GraphSpec {
  const c: SegnetConfig = w.config;
  if (c.inChannels !== 3) throw new ExportError(`only RGB models (3 input channels) can be exported, this one has ${c.inChannels}`);
  const b = new Builder(w);
  const widths = segnetWidths(c);
  const k = c.kernelSize;
  let h = b.node('Transpose', [INPUT_NAME], { perm: [0, 3, 1, 2] }, 'to_nchw');
  const indices: string[] = [];
  let cin = c.inChannels;
  widths.forEach((width, i) => {
    h = onnxConvBn(b, w, h, `enc${i}/conv`, k, cin, width, c.activation);
    cin = width;
    const pooled = `enc${i}/pool`;
    const idx = `enc${i}/pool_indices`;
    b.nodes.push({ op: 'MaxPool', name: pooled, inputs: [h], outputs: [pooled, idx], attrs: { kernel_shape: [2, 2], strides: [2, 2] } });
    indices.push(idx);
    h = pooled;
  });
  for (let i = c.depth - 1; i >= 0; i--) {
    const up = b.node('MaxUnpool', [h, indices.pop() as string], { kernel_shape: [2, 2], strides: [2, 2] }, `dec${i}/unpool`);
    h = onnxConvBn(b, w, up, `dec${i}/conv`, k, widths[i], segnetDecoderOut(widths, i), 'linear');
  }
  const outCh = outputChannels(c.task);
  onnxHead(b, w, h, widths[0], outCh, c.task === 'binary', OUTPUT_NAME);
  return {
    name,
    nodes: b.nodes,
    initializers: b.initializers,
    input: { name: INPUT_NAME, dims: ['batch', 'height', 'width', c.inChannels] },
    output: { name: OUTPUT_NAME, dims: ['batch', 'height', 'width', outCh] },
  };
}
