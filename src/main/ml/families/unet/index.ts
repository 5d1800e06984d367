// The U-Net family (seeds.md A). Copy this folder to add a family, then add one line to
// ../registry.ts:
//   index.ts       the ModelFamily: description, options, variants, validation, size (main-side safe)
//   config.ts      the family's one config type, defaults, options, resolve, parameter count
//   onnx-graph.ts  its ONNX inference graph (optional; without it the family cannot be exported)
//   network/       worker side (TensorFlow.js): the network and its builder, loaded by network()
import type { ModelFamily } from '../family';
import { UNET_DEFAULTS, UNET_OPTIONS, resolveUnetConfig, unetParamCount, type UnetConfig } from './config';
import { unetGraph } from './onnx-graph';

export const unetFamily: ModelFamily<UnetConfig> = {
  id: 'unet',
  label: 'U-Net',
  summary: 'encoder-decoder with skip connections: 2 x (3x3 conv + BN + ReLU) per level, 2x2 max-pooling, nearest up-sampling + 3x3 conv, concatenation; fully convolutional',
  inputKind: 'image',
  tasks: ['binary', 'multiclass', 'multiclass-edge'],
  options: UNET_OPTIONS,
  variants: [
    { name: 'unet', label: 'HemaSeg default: 128 px, depth 3, 16..128 filters', config: {} },
    { name: 'unet-small', label: 'small and fast: depth 2, 8..32 filters', config: { depth: 2, baseFilters: 8 } },
    { name: 'unet-wide', label: 'the U-Net/SegNet/DeconvNet comparison width: depth 4, 64..1024 filters', config: { depth: 4, baseFilters: 64 } },
  ],
  defaults: UNET_DEFAULTS,
  resolve: (raw, purpose) => resolveUnetConfig(raw, purpose),
  paramCount: unetParamCount,
  arch: (c) => `${c.inputSize}px d${c.depth} f${c.baseFilters}`,
  sizeMultiple: (c) => 2 ** c.depth,
  onnxGraph: (weights, name) => unetGraph(weights, name),
  network: () => import('./network/index').then((m) => m.unetNetwork),
};
