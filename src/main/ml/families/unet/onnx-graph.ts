// The U-Net (./unet.ts) as an ONNX graph: batch norm folded into each 3x3 convolution,
// nearest 2x up-sampling + 3x3 conv in the decoder, NHWC at the boundary. Batch, height and
// width are dynamic (the network is fully convolutional); height and width must be
// multiples of 2^depth.
import { Builder, ExportError, get, INPUT_NAME, OUTPUT_NAME, toOihw, type GraphSpec } from '../../onnx/graph-builder';
import type { NamedWeights } from '../model-file';
import { outputChannels } from '../common-config';
import { levelWidths, type UnetConfig } from './config';

/** The inference graph of a U-Net; throws ExportError naming what is missing or malformed. */
export function unetGraph(w: NamedWeights & { config: UnetConfig }, name: string): GraphSpec {
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
