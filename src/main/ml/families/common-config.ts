// What every image family's config shares with the data pipeline and the predictor: the
// task (output classes), the input side, the channels, and the input settings stored with a
// model. TensorFlow-free: the main side, the ONNX exporter and the worker all read it.
import type { ModelTask } from '../../../shared/domain';
import type { FamilyOptionInfo } from '../../../shared/ml';

export type InputMode = 'squash' | 'fit';
export type StainNorm = 'none' | 'od-scale';
export const INPUT_MODES: readonly InputMode[] = ['squash', 'fit'];
export const STAIN_NORMS: readonly StainNorm[] = ['none', 'od-scale'];
export const DEFAULT_CELL_DIAMETER = 0.6;
export const TASKS: readonly ModelTask[] = ['binary', 'multiclass', 'multiclass-edge'];

/** The fields of a family config that the data pipeline, the predictor and the exporters read. */
export interface BaseModelConfig {
  task: ModelTask;
  /** Square input side in pixels used in training. */
  inputSize: number;
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
   * the target of the optional scale normalisation at inference. Absent: 0.6.
   */
  cellDiameter?: number;
  /** Colour normalisation applied to every input before the network (training and inference). Absent: 'none'. */
  stainNorm?: StainNorm;
}

/** The input settings of a config, with the defaults of models stored before they existed. */
export function inputSettings(c: Pick<BaseModelConfig, 'inputMode' | 'cellDiameter' | 'stainNorm'>): { inputMode: InputMode; cellDiameter: number; stainNorm: StainNorm } {
  return { inputMode: c.inputMode ?? 'squash', cellDiameter: c.cellDiameter ?? DEFAULT_CELL_DIAMETER, stainNorm: c.stainNorm ?? 'none' };
}

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

/** A config that cannot build; the message names the family's valid options. */
export class FamilyConfigError extends Error {}

/** The options every image family takes, in the order the CLI and the train form show them. */
export function inputOptions(defaults: { task: ModelTask; inputSize: number; inputMode: InputMode }, tasks: readonly ModelTask[] = TASKS): FamilyOptionInfo[] {
  return [
    { key: 'task', flag: 'task', label: 'Task', help: 'binary (cell) | multiclass (cytoplasm, nucleus) | multiclass-edge (plus a 1-px edge class that keeps touching cells apart)', type: 'choice', choices: [...tasks], default: defaults.task },
    { key: 'inputSize', flag: 'size', label: 'Input size', help: 'input side in pixels', type: 'int', min: 8, max: 4096, default: defaults.inputSize, suggestions: [64, 96, 128, 160, 192, 256] },
    { key: 'inputMode', flag: 'input-mode', label: 'Input mode', help: 'fit (keep the aspect ratio, pad) | squash (resize to a square, as models before 0.2)', type: 'choice', choices: [...INPUT_MODES], default: defaults.inputMode },
    { key: 'cellDiameter', flag: 'cell-diameter', label: 'Cell diameter', help: 'typical cell diameter in the training images as a fraction of the input side (scale normalisation target; unset: 0.6)', type: 'float', min: 0.03, max: 2, step: 0.05, default: null },
    { key: 'stainNorm', flag: 'stain-norm', label: 'Stain normalisation', help: 'none | od-scale: colour normalisation stored with the model', type: 'choice', choices: [...STAIN_NORMS], default: null },
  ];
}

/**
 * Checks `raw` against the described options: unknown keys and values of the wrong type or
 * out of range are refused with the option's flag and the family's options in the message.
 * Returns the values given (numbers and strings), nothing filled in.
 */
export function checkOptions(family: string, options: readonly FamilyOptionInfo[], raw: Record<string, unknown>, extraKeys: readonly string[] = []): Record<string, number | string> {
  const byKey = new Map(options.map((o) => [o.key, o]));
  const out: Record<string, number | string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const o = byKey.get(key);
    if (!o) {
      if (extraKeys.includes(key)) {
        out[key] = value as number | string;
        continue;
      }
      throw new FamilyConfigError(`the ${family} family has no option '${key}'; its options: ${optionList(options)}`);
    }
    out[key] = checkValue(family, o, value, options);
  }
  return out;
}

function checkValue(family: string, o: FamilyOptionInfo, value: unknown, options: readonly FamilyOptionInfo[]): number | string {
  const where = `${family} option ${o.key} (--${o.flag})`;
  if (o.type === 'choice') {
    if (typeof value !== 'string' || !o.choices?.includes(value)) throw new FamilyConfigError(`${where} must be one of ${o.choices?.join(', ')}, got ${String(value)}; ${family} options: ${optionList(options)}`);
    return value;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || (o.type === 'int' && !Number.isInteger(value))) {
    throw new FamilyConfigError(`${where} must be ${o.type === 'int' ? 'an integer' : 'a number'}, got ${String(value)}`);
  }
  if ((o.min !== undefined && value < o.min) || (o.max !== undefined && value > o.max)) {
    throw new FamilyConfigError(`${where} must be in [${o.min ?? '-inf'}, ${o.max ?? 'inf'}], got ${value}`);
  }
  return value;
}

/** `--task binary|multiclass|multiclass-edge, --size 8..4096, ...` for messages. */
export function optionList(options: readonly FamilyOptionInfo[]): string {
  return options
    .map((o) => `--${o.flag} ${o.type === 'choice' ? o.choices?.join('|') : `${o.min ?? ''}..${o.max ?? ''}`}`)
    .join(', ');
}
