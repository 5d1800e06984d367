// The SegNet-Basic family (seeds.md B): encoder-decoder whose decoder places values back by
// the encoder's max-pooling switches. Folder layout as ../unet/index.ts; exports to ONNX with
// MaxPool indices + MaxUnpool (./onnx-graph.ts).
import type { ModelFamily } from '../family';
import { segnetGraph } from './onnx-graph';
import { SEGNET_DEFAULTS, SEGNET_OPTIONS, resolveSegnetConfig, segnetParamCount, type SegnetConfig } from './config';

export const segnetFamily: ModelFamily<SegnetConfig> = {
  id: 'segnet',
  label: 'SegNet-Basic',
  summary: 'encoder-decoder without skips: per level a KxK conv + BN + ReLU and 2x2 max-pooling with switches; the decoder max-unpools by those switches, KxK conv + BN without ReLU',
  inputKind: 'image',
  tasks: ['binary', 'multiclass', 'multiclass-edge'],
  options: SEGNET_OPTIONS,
  variants: [
    { name: 'segnet', label: 'HemaSeg default: 128 px, 4 layers, 7x7, 16..64 filters', config: {} },
    { name: 'segnet-paper', label: 'the seed 002 widths: 4 layers, 7x7, 64..512 filters, Xavier init', config: { baseFilters: 64, maxFilters: 512, init: 'xavier' } },
  ],
  defaults: SEGNET_DEFAULTS,
  resolve: (raw, purpose) => resolveSegnetConfig(raw, purpose),
  paramCount: segnetParamCount,
  arch: (c) => `${c.inputSize}px d${c.depth} k${c.kernelSize} f${c.baseFilters}-${Math.min(c.baseFilters * 2 ** (c.depth - 1), c.maxFilters)}`,
  sizeMultiple: (c) => 2 ** c.depth,
  onnxGraph: (weights, name) => segnetGraph(weights, name),
  network: () => import('./network/index').then((m) => m.segnetNetwork),
};
