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
  return {
    task: c.task,
    inputSize: c.inputSize,
    depth: c.depth,
    baseFilters: c.baseFilters,
    dropout: c.dropout,
    inChannels: c.inChannels,
  };
}

/** Filters per level, top to bottom: base * 2^i for i = 0..depth. */
export function levelWidths(config: UnetConfig): number[] {
  return Array.from({ length: config.depth + 1 }, (_, i) => config.baseFilters * 2 ** i);
}
