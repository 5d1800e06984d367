// The DeconvNet family (seeds.md B and C): a VGG16-like encoder mirrored by a decoder that
// up-samples (seed 002) or unpools by switches with transposed convolutions (seed 003).
// Folder layout as ../unet/index.ts; ONNX graph in ./onnx-graph.ts.
import type { ModelFamily } from '../family';
import { deconvnetGraph } from './onnx-graph';
import { DECONVNET_DEFAULTS, DECONVNET_OPTIONS, deconvnetParamCount, deconvSizeMultiple, deconvWidths, resolveDeconvnetConfig, type DeconvnetConfig } from './config';

export const deconvnetFamily: ModelFamily<DeconvnetConfig> = {
  id: 'deconvnet',
  label: 'DeconvNet',
  summary: 'VGG16-like encoder (blocks of 2, 2, 3, 3, 3 3x3 conv + BN + ReLU, poolings per block) mirrored by a decoder that up-samples + convolves or max-unpools by the switches + transposed convolutions',
  inputKind: 'image',
  tasks: ['binary', 'multiclass', 'multiclass-edge'],
  options: DECONVNET_OPTIONS,
  variants: [
    { name: 'deconvnet', label: 'HemaSeg default: 120 px, poolings 1,2,2,2,3, up-sampling decoder, 8..64 filters', config: {} },
    { name: 'deconvnet-unpool', label: 'switch unpooling + transposed convolutions (seed 003 decoder), 8..64 filters', config: { decoder: 'unpool' } },
    { name: 'deconvnet-paper', label: 'seed 002: 13 conv layers, 64..512 filters, up-sampling decoder, Xavier init', config: { baseFilters: 64, maxFilters: 512, init: 'xavier' } },
    { name: 'deconvnet-paper-unpool', label: 'seed 002 widths with seed 003\'s switch unpooling + transposed convolutions', config: { baseFilters: 64, maxFilters: 512, init: 'xavier', decoder: 'unpool' } },
  ],
  defaults: DECONVNET_DEFAULTS,
  resolve: (raw, purpose) => resolveDeconvnetConfig(raw, purpose),
  paramCount: deconvnetParamCount,
  arch: (c) => {
    const w = deconvWidths(c);
    return `${c.inputSize}px p${c.poolings.replace(/,/g, '')} ${c.decoder} f${w[0]}-${w[w.length - 1]}`;
  },
  sizeMultiple: deconvSizeMultiple,
  onnxGraph: (weights, name) => deconvnetGraph(weights, name),
  network: () => import('./network/index').then((m) => m.deconvnetNetwork),
};
