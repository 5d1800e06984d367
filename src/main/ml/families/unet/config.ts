// The U-Net configuration: the one config type of the U-Net family. It is data, stored with
// every model version (model.json) so any version can be rebuilt exactly; validation lives
// here so a bad request or a bad file fails loudly before anything is built.
import type { ModelTask } from '../../../../shared/domain';
import type { FamilyOptionInfo } from '../../../../shared/ml';
import { checkOptions, FamilyConfigError, inputOptions, optionList, outputChannels, TASKS, type BaseModelConfig } from '../common-config';
import { biasInitOption, kernelInitOption, type ConvInitOption } from '../conv-options';

export interface UnetConfig extends BaseModelConfig {
  task: ModelTask;
  /** Square input side in pixels; must be divisible by 2^depth. */
  inputSize: number;
  /** Number of 2x2 max-poolings (levels below the top one). */
  depth: number;
  /** Filters of the first level; doubled per level. */
  baseFilters: number;
  /** Dropout rate before the 1x1 output convolution (training only). */
  dropout: number;
  /** Input channels (3 for RGB). */
  inChannels: number;
  /** Initialisation of the 3x3 convolutions. Absent: He-normal (every U-Net before the option). */
  init?: ConvInitOption;
  /** Initial output bias and batch-norm offsets. Absent: 0. */
  biasInit?: number;
}

/**
 * A new U-Net's config (the CLI, the train form and the API all start here). Stored models
 * carry their own values: a stored config without inputMode is 'squash', not this 'fit'.
 */
export const UNET_DEFAULTS: UnetConfig = {
  task: 'multiclass-edge',
  inputSize: 128,
  depth: 3,
  baseFilters: 16,
  dropout: 0.5,
  inChannels: 3,
  inputMode: 'fit',
};

export const UNET_OPTIONS: readonly FamilyOptionInfo[] = [
  ...inputOptions(UNET_DEFAULTS as { task: ModelTask; inputSize: number; inputMode: 'fit' }),
  { key: 'depth', flag: 'depth', label: 'Depth (poolings)', help: '2x2 max-poolings; the input size must divide by 2^depth', type: 'int', min: 1, max: 6, default: UNET_DEFAULTS.depth },
  { key: 'baseFilters', flag: 'base-filters', label: 'Base filters', help: 'filters of the first level, doubled per level', type: 'int', min: 1, max: 256, step: 4, default: UNET_DEFAULTS.baseFilters },
  { key: 'dropout', flag: 'dropout', label: 'Dropout', help: 'dropout before the output layer', type: 'float', min: 0, max: 0.95, step: 0.05, default: UNET_DEFAULTS.dropout },
  // Stored only when given, so configs without them (all older ones) build as they did.
  kernelInitOption('he'),
  biasInitOption(),
];

/** Fields the config may hold that are not user options. */
const INTERNAL_KEYS = ['inChannels'] as const;

/**
 * Validates and completes a U-Net config. 'new' fills every default (a new model); 'stored'
 * leaves the optional input settings absent when absent, so configs stored before they
 * existed round-trip unchanged.
 */
export function resolveUnetConfig(raw: Record<string, unknown> = {}, purpose: 'new' | 'stored' = 'stored'): UnetConfig {
  const given = checkOptions('unet', UNET_OPTIONS, raw, INTERNAL_KEYS);
  const { inputMode, ...structural } = UNET_DEFAULTS;
  const c = { ...structural, ...(purpose === 'new' ? { inputMode } : {}), ...given } as UnetConfig;
  if (!TASKS.includes(c.task)) throw new FamilyConfigError(`unet: unknown task ${String(c.task)}`);
  if (!(Number.isInteger(c.inChannels) && c.inChannels >= 1 && c.inChannels <= 16)) throw new FamilyConfigError(`unet: inChannels must be an integer in [1, 16], got ${String(c.inChannels)}`);
  if (c.inputSize % 2 ** c.depth !== 0 || c.inputSize < 2 ** c.depth) {
    throw new FamilyConfigError(
      `unet: input size ${c.inputSize} must be divisible by 2^depth = ${2 ** c.depth} (depth ${c.depth} poolings); ` +
        `e.g. --size ${Math.max(2 ** c.depth, Math.round(c.inputSize / 2 ** c.depth) * 2 ** c.depth)}. unet options: ${optionList(UNET_OPTIONS)}`,
    );
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new FamilyConfigError(`unet: dropout must be in [0, 1), got ${String(c.dropout)}`);
  // A fixed key order and the optional input settings only when set, so a stored config
  // reads back exactly as written.
  return {
    task: c.task,
    inputSize: c.inputSize,
    depth: c.depth,
    baseFilters: c.baseFilters,
    dropout: c.dropout,
    inChannels: c.inChannels,
    ...(c.init !== undefined ? { init: c.init } : {}),
    ...(c.biasInit !== undefined ? { biasInit: c.biasInit } : {}),
    ...(c.inputMode !== undefined ? { inputMode: c.inputMode } : {}),
    ...(c.cellDiameter !== undefined ? { cellDiameter: c.cellDiameter } : {}),
    ...(c.stainNorm !== undefined ? { stainNorm: c.stainNorm } : {}),
  };
}

/** Filters per level, top to bottom: base * 2^i for i = 0..depth. */
export function levelWidths(config: Pick<UnetConfig, 'depth' | 'baseFilters'>): number[] {
  return Array.from({ length: config.depth + 1 }, (_, i) => config.baseFilters * 2 ** i);
}

/**
 * Trainable scalars of the U-Net of ./unet.ts (conv kernels without bias + BN gamma/beta per
 * conv, the 1x1 output conv with bias); batch-norm running statistics are not counted.
 */
export function unetParamCount(c: UnetConfig): number {
  const w = levelWidths(c);
  const convBn = (cin: number, cout: number): number => 9 * cin * cout + 2 * cout;
  let n = 0;
  let cin = c.inChannels;
  for (const width of w) {
    n += convBn(cin, width) + convBn(width, width);
    cin = width;
  }
  for (let i = c.depth - 1; i >= 0; i--) n += convBn(w[i + 1], w[i]) + convBn(2 * w[i], w[i]) + convBn(w[i], w[i]);
  const out = outputChannels(c.task);
  return n + w[0] * out + out;
}
