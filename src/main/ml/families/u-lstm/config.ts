// The U-LSTM configuration (seeds.md E, the Ben-Gurion paper): a U-Net whose up blocks are
// convolutional LSTMs. Main-side safe (no TensorFlow): config, options, validation and the
// parameter count, which a test checks against the weights the network actually builds.
import type { ModelTask } from '../../../../shared/domain';
import type { FamilyOptionInfo } from '../../../../shared/ml';
import { checkOptions, FamilyConfigError, inputOptions, optionList, type BaseModelConfig } from '../common-config';

/**
 * 'multiclass-edge': the paper's three-class output (background, cell, edge); the cell class is
 * the project's cytoplasm label (no nucleus here), so the network has 3 output channels and
 * presents them in the project's 4-label layout with an empty nucleus channel.
 * 'binary': the two-class output (background, cell) trained with the boundary-weighted loss.
 */
/** The U-LSTM paper's RMSProp learning rate: a new model's default. */
export const PAPER_LEARNING_RATE = 1e-4;

export const U_LSTM_TASKS: readonly ModelTask[] = ['multiclass-edge', 'binary'];

export interface ULstmConfig extends BaseModelConfig {
  task: ModelTask;
  /** Square side of the training crops (any multiple of 2^depth runs). */
  inputSize: number;
  inChannels: number;
  /** 2x2 max-poolings; levels = depth + 1 (the paper: 3 poolings, 4 down and 4 up blocks). */
  depth: number;
  /** Channels of the top level, doubled per level (the paper: 32, i.e. 32-64-128-256). */
  baseFilters: number;
  /** Kernel side of the ConvLSTM gate convolution (the paper: 7). */
  lstmKernel: number;
  /** Negative slope of the leaky ReLU. */
  leak: number;
  /** Frames per truncated back-propagation window (the paper: 5). */
  unroll: number;
}

/** Tiny defaults that train in minutes on 2 cores; the paper's network is --depth 3 --base-filters 32. */
export const U_LSTM_DEFAULTS: ULstmConfig = {
  task: 'multiclass-edge',
  inputSize: 64,
  inChannels: 1,
  depth: 2,
  baseFilters: 4,
  lstmKernel: 7,
  leak: 0.2,
  unroll: 5,
  inputMode: 'squash',
};

export const U_LSTM_OPTIONS: readonly FamilyOptionInfo[] = [
  ...inputOptions({ task: U_LSTM_DEFAULTS.task, inputSize: U_LSTM_DEFAULTS.inputSize, inputMode: 'squash' }, U_LSTM_TASKS).map((o) =>
    o.key === 'task' ? { ...o, help: 'multiclass-edge (the paper\'s three classes: background, cell, edge) | binary (background / cell, boundary-weighted loss)' } : o,
  ),
  { key: 'depth', flag: 'depth', label: 'Depth (poolings)', help: '2x2 max-poolings (levels = depth + 1; the paper: 3)', type: 'int', min: 1, max: 5, default: U_LSTM_DEFAULTS.depth },
  { key: 'baseFilters', flag: 'base-filters', label: 'Base filters', help: 'channels of the top level, doubled per level (the paper: 32)', type: 'int', min: 1, max: 256, default: U_LSTM_DEFAULTS.baseFilters },
  { key: 'lstmKernel', flag: 'lstm-kernel', label: 'ConvLSTM kernel', help: 'kernel side of the ConvLSTM gate convolutions (odd; the paper: 7)', type: 'int', min: 1, max: 9, default: U_LSTM_DEFAULTS.lstmKernel },
  { key: 'leak', flag: 'leak', label: 'Leaky ReLU slope', help: 'negative slope of the leaky ReLU in the down blocks', type: 'float', min: 0, max: 0.5, step: 0.05, default: U_LSTM_DEFAULTS.leak },
  { key: 'unroll', flag: 'unroll', label: 'BPTT unroll', help: 'frames per truncated back-propagation window (the paper: 5)', type: 'int', min: 1, max: 32, default: U_LSTM_DEFAULTS.unroll },
];

const INTERNAL_KEYS = ['inChannels'] as const;

export function resolveULstmConfig(raw: Record<string, unknown> = {}, purpose: 'new' | 'stored' = 'stored'): ULstmConfig {
  const given = checkOptions('u-lstm', U_LSTM_OPTIONS, raw, INTERNAL_KEYS);
  const { inputMode, ...structural } = U_LSTM_DEFAULTS;
  const c = { ...structural, ...(purpose === 'new' ? { inputMode } : {}), ...given } as ULstmConfig;
  if (!U_LSTM_TASKS.includes(c.task)) throw new FamilyConfigError(`u-lstm: tasks are multiclass-edge (background, cell, edge) and binary (boundary-weighted), got ${String(c.task)}`);
  if (!(Number.isInteger(c.inChannels) && c.inChannels >= 1 && c.inChannels <= 4)) throw new FamilyConfigError(`u-lstm: inChannels must be an integer in [1, 4], got ${String(c.inChannels)}`);
  if (c.lstmKernel % 2 !== 1) throw new FamilyConfigError(`u-lstm: --lstm-kernel must be odd (a centred 'same' convolution), got ${c.lstmKernel}`);
  const m = 2 ** c.depth;
  if (c.inputSize % m !== 0 || c.inputSize < m) {
    throw new FamilyConfigError(`u-lstm: input size ${c.inputSize} must be a multiple of 2^depth = ${m}; e.g. --size ${Math.max(m, Math.round(c.inputSize / m) * m)}. u-lstm options: ${optionList(U_LSTM_OPTIONS)}`);
  }
  return {
    task: c.task,
    inputSize: c.inputSize,
    inChannels: c.inChannels,
    depth: c.depth,
    baseFilters: c.baseFilters,
    lstmKernel: c.lstmKernel,
    leak: c.leak,
    unroll: c.unroll,
    ...(c.inputMode !== undefined ? { inputMode: c.inputMode } : {}),
    ...(c.cellDiameter !== undefined ? { cellDiameter: c.cellDiameter } : {}),
    ...(c.stainNorm !== undefined ? { stainNorm: c.stainNorm } : {}),
  };
}

/** Channels per level, top to bottom: base * 2^i, i = 0..depth. */
export function uLstmWidths(c: Pick<ULstmConfig, 'depth' | 'baseFilters'>): number[] {
  return Array.from({ length: c.depth + 1 }, (_, i) => c.baseFilters * 2 ** i);
}

/** Channels the network computes: 3 (background, cell, edge) or 1 (the binary logit). */
export function uLstmOutChannels(task: ModelTask): number {
  return task === 'binary' ? 1 : 3;
}

/** Input channels of the ConvLSTM of level i: the bottom reads the encoder; the others [up(h_{i+1}), skip_i]. */
export function lstmInputChannels(c: Pick<ULstmConfig, 'depth' | 'baseFilters'>, level: number): number {
  const w = uLstmWidths(c);
  return level === c.depth ? w[level] : w[level + 1] + w[level];
}

/**
 * Trainable scalars:
 *   down level i: 3x3 conv without bias (BN follows) 9*cin*w_i + BN gamma/beta 2*w_i;
 *   ConvLSTM level i: one k x k conv over [input, h] to the 4 gates, with bias:
 *     k*k*(in_i + w_i)*4*w_i + 4*w_i;
 *   output: 1x1 conv w_0 -> out with bias.
 */
export function uLstmParamCount(c: ULstmConfig): number {
  const w = uLstmWidths(c);
  let n = 0;
  let cin = c.inChannels;
  for (const wi of w) {
    n += 9 * cin * wi + 2 * wi;
    cin = wi;
  }
  const k = c.lstmKernel;
  for (let i = 0; i <= c.depth; i++) n += k * k * (lstmInputChannels(c, i) + w[i]) * 4 * w[i] + 4 * w[i];
  const out = uLstmOutChannels(c.task);
  return n + w[0] * out + out;
}
