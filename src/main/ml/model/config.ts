// The U-Net configuration is data: it is stored with every model version (model.json) so any
// version can be rebuilt exactly. Validation lives here so a bad file fails loudly at load.
import type { ModelTask } from '../../../shared/domain';

export interface UnetConfig {
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
  /**
   * How an image reaches the network (../inference/input-geometry.ts): 'squash' resizes
   * it to inputSize x inputSize whatever its aspect ratio (every model before this field
   * existed, hence the default when absent); 'fit' scales its longer side to inputSize and
   * pads the shorter one, so cells keep their shape.
   */
  inputMode?: InputMode;
  /**
   * Typical white-cell diameter the network saw in training, as a fraction of inputSize:
   * the target of the optional scale normalisation at inference. Absent: 0.6 (a
   * wbc-dataset1 cell in its 120 px crop: median 0.63).
   */
  cellDiameter?: number;
  /** Colour normalisation applied to every input before the network (training and inference). Absent: 'none'. */
  stainNorm?: StainNorm;
}

export type InputMode = 'squash' | 'fit';
export type StainNorm = 'none' | 'od-scale';
export const INPUT_MODES: readonly InputMode[] = ['squash', 'fit'];
export const STAIN_NORMS: readonly StainNorm[] = ['none', 'od-scale'];
export const DEFAULT_CELL_DIAMETER = 0.6;

/** The input settings of a config, with the defaults of models stored before they existed. */
export function inputSettings(c: Pick<UnetConfig, 'inputMode' | 'cellDiameter' | 'stainNorm'>): { inputMode: InputMode; cellDiameter: number; stainNorm: StainNorm } {
  return { inputMode: c.inputMode ?? 'squash', cellDiameter: c.cellDiameter ?? DEFAULT_CELL_DIAMETER, stainNorm: c.stainNorm ?? 'none' };
}

export const DEFAULT_UNET_CONFIG: UnetConfig = {
  task: 'multiclass',
  inputSize: 128,
  depth: 3,
  baseFilters: 16,
  dropout: 0.5,
  inChannels: 3,
};

/** Output channels: 1 sigmoid logit (binary) or softmax logits over 3 / 4 classes. */
export function outputChannels(task: ModelTask): number {
  switch (task) {
    case 'binary':
      return 1;
    case 'multiclass':
      return 3;
    case 'multiclass-edge':
      return 4;
  }
}

/** Number of label values the task predicts (binary: background/cell). */
export function numClasses(task: ModelTask): number {
  return task === 'binary' ? 2 : outputChannels(task);
}

const TASKS: readonly ModelTask[] = ['binary', 'multiclass', 'multiclass-edge'];

function int(v: unknown, name: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new Error(`U-Net config: ${name} must be an integer in [${min}, ${max}], got ${String(v)}`);
  }
  return v;
}

/** Fills defaults and validates; throws with a clear message on bad values. */
export function resolveUnetConfig(partial: Partial<UnetConfig> = {}): UnetConfig {
  const c = { ...DEFAULT_UNET_CONFIG, ...partial };
  if (!TASKS.includes(c.task)) throw new Error(`U-Net config: unknown task ${String(c.task)}`);
  int(c.depth, 'depth', 1, 6);
  int(c.baseFilters, 'baseFilters', 1, 256);
  int(c.inChannels, 'inChannels', 1, 16);
  int(c.inputSize, 'inputSize', 2 ** c.depth, 4096);
  if (c.inputSize % 2 ** c.depth !== 0) {
    throw new Error(`U-Net config: inputSize ${c.inputSize} must be divisible by 2^depth = ${2 ** c.depth}`);
  }
  if (typeof c.dropout !== 'number' || !(c.dropout >= 0 && c.dropout < 1)) {
    throw new Error(`U-Net config: dropout must be in [0, 1), got ${String(c.dropout)}`);
  }
  if (c.inputMode !== undefined && !INPUT_MODES.includes(c.inputMode)) throw new Error(`U-Net config: inputMode must be ${INPUT_MODES.join(' or ')}, got ${String(c.inputMode)}`);
  if (c.stainNorm !== undefined && !STAIN_NORMS.includes(c.stainNorm)) throw new Error(`U-Net config: stainNorm must be ${STAIN_NORMS.join(' or ')}, got ${String(c.stainNorm)}`);
  if (c.cellDiameter !== undefined && !(typeof c.cellDiameter === 'number' && c.cellDiameter > 0.02 && c.cellDiameter <= 2)) {
    throw new Error(`U-Net config: cellDiameter must be a fraction of the input side in (0.02, 2], got ${String(c.cellDiameter)}`);
  }
  // Input settings are written only when set, so configs stored before they existed
  // round-trip unchanged.
  return {
    task: c.task,
    inputSize: c.inputSize,
    depth: c.depth,
    baseFilters: c.baseFilters,
    dropout: c.dropout,
    inChannels: c.inChannels,
    ...(c.inputMode !== undefined ? { inputMode: c.inputMode } : {}),
    ...(c.cellDiameter !== undefined ? { cellDiameter: c.cellDiameter } : {}),
    ...(c.stainNorm !== undefined ? { stainNorm: c.stainNorm } : {}),
  };
}

/** Filters per level, top to bottom: base * 2^i for i = 0..depth. */
export function levelWidths(config: UnetConfig): number[] {
  return Array.from({ length: config.depth + 1 }, (_, i) => config.baseFilters * 2 ** i);
}
