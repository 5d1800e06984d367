// The DeconvNet configuration (seeds.md B and C): VGG16-like encoder blocks (2, 2, 3, 3, 3
// 3x3 conv + BN + ReLU layers) each followed by a pooling of its own factor (1 = none), and a
// mirrored decoder that either up-samples and convolves (seed 002, 'upsample') or unpools by
// the encoder's switches and applies stride-1 transposed convolutions (seed 003, 'unpool').
import type { ModelTask } from '../../../../shared/domain';
import type { FamilyOptionInfo } from '../../../../shared/ml';
import { checkOptions, FamilyConfigError, inputOptions, optionList, TASKS, type BaseModelConfig } from '../common-config';
import { ACTIVATIONS, biasInitOption, CONV_INITS, convInitOptions, doublingWidths, type ActivationOption, type ConvInitOption } from '../conv-options';
import { convBnParamCount, headParamCount } from '../param-count';

export type DeconvDecoder = 'upsample' | 'unpool';
export type UpsampleMode = 'nearest' | 'bilinear';
export const DECONV_DECODERS: readonly DeconvDecoder[] = ['upsample', 'unpool'];
export const UPSAMPLE_MODES: readonly UpsampleMode[] = ['nearest', 'bilinear'];
/** Pooling lists offered (one factor per VGG block; 1 = no pooling). 1,2,2,2,3 is seed 002's at 120 px. */
export const POOLING_CHOICES: readonly string[] = ['1,2,2,2,3', '2,2,2,3', '2,2,2,2,2', '2,2,2,2', '1,2,2,2,2', '2,2,2', '2,2'];
/** 3x3 conv layers per block: VGG16's 2, 2, 3, 3, 3 (13 in all for five blocks). */
export const VGG_BLOCK_CONVS: readonly number[] = [2, 2, 3, 3, 3];
export const DECONV_KERNEL = 3;

export interface DeconvnetConfig extends BaseModelConfig {
  task: ModelTask;
  /** Square input side; must be divisible by the product of the poolings. */
  inputSize: number;
  /** Pooling factor per block, e.g. '1,2,2,2,3'. */
  poolings: string;
  decoder: DeconvDecoder;
  /** How the 'upsample' decoder enlarges (seed 002: nearest, Keras' UpSampling2D). */
  upsampling: UpsampleMode;
  baseFilters: number;
  maxFilters: number;
  dropout: number;
  init: ConvInitOption;
  activation: ActivationOption;
  inChannels: number;
  /** Initial output bias and batch-norm offsets. Absent: 0 (every DeconvNet before the option). */
  biasInit?: number;
}

export const DECONVNET_DEFAULTS: DeconvnetConfig = {
  task: 'multiclass-edge',
  inputSize: 120,
  poolings: '1,2,2,2,3',
  decoder: 'upsample',
  upsampling: 'nearest',
  baseFilters: 8,
  maxFilters: 64,
  dropout: 0.5,
  init: 'he',
  activation: 'relu',
  inChannels: 3,
  inputMode: 'fit',
};

export const DECONVNET_OPTIONS: readonly FamilyOptionInfo[] = [
  // The train form offers sizes the default poolings (product 24) divide, 120 among them.
  ...inputOptions(DECONVNET_DEFAULTS as { task: ModelTask; inputSize: number; inputMode: 'fit' }).map((o) => (o.key === 'inputSize' ? { ...o, suggestions: [48, 72, 96, 120, 144, 192, 240] } : o)),
  { key: 'poolings', flag: 'poolings', label: 'Poolings', help: 'pooling factor per VGG block (blocks of 2, 2, 3, 3, 3 conv layers; 1 = no pooling); their product must divide the input size', type: 'choice', choices: [...POOLING_CHOICES], default: DECONVNET_DEFAULTS.poolings },
  { key: 'decoder', flag: 'decoder', label: 'Decoder', help: 'upsample (up-sampling + conv, seed 002) | unpool (max-unpooling by the encoder switches + transposed conv, seed 003)', type: 'choice', choices: [...DECONV_DECODERS], default: DECONVNET_DEFAULTS.decoder },
  { key: 'upsampling', flag: 'upsampling', label: 'Up-sampling', help: 'nearest | bilinear: how the upsample decoder enlarges', type: 'choice', choices: [...UPSAMPLE_MODES], default: DECONVNET_DEFAULTS.upsampling },
  { key: 'baseFilters', flag: 'base-filters', label: 'Base filters', help: 'filters of the first block, doubled per block up to --max-filters', type: 'int', min: 1, max: 512, step: 4, default: DECONVNET_DEFAULTS.baseFilters },
  { key: 'maxFilters', flag: 'max-filters', label: 'Max filters', help: 'cap on the filters of a block', type: 'int', min: 1, max: 1024, step: 16, default: DECONVNET_DEFAULTS.maxFilters },
  { key: 'dropout', flag: 'dropout', label: 'Dropout', help: 'dropout before the output layer', type: 'float', min: 0, max: 0.95, step: 0.05, default: DECONVNET_DEFAULTS.dropout },
  ...convInitOptions(DECONVNET_DEFAULTS),
  biasInitOption(),
];

const INTERNAL_KEYS = ['inChannels'] as const;

/** The pooling factors of a config. */
export function poolingFactors(c: Pick<DeconvnetConfig, 'poolings'>): number[] {
  return c.poolings.split(',').map(Number);
}

export function deconvSizeMultiple(c: Pick<DeconvnetConfig, 'poolings'>): number {
  return poolingFactors(c).reduce((a, b) => a * b, 1);
}

/** Filters per block. */
export function deconvWidths(c: Pick<DeconvnetConfig, 'poolings' | 'baseFilters' | 'maxFilters'>): number[] {
  return doublingWidths(poolingFactors(c).length, c.baseFilters, c.maxFilters);
}

export function resolveDeconvnetConfig(raw: Record<string, unknown> = {}, purpose: 'new' | 'stored' = 'stored'): DeconvnetConfig {
  const given = checkOptions('deconvnet', DECONVNET_OPTIONS, raw, INTERNAL_KEYS);
  const { inputMode, ...structural } = DECONVNET_DEFAULTS;
  const c = { ...structural, ...(purpose === 'new' ? { inputMode } : {}), ...given } as DeconvnetConfig;
  const fail = (msg: string): never => {
    throw new FamilyConfigError(`deconvnet: ${msg}. deconvnet options: ${optionList(DECONVNET_OPTIONS)}`);
  };
  if (!TASKS.includes(c.task)) fail(`unknown task ${String(c.task)}`);
  if (!(Number.isInteger(c.inChannels) && c.inChannels >= 1 && c.inChannels <= 16)) fail(`inChannels must be an integer in [1, 16], got ${String(c.inChannels)}`);
  if (!CONV_INITS.includes(c.init) || !ACTIVATIONS.includes(c.activation) || !DECONV_DECODERS.includes(c.decoder) || !UPSAMPLE_MODES.includes(c.upsampling)) fail('bad init, activation, decoder or up-sampling');
  if (!POOLING_CHOICES.includes(c.poolings)) fail(`poolings '${String(c.poolings)}' is not one of ${POOLING_CHOICES.join(' | ')}`);
  if (c.maxFilters < c.baseFilters) fail(`--max-filters ${c.maxFilters} is below --base-filters ${c.baseFilters}`);
  const m = deconvSizeMultiple(c);
  if (c.inputSize % m !== 0) {
    const fits = POOLING_CHOICES.filter((p) => c.inputSize % deconvSizeMultiple({ poolings: p }) === 0);
    fail(
      `input size ${c.inputSize} must be divisible by the product of the poolings ${c.poolings} = ${m}; e.g. --size ${Math.max(m, Math.round(c.inputSize / m) * m)}` +
        (fits.length ? ` or --poolings ${fits.join(' | ')}` : ''),
    );
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) fail(`dropout must be in [0, 1), got ${String(c.dropout)}`);
  return {
    task: c.task,
    inputSize: c.inputSize,
    poolings: c.poolings,
    decoder: c.decoder,
    upsampling: c.upsampling,
    baseFilters: c.baseFilters,
    maxFilters: c.maxFilters,
    dropout: c.dropout,
    init: c.init,
    activation: c.activation,
    inChannels: c.inChannels,
    ...(c.biasInit !== undefined ? { biasInit: c.biasInit } : {}),
    ...(c.inputMode !== undefined ? { inputMode: c.inputMode } : {}),
    ...(c.cellDiameter !== undefined ? { cellDiameter: c.cellDiameter } : {}),
    ...(c.stainNorm !== undefined ? { stainNorm: c.stainNorm } : {}),
  };
}

/**
 * The conv layers as [cin, cout] pairs: encoder blocks in order, then the decoder blocks
 * deepest first, each mirrored (its last layer narrows to the block above's width).
 */
export function deconvLayers(c: DeconvnetConfig): { encoder: [number, number][][]; decoder: [number, number][][] } {
  const w = deconvWidths(c);
  const encoder: [number, number][][] = [];
  let cin = c.inChannels;
  w.forEach((width, b) => {
    const block: [number, number][] = [];
    for (let i = 0; i < VGG_BLOCK_CONVS[b]; i++) {
      block.push([cin, width]);
      cin = width;
    }
    encoder.push(block);
  });
  const decoder: [number, number][][] = [];
  for (let b = w.length - 1; b >= 0; b--) {
    const n = VGG_BLOCK_CONVS[b];
    const out = w[Math.max(b - 1, 0)];
    decoder.push(Array.from({ length: n }, (_, i) => [w[b], i === n - 1 ? out : w[b]] as [number, number]));
  }
  return { encoder, decoder };
}

/** Trainable scalars of ./network/deconvnet.ts (a transposed conv has as many as a conv). */
export function deconvnetParamCount(c: DeconvnetConfig): number {
  const { encoder, decoder } = deconvLayers(c);
  const convs = [...encoder, ...decoder].flat().reduce((s, [cin, cout]) => s + convBnParamCount(DECONV_KERNEL, cin, cout), 0);
  return convs + headParamCount(deconvWidths(c)[0], c.task);
}
