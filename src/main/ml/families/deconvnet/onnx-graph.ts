// DeconvNet (./network/deconvnet.ts) as an ONNX graph: batch norm folded into every 3x3
// convolution (the 'unpool' decoder's stride-1 transposed convolutions rewritten as convs),
// MaxPool (+ indices and MaxUnpool for 'unpool'), Resize for the 'upsample' decoder (nearest:
// asymmetric + floor repeats each pixel as tfjs does; bilinear: half-pixel centres), NHWC at
// the boundary. Batch, height and width are dynamic (multiples of the poolings' product).
import { Builder, ExportError, INPUT_NAME, OUTPUT_NAME, type GraphSpec } from '../../onnx/graph-builder';
import type { NamedWeights } from '../model-file';
import { outputChannels } from '../common-config';
import { onnxConvBn, onnxHead } from '../onnx-conv-bn';
import { DECONV_KERNEL, deconvLayers, deconvWidths, poolingFactors, type DeconvnetConfig } from './config';

export function deconvnetGraph(w: NamedWeights & { config: DeconvnetConfig }, name: string): GraphSpec {
  const c: DeconvnetConfig = w.config;
  if (c.inChannels !== 3) throw new ExportError(`only RGB models (3 input channels) can be exported, this one has ${c.inChannels}`);
  const b = new Builder(w);
  const pools = poolingFactors(c);
  const layers = deconvLayers(c);
  const unpool = c.decoder === 'unpool';
  let h = b.node('Transpose', [INPUT_NAME], { perm: [0, 3, 1, 2] }, 'to_nchw');
  const indices: (string | null)[] = [];
  layers.encoder.forEach((block, bi) => {
    block.forEach(([cin, cout], i) => {
      h = onnxConvBn(b, w, h, `enc${bi}/conv${i + 1}`, DECONV_KERNEL, cin, cout, c.activation);
    });
    const f = pools[bi];
    if (f === 1) {
      indices.push(null);
      return;
    }
    const pooled = `enc${bi}/pool`;
    if (unpool) {
      const idx = `enc${bi}/pool_indices`;
      b.nodes.push({ op: 'MaxPool', name: pooled, inputs: [h], outputs: [pooled, idx], attrs: { kernel_shape: [f, f], strides: [f, f] } });
      indices.push(idx);
    } else {
      b.node('MaxPool', [h], { kernel_shape: [f, f], strides: [f, f] }, pooled);
      indices.push(null);
    }
    h = pooled;
  });
  const scales = new Map<number, string>();
  layers.decoder.forEach((block, j) => {
    const bi = pools.length - 1 - j;
    const f = pools[bi];
    const idx = indices[bi];
    if (idx) h = b.node('MaxUnpool', [h, idx], { kernel_shape: [f, f], strides: [f, f] }, `dec${bi}/unpool`);
    else if (f > 1) {
      if (!scales.has(f)) scales.set(f, b.tensor(`up_scales_${f}`, [4], new Float32Array([1, 1, f, f])));
      const attrs: Record<string, string> = c.upsampling === 'bilinear' ? { mode: 'linear', coordinate_transformation_mode: 'half_pixel' } : { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' };
      h = b.node('Resize', [h, '', scales.get(f) as string], attrs, `dec${bi}/upsample`);
    }
    block.forEach(([cin, cout], i) => {
      h = onnxConvBn(b, w, h, `dec${bi}/${unpool ? 'deconv' : 'conv'}${i + 1}`, DECONV_KERNEL, cin, cout, c.activation, unpool);
    });
  });
  const outCh = outputChannels(c.task);
  onnxHead(b, w, h, deconvWidths(c)[0], outCh, c.task === 'binary', OUTPUT_NAME);
  return {
    name,
    nodes: b.nodes,
    initializers: b.initializers,
    input: { name: INPUT_NAME, dims: ['batch', 'height', 'width', c.inChannels] },
    output: { name: OUTPUT_NAME, dims: ['batch', 'height', 'width', outCh] },
  };
}
