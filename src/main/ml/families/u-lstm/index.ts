// The U-LSTM family (seeds.md E, the Ben-Gurion paper): a U-Net whose up blocks are
// convolutional LSTMs (7x7 gates), leaky ReLU, bilinear up-sampling, fully convolutional.
// Input kind 'clip': the network reads frames in time order and carries one (h, c) state per
// level; ./network also steps one frame at a time (streaming inference).
//   config.ts         config, options, validation, parameter count (main-side safe)
//   boundary.ts       training targets and the boundary weights (pure TypeScript)
//   network/          worker side (TensorFlow.js): the network, the training pieces
// No ONNX graph: the recurrence has no exporter yet (the exporter says so).
import type { ModelFamily } from '../family';
import { PAPER_LEARNING_RATE, resolveULstmConfig, U_LSTM_DEFAULTS, U_LSTM_OPTIONS, U_LSTM_TASKS, uLstmParamCount, type ULstmConfig } from './config';

export const uLstmFamily: ModelFamily<ULstmConfig> = {
  id: 'u-lstm',
  label: 'U-LSTM',
  summary: 'U-Net whose up blocks are ConvLSTMs (7x7 gates) on time-lapse clips: 3x3 conv + BN + leaky ReLU + 2x2 max-pool down, bilinear up-sampling + skip + ConvLSTM up; 3-class (background, cell, edge) or boundary-weighted 2-class',
  inputKind: 'clip',
  tasks: U_LSTM_TASKS,
  options: U_LSTM_OPTIONS,
  variants: [
    { name: 'u-lstm', label: 'HemaSeg default: 64 px, depth 2, 4..16 channels, 7x7 ConvLSTMs (trains in minutes on 2 cores)', config: {} },
    { name: 'u-lstm-paper', label: 'the paper: depth 3 (4 down, 4 up blocks), 32..256 channels, 7x7 ConvLSTMs', config: { depth: 3, baseFilters: 32, inputSize: 128 } },
  ],
  defaults: U_LSTM_DEFAULTS,
  resolve: (raw, purpose) => resolveULstmConfig(raw, purpose),
  paramCount: uLstmParamCount,
  defaultLearningRate: () => PAPER_LEARNING_RATE,
  arch: (c) => `${c.inputSize}px d${c.depth} f${c.baseFilters} k${c.lstmKernel}`,
  sizeMultiple: (c) => 2 ** c.depth,
  network: () => import('./network/index').then((m) => m.uLstmNetwork),
  clipTraining: () => import('./network/clip-family').then((m) => m.uLstmClipTraining),
};

/** Worker side only (training, streaming): the network module with its training pieces, loaded on demand. */
export const loadULstmNetworkModule = (): Promise<typeof import('./network/index')> => import('./network/index');
