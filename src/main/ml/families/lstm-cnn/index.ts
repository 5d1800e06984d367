// The LSTM-CNN family (the flowing-red-cell film report): a convolutional LSTM cell between
// sub-sampling encoders and a decoder, reading short clips of a time-lapse film, and the structurally similar
// per-frame CNNs it is compared with. Input kind 'clip': the network reads [T, H, W, 1]
// frames in time order; ./network also steps one frame at a time carrying the state.
//   config.ts   config, options, the layer list (parameter counts), validation
//   network/    worker side (TensorFlow.js): the cell, clip forward and streaming step
// No ONNX graph: the recurrence has no exporter yet (the exporter says so).
import type { ModelFamily, FamilyVariant } from '../family';
import { REPORT_LEARNING_RATES, LSTM_CNN_DEFAULTS, LSTM_CNN_OPTIONS, lstmCnnParamCount, resolveLstmCnnConfig, SUBSAMPLING, type LstmCnnArch, type LstmCnnConfig } from './config';

const ARCH_LABELS: Record<LstmCnnArch, string> = {
  'ende-p': 'EnDe-P: pooling encoder (conv, pool, conv, pool), conv decoder',
  'en-p': 'En-P: pooling encoder, slim decoder',
  'ende-t': 'EnDe-T: strided encoder (four 2x2 convs), conv decoder',
  'slim-t': 'Slim-T: one 4x4 stride-4 conv, slim decoder',
  'en-t': 'En-T: strided encoder, slim decoder',
};

/** The report's twelve networks: five LSTM-CNNs, En-T with gate dilation 2 and 3, five CNNs. */
const VARIANTS: FamilyVariant<LstmCnnConfig>[] = [
  ...(['ende-p', 'en-p', 'ende-t', 'slim-t', 'en-t'] as const).map((arch) => ({
    name: `lstm-cnn-${arch}`,
    label: `LSTM-CNN-${ARCH_LABELS[arch]}${arch === 'en-t' ? ' (D1)' : ''}`,
    config: { recurrence: 'lstm' as const, arch, dilation: 1 },
  })),
  ...([2, 3] as const).map((d) => ({ name: `lstm-cnn-en-t-d${d}`, label: `LSTM-CNN-En-T-D${d}: En-T with gate dilation ${d}`, config: { recurrence: 'lstm' as const, arch: 'en-t' as const, dilation: d } })),
  ...(['ende-p', 'en-p', 'ende-t', 'slim-t', 'en-t'] as const).map((arch) => ({
    name: `cnn-${arch}`,
    label: `CNN-${ARCH_LABELS[arch]}; per frame, no recurrence`,
    config: { recurrence: 'none' as const, arch, dilation: 1 },
  })),
];

export const lstmCnnFamily: ModelFamily<LstmCnnConfig> = {
  id: 'lstm-cnn',
  label: 'LSTM-CNN',
  summary: 'convolutional LSTM cell on time-lapse clips: gates from encoders W (frame) and U (previous output), sub-sampling 4, 32 filters, state H/4 x W/4 x 32, decoder to one sigmoid channel; or the similar per-frame CNN',
  inputKind: 'clip',
  tasks: ['binary'],
  options: LSTM_CNN_OPTIONS,
  variants: VARIANTS,
  defaults: LSTM_CNN_DEFAULTS,
  resolve: (raw, purpose) => resolveLstmCnnConfig(raw, purpose),
  paramCount: lstmCnnParamCount,
  defaultLearningRate: (c) => REPORT_LEARNING_RATES[c.arch][c.recurrence],
  arch: (c) => `${c.recurrence === 'lstm' ? 'LSTM-CNN' : 'CNN'}-${c.arch}${c.recurrence === 'lstm' ? ` d${c.dilation}` : ''} ${c.inputSize}px x${c.clipFrames}`,
  sizeMultiple: () => SUBSAMPLING,
  network: () => import('./network/index').then((m) => m.lstmCnnNetwork),
  clipTraining: () => import('./network/clip-family').then((m) => m.lstmCnnClipTraining),
};
