// The LSTM-CNN configuration (the flowing-red-cell film report): one config type for the
// ten networks of the time-lapse comparison, the five LSTM-CNN architectures and their structurally similar
// per-frame CNNs. The layer list below is the single source of both the parameter count
// (main side, no TensorFlow) and the variables the network builds (./network), so the
// count `hemaseg families` prints is the count of the weights actually trained.
// How the layer list reproduces the report's parameter counts exactly: ./README.md.
import type { ModelTask } from '../../../../shared/domain';
import type { FamilyOptionInfo } from '../../../../shared/ml';
import { checkOptions, FamilyConfigError, inputOptions, optionList, type BaseModelConfig } from '../common-config';

/** 'lstm': the LSTM-CNN cell; 'none': the similar CNN h = sigmoid(W_d*(W_e*x)), frame by frame. */
export type Recurrence = 'lstm' | 'none';
/** The report's five architectures: the encoder (-P pooling, -T strided) and the decoder (EnDe: De, else Slim). */
export type LstmCnnArch = 'ende-p' | 'en-p' | 'ende-t' | 'slim-t' | 'en-t';
export const RECURRENCES: readonly Recurrence[] = ['lstm', 'none'];
export const ARCHS: readonly LstmCnnArch[] = ['ende-p', 'en-p', 'ende-t', 'slim-t', 'en-t'];
/** Filters of every convolution and channels of the cell state. */
export const WIDTH = 32;
/** Sub-sampling rate of every encoder: the cell state is H/4 x W/4 x 32. */
export const SUBSAMPLING = 4;

/** The report's learning rates (LSTM-CNN / CNN), by architecture. */
export const REPORT_LEARNING_RATES: Record<LstmCnnArch, Record<Recurrence, number>> = {
  'ende-p': { lstm: 0.01, none: 0.01 },
  'en-p': { lstm: 0.01, none: 0.01 },
  'ende-t': { lstm: 0.01, none: 0.001 },
  'slim-t': { lstm: 0.005, none: 0.005 },
  'en-t': { lstm: 0.005, none: 0.001 },
};

export interface LstmCnnConfig extends BaseModelConfig {
  task: ModelTask;
  /** Square input side used in training (any multiple of 4 runs). */
  inputSize: number;
  inChannels: number;
  recurrence: Recurrence;
  arch: LstmCnnArch;
  /** Dilation of the gate convolutions (En-T-D1/D2/D3); 1 for the CNNs. */
  dilation: number;
  /** Frames per training sample: the frame to segment and the ones before it. */
  clipFrames: number;
}

/** A new model: the report's best network, LSTM-CNN-En-T-D2, on 128 x 128 grey frames. */
export const LSTM_CNN_DEFAULTS: LstmCnnConfig = {
  task: 'binary',
  inputSize: 128,
  inChannels: 1,
  recurrence: 'lstm',
  arch: 'en-t',
  dilation: 2,
  clipFrames: 5,
  inputMode: 'squash',
};

export const LSTM_CNN_OPTIONS: readonly FamilyOptionInfo[] = [
  ...inputOptions({ task: 'binary', inputSize: 128, inputMode: 'squash' }, ['binary']),
  { key: 'recurrence', flag: 'recurrence', label: 'Recurrence', help: 'lstm (the LSTM-CNN cell, state carried over frames) | none (the similar per-frame CNN)', type: 'choice', choices: [...RECURRENCES], default: LSTM_CNN_DEFAULTS.recurrence },
  { key: 'arch', flag: 'arch', label: 'Architecture', help: 'encoder and decoder: ende-p | en-p (pooling encoder) | ende-t | en-t (strided encoder) | slim-t (one 4x4 stride-4 conv); EnDe: conv decoder, else one 4x4 stride-4 transpose conv', type: 'choice', choices: [...ARCHS], default: LSTM_CNN_DEFAULTS.arch },
  { key: 'dilation', flag: 'dilation', label: 'Gate dilation', help: 'dilation of the gate convolutions (LSTM only; the report: En-T-D1/D2/D3)', type: 'int', min: 1, max: 3, default: LSTM_CNN_DEFAULTS.dilation },
  { key: 'clipFrames', flag: 'clip-frames', label: 'Frames per sample', help: 'frames per training sample (the frame to segment and those before it); the report: 5', type: 'int', min: 1, max: 32, default: LSTM_CNN_DEFAULTS.clipFrames },
];

const INTERNAL_KEYS = ['inChannels'] as const;

export function resolveLstmCnnConfig(raw: Record<string, unknown> = {}, purpose: 'new' | 'stored' = 'stored'): LstmCnnConfig {
  const given = checkOptions('lstm-cnn', LSTM_CNN_OPTIONS, raw, INTERNAL_KEYS);
  const { inputMode, ...structural } = LSTM_CNN_DEFAULTS;
  const c = { ...structural, ...(purpose === 'new' ? { inputMode } : {}), ...given } as LstmCnnConfig;
  if (c.task !== 'binary') throw new FamilyConfigError(`lstm-cnn: only the binary task (cell / background) exists, got ${String(c.task)}`);
  if (!(Number.isInteger(c.inChannels) && c.inChannels >= 1 && c.inChannels <= 4)) throw new FamilyConfigError(`lstm-cnn: inChannels must be an integer in [1, 4], got ${String(c.inChannels)}`);
  if (c.inputSize % SUBSAMPLING !== 0) {
    throw new FamilyConfigError(`lstm-cnn: input size ${c.inputSize} must be a multiple of ${SUBSAMPLING} (the encoders sub-sample by 4); e.g. --size ${Math.max(SUBSAMPLING, Math.round(c.inputSize / SUBSAMPLING) * SUBSAMPLING)}. lstm-cnn options: ${optionList(LSTM_CNN_OPTIONS)}`);
  }
  if (c.recurrence === 'none' && c.dilation !== 1 && given.dilation !== undefined) throw new FamilyConfigError('lstm-cnn: --dilation applies to the LSTM gate convolutions; the CNNs (--recurrence none) have none');
  return {
    task: c.task,
    inputSize: c.inputSize,
    inChannels: c.inChannels,
    recurrence: c.recurrence,
    arch: c.arch,
    dilation: c.recurrence === 'none' ? 1 : c.dilation,
    clipFrames: c.clipFrames,
    ...(c.inputMode !== undefined ? { inputMode: c.inputMode } : {}),
    ...(c.cellDiameter !== undefined ? { cellDiameter: c.cellDiameter } : {}),
    ...(c.stainNorm !== undefined ? { stainNorm: c.stainNorm } : {}),
  };
}

// ---- the layer list ----------------------------------------------------------------------

/**
 * One learned layer. conv: kernel [kh, kw, cin, cout]; tconv (transpose conv): kernel
 * [kh, kw, cout, cin] as TensorFlow.js stores it; depthwise: kernel [kh, kw, c, 1]. Every
 * layer has a bias [cout] except where `bias` is false.
 */
export interface LayerSpec {
  name: string;
  op: 'conv' | 'tconv' | 'depthwise';
  kernel: [number, number, number, number];
  stride: number;
  dilation: number;
  bias: boolean;
  /** ReLU after (encoders and the inner decoder layers); gates and outputs apply their own. */
  relu: boolean;
  /** 2x2 max-pooling after (En-P). */
  poolAfter: boolean;
}

const conv = (name: string, k: number, cin: number, cout: number, stride: number, extra: Partial<LayerSpec> = {}): LayerSpec => ({
  name, op: 'conv', kernel: [k, k, cin, cout], stride, dilation: 1, bias: true, relu: true, poolAfter: false, ...extra,
});
const tconv = (name: string, k: number, cin: number, cout: number, stride: number, relu: boolean): LayerSpec => ({
  name, op: 'tconv', kernel: [k, k, cout, cin], stride, dilation: 1, bias: true, relu, poolAfter: false,
});

/** An encoder (sub-sampling 4, 32 filters, ReLU) of `arch` reading `cin` channels. */
export function encoderLayers(prefix: string, arch: LstmCnnArch, cin: number): LayerSpec[] {
  if (arch === 'slim-t') return [conv(`${prefix}/conv0`, 4, cin, WIDTH, 4)];
  if (arch === 'en-t' || arch === 'ende-t') {
    // Four 2x2 convolutions, two of them with stride 2 (rate 4).
    return [conv(`${prefix}/conv0`, 2, cin, WIDTH, 2), conv(`${prefix}/conv1`, 2, WIDTH, WIDTH, 1), conv(`${prefix}/conv2`, 2, WIDTH, WIDTH, 2), conv(`${prefix}/conv3`, 2, WIDTH, WIDTH, 1)];
  }
  // En-P: conv, pool, conv, pool.
  return [conv(`${prefix}/conv0`, 2, cin, WIDTH, 1, { poolAfter: true }), conv(`${prefix}/conv1`, 2, WIDTH, WIDTH, 1, { poolAfter: true })];
}

/** The decoder back to one full-resolution channel (its logit; sigmoid outside). */
export function decoderLayers(arch: LstmCnnArch): LayerSpec[] {
  if (arch === 'ende-p' || arch === 'ende-t') {
    // De: conv, transpose conv, conv, transpose conv; kernel 2, transpose stride 2.
    return [conv('dec/conv0', 2, WIDTH, WIDTH, 1), tconv('dec/tconv1', 2, WIDTH, WIDTH, 2, true), conv('dec/conv2', 2, WIDTH, WIDTH, 1), tconv('dec/tconv3', 2, WIDTH, 1, 2, false)];
  }
  // Slim: one transpose conv, kernel 4 stride 4, 1 filter.
  return [tconv('dec/tconv0', 4, WIDTH, 1, 4, false)];
}

/** Whether the gate head is the strided family's (full convolutions) or the pooling family's (depthwise). */
export function strided(arch: LstmCnnArch): boolean {
  return arch === 'slim-t' || arch === 'en-t' || arch === 'ende-t';
}

/**
 * The gates on the encoded frame Wx and the encoded previous output Uh (both H/4 x W/4 x 32).
 *   -T: f, i, o = sigmoid(4x4 conv, dilation d, over [Wx, Uh]);  c~ = sigmoid(1x1 conv of Wx + Uh)
 *   -P: f, i, o = sigmoid(3x3 depthwise conv, dilation d, of Wx + Uh);  c~ = sigmoid(Wx + Uh)
 */
export function gateLayers(arch: LstmCnnArch, dilation: number): LayerSpec[] {
  const g = (name: string, spec: Omit<LayerSpec, 'name' | 'stride' | 'relu' | 'poolAfter' | 'bias'>): LayerSpec => ({ name, stride: 1, relu: false, poolAfter: false, bias: true, ...spec });
  if (strided(arch)) {
    return [
      ...(['f', 'i', 'o'] as const).map((x) => g(`gate/${x}`, { op: 'conv', kernel: [4, 4, 2 * WIDTH, WIDTH], dilation })),
      g('gate/c', { op: 'conv', kernel: [1, 1, WIDTH, WIDTH], dilation: 1 }),
    ];
  }
  return (['f', 'i', 'o'] as const).map((x) => g(`gate/${x}`, { op: 'depthwise', kernel: [3, 3, WIDTH, 1], dilation }));
}

/** Every learned layer of the network, in creation order. */
export function lstmCnnLayers(c: Pick<LstmCnnConfig, 'recurrence' | 'arch' | 'dilation' | 'inChannels'>): LayerSpec[] {
  if (c.recurrence === 'none') return [...encoderLayers('enc', c.arch, c.inChannels), ...decoderLayers(c.arch)];
  // U reads the previous output: one channel of probabilities.
  return [...encoderLayers('encW', c.arch, c.inChannels), ...encoderLayers('encU', c.arch, 1), ...gateLayers(c.arch, c.dilation), ...decoderLayers(c.arch)];
}

/** Output channels of a layer (the bias length). */
export function layerOutChannels(l: LayerSpec): number {
  if (l.op === 'tconv') return l.kernel[2];
  if (l.op === 'depthwise') return l.kernel[2] * l.kernel[3];
  return l.kernel[3];
}

export function lstmCnnParamCount(c: LstmCnnConfig): number {
  return lstmCnnLayers(c).reduce((n, l) => n + l.kernel.reduce((a, b) => a * b, 1) + (l.bias ? layerOutChannels(l) : 0), 0);
}
