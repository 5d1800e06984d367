// The SegNet-Basic configuration (seeds.md B): depth x (K x K conv + BN + ReLU, 2x2 max-pool
// with switches) in the encoder, depth x (max-unpool by those switches, K x K conv + BN, no
// ReLU) in the decoder, dropout, 1x1 output conv. Stored with every model version.
import type { ModelTask } from '../../../../shared/domain';
import type { FamilyOptionInfo } from '../../../../shared/ml';
import { checkOptions, FamilyConfigError, inputOptions, optionList, TASKS, type BaseModelConfig } from '../common-config';
import { ACTIVATIONS, CONV_INITS, convInitOptions, doublingWidths, type ActivationOption, type ConvInitOption } from '../conv-options';
import { convBnParamCount, headParamCount } from '../param-count';

export interface SegnetConfig extends BaseModelConfig {
  task: ModelTask;
  /** Square input side; must be divisible by 2^depth. */
  inputSize: number;
  /** Encoder (and decoder) conv layers, one 2x2 pooling each. SegNet-Basic: 4. */
  depth: number;
  /** Convolution kernel side (odd). SegNet-Basic: 7. */
  kernelSize: number;
  /** Filters of the first layer, doubled per layer up to maxFilters. */
  baseFilters: number;
  maxFilters: number;
  dropout: number;
  init: ConvInitOption;
  activation: ActivationOption;
  inChannels: number;
}

export const SEGNET_DEFAULTS: SegnetConfig = {
  task: 'multiclass-edge',
  inputSize: 128,
  depth: 4,
  kernelSize: 7,
  baseFilters: 16,
  maxFilters: 64,
  dropout: 0.5,
  init: 'he',
  activation: 'relu',
  inChannels: 3,
  inputMode: 'fit',
};

export const SEGNET_OPTIONS: readonly FamilyOptionInfo[] = [
  ...inputOptions(SEGNET_DEFAULTS as { task: ModelTask; inputSize: number; inputMode: 'fit' }),
  { key: 'depth', flag: 'depth', label: 'Depth (poolings)', help: 'encoder conv layers, each followed by a 2x2 max-pooling (the decoder mirrors them); the input size must divide by 2^depth', type: 'int', min: 1, max: 6, default: SEGNET_DEFAULTS.depth },
  { key: 'kernelSize', flag: 'kernel', label: 'Kernel size', help: 'convolution kernel side (odd; SegNet-Basic uses 7)', type: 'int', min: 1, max: 11, step: 2, default: SEGNET_DEFAULTS.kernelSize },
  { key: 'baseFilters', flag: 'base-filters', label: 'Base filters', help: 'filters of the first layer, doubled per layer up to --max-filters', type: 'int', min: 1, max: 512, step: 4, default: SEGNET_DEFAULTS.baseFilters },
  { key: 'maxFilters', flag: 'max-filters', label: 'Max filters', help: 'cap on the filters of a layer', type: 'int', min: 1, max: 1024, step: 16, default: SEGNET_DEFAULTS.maxFilters },
  { key: 'dropout', flag: 'dropout', label: 'Dropout', help: 'dropout before the output layer', type: 'float', min: 0, max: 0.95, step: 0.05, default: SEGNET_DEFAULTS.dropout },
  ...convInitOptions(SEGNET_DEFAULTS),
];

const INTERNAL_KEYS = ['inChannels'] as const;

export function resolveSegnetConfig(raw: Record<string, unknown> = {}, purpose: 'new' | 'stored' = 'stored'): SegnetConfig {
  const given = checkOptions('segnet', SEGNET_OPTIONS, raw, INTERNAL_KEYS);
  const { inputMode, ...structural } = SEGNET_DEFAULTS;
  const c = { ...structural, ...(purpose === 'new' ? { inputMode } : {}), ...given } as SegnetConfig;
  const fail = (msg: string): never => {
    throw new FamilyConfigError(`segnet: ${msg}. segnet options: ${optionList(SEGNET_OPTIONS)}`);
  };
  if (!TASKS.includes(c.task)) fail(`unknown task ${String(c.task)}`);
  if (!(Number.isInteger(c.inChannels) && c.inChannels >= 1 && c.inChannels <= 16)) fail(`inChannels must be an integer in [1, 16], got ${String(c.inChannels)}`);
  if (c.kernelSize % 2 !== 1) fail(`kernel size must be odd, got ${c.kernelSize}`);
  if (!CONV_INITS.includes(c.init) || !ACTIVATIONS.includes(c.activation)) fail('bad init or activation');
  if (c.maxFilters < c.baseFilters) fail(`--max-filters ${c.maxFilters} is below --base-filters ${c.baseFilters}`);
  const div = 2 ** c.depth;
  if (c.inputSize % div !== 0) {
    fail(`input size ${c.inputSize} must be divisible by 2^depth = ${div} (depth ${c.depth} poolings); e.g. --size ${Math.max(div, Math.round(c.inputSize / div) * div)} or a smaller --depth`);
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) fail(`dropout must be in [0, 1), got ${String(c.dropout)}`);
  return {
    task: c.task,
    inputSize: c.inputSize,
    depth: c.depth,
    kernelSize: c.kernelSize,
    baseFilters: c.baseFilters,
    maxFilters: c.maxFilters,
    dropout: c.dropout,
    init: c.init,
    activation: c.activation,
    inChannels: c.inChannels,
    ...(c.inputMode !== undefined ? { inputMode: c.inputMode } : {}),
    ...(c.cellDiameter !== undefined ? { cellDiameter: c.cellDiameter } : {}),
    ...(c.stainNorm !== undefined ? { stainNorm: c.stainNorm } : {}),
  };
}

/** Encoder widths, top to bottom. */
export function segnetWidths(c: Pick<SegnetConfig, 'depth' | 'baseFilters' | 'maxFilters'>): number[] {
  return doublingWidths(c.depth, c.baseFilters, c.maxFilters);
}

/** Decoder layer i (at encoder level i) maps widths[i] to widths[i - 1] (level 0: to widths[0]). */
export function segnetDecoderOut(widths: readonly number[], i: number): number {
  return widths[Math.max(i - 1, 0)];
}

/** Trainable scalars of ./network/segnet.ts (BN running statistics not counted). */
export function segnetParamCount(c: SegnetConfig): number {
  const w = segnetWidths(c);
  const k = c.kernelSize;
  let n = 0;
  let cin = c.inChannels;
  for (const width of w) {
    n += convBnParamCount(k, cin, width);
    cin = width;
  }
  for (let i = c.depth - 1; i >= 0; i--) n += convBnParamCount(k, w[i], segnetDecoderOut(w, i));
  return n + headParamCount(w[0], c.task);
}
