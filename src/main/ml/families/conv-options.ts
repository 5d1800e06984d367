// Options the image families share (seeds.md B, C and D): weight and bias initialisation
// and the activation after batch norm. TensorFlow-free (main-side safe).
import type { FamilyOptionInfo } from '../../../shared/ml';

export type ConvInitOption = 'he' | 'xavier' | 'normal';
export type ActivationOption = 'relu' | 'leaky';
export const CONV_INITS: readonly ConvInitOption[] = ['he', 'xavier', 'normal'];
export const ACTIVATIONS: readonly ActivationOption[] = ['relu', 'leaky'];

/** The kernel initialisation option (one description for every family, so `--init` reads the same everywhere). */
export function kernelInitOption(defaultInit: ConvInitOption): FamilyOptionInfo {
  return { key: 'init', flag: 'init', label: 'Initialisation', help: 'convolution weights: he (He-normal) | xavier (Xavier/Glorot-uniform, seed 002) | normal (N(0, 0.1), seed 000); the output layer stays Glorot-uniform', type: 'choice', choices: [...CONV_INITS], default: defaultInit };
}

/** Bias initialisation when a config has none (every model before the option existed). */
export const DEFAULT_BIAS_INIT = 0;

/**
 * The bias initialisation option: the value of the output layer's bias and of the batch-norm
 * offsets (beta), which are the convolutions' biases here (a convolution before batch norm
 * carries none). Seed 000 starts its biases at 0.1.
 */
export function biasInitOption(): FamilyOptionInfo {
  return { key: 'biasInit', flag: 'bias-init', label: 'Bias init', help: 'initial biases: the output bias and the batch-norm offsets (0, or 0.1 as seed 000)', type: 'float', min: -1, max: 1, step: 0.05, default: DEFAULT_BIAS_INIT };
}

export function convInitOptions(defaults: { init: ConvInitOption; activation: ActivationOption }): FamilyOptionInfo[] {
  return [
    kernelInitOption(defaults.init),
    { key: 'activation', flag: 'activation', label: 'Activation', help: 'after batch norm in the ReLU layers: relu | leaky (leaky ReLU, alpha 0.2)', type: 'choice', choices: [...ACTIVATIONS], default: defaults.activation },
  ];
}

/** Filters per level: base * 2^i, capped at max. */
export function doublingWidths(levels: number, base: number, max: number): number[] {
  return Array.from({ length: levels }, (_, i) => Math.min(base * 2 ** i, max));
}
