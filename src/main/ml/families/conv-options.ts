// Options the SegNet and DeconvNet families share (seeds.md B and C): weight initialisation
// and the activation after batch norm. TensorFlow-free (main-side safe).
import type { FamilyOptionInfo } from '../../../shared/ml';

export type ConvInitOption = 'he' | 'xavier' | 'normal';
export type ActivationOption = 'relu' | 'leaky';
export const CONV_INITS: readonly ConvInitOption[] = ['he', 'xavier', 'normal'];
export const ACTIVATIONS: readonly ActivationOption[] = ['relu', 'leaky'];

export function convInitOptions(defaults: { init: ConvInitOption; activation: ActivationOption }): FamilyOptionInfo[] {
  return [
    { key: 'init', flag: 'init', label: 'Initialisation', help: 'convolution weights: he (He-normal) | xavier (Glorot-uniform, the seeds) | normal (N(0, 0.1))', type: 'choice', choices: [...CONV_INITS], default: defaults.init },
    { key: 'activation', flag: 'activation', label: 'Activation', help: 'after batch norm in the ReLU layers: relu | leaky (leaky ReLU, alpha 0.2)', type: 'choice', choices: [...ACTIVATIONS], default: defaults.activation },
  ];
}

/** Filters per level: base * 2^i, capped at max. */
export function doublingWidths(levels: number, base: number, max: number): number[] {
  return Array.from({ length: levels }, (_, i) => Math.min(base * 2 ** i, max));
}
