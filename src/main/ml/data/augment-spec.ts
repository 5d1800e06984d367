// The text form of an augmentation (`hemaseg train --augment ...`, the default-model
// script): comma-separated switches and values, presets first, later keys override.
//   none | default | scale | colour | robust,
//   flips, rot90, shift=F, zoom=F, shear=RAD, scale=LO-HI, pad=reflect|background,
//   stain=F, hue=TURNS, saturation=F, brightness=F, contrast=F, gamma=F, wb=F, blur=SIGMA, noise=F
import type { Augmentation } from '../../../shared/ml';
import { checkAugmentation } from './augment';

export const GEOMETRY_DEFAULT: Augmentation = { flips: true, rotate90: true, shift: 0.05, zoom: 0.05, shear: 0 };

/** Scale augmentation: cells from about 0.45x to 1.4x their size in a wbc-dataset1 crop. */
export const SCALE_PRESET: Partial<Augmentation> = { scaleRange: [0.45, 1.4], scalePad: 'reflect' };

/** Stain and colour augmentation, strong enough to cover a yellow and a purple palette. */
export const COLOUR_PRESET: Partial<Augmentation> = {
  stain: 0.25, hue: 0.05, saturation: 0.3, brightness: 0.08, contrast: 0.2, gamma: 0.25, whiteBalance: 0.08, blur: 1.2, noise: 0.03,
};

export const ROBUST_AUGMENTATION: Augmentation = { ...GEOMETRY_DEFAULT, ...SCALE_PRESET, ...COLOUR_PRESET };

const NUMERIC: Record<string, keyof Augmentation> = {
  shift: 'shift', zoom: 'zoom', shear: 'shear', stain: 'stain', hue: 'hue', saturation: 'saturation', brightness: 'brightness',
  contrast: 'contrast', gamma: 'gamma', wb: 'whiteBalance', 'white-balance': 'whiteBalance', blur: 'blur', noise: 'noise',
};

export function parseAugmentationSpec(value: string): Augmentation {
  let a: Augmentation = { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 };
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [key, raw] = part.split('=');
    if (key === 'none') a = { flips: false, rotate90: false, shift: 0, zoom: 0, shear: 0 };
    else if (key === 'default') a = { ...a, ...GEOMETRY_DEFAULT };
    else if (key === 'scale' && raw === undefined) a = { ...a, ...SCALE_PRESET };
    else if (key === 'colour' || key === 'color') a = { ...a, ...COLOUR_PRESET };
    else if (key === 'robust') a = { ...a, ...ROBUST_AUGMENTATION };
    else if (key === 'flips') a.flips = true;
    else if (key === 'rot90' || key === 'rotate90') a.rotate90 = true;
    else if (key === 'pad') {
      if (raw !== 'reflect' && raw !== 'background') throw new Error(`'${part}': pad is reflect or background`);
      a.scalePad = raw;
    } else if (key === 'scale') {
      const m = /^([\d.]+)-([\d.]+)$/.exec(raw);
      if (!m) throw new Error(`'${part}': scale needs a range such as scale=0.45-1.4`);
      a.scaleRange = [Number(m[1]), Number(m[2])];
    } else if (NUMERIC[key]) {
      // shift/zoom/shear alone mean 0.1, as they always did.
      const num = raw === undefined ? (['shift', 'zoom', 'shear'].includes(key) ? 0.1 : NaN) : Number(raw);
      if (!Number.isFinite(num)) throw new Error(`'${part}' needs a number (${key}=F)`);
      if (['shift', 'zoom', 'shear'].includes(key) && !(num >= 0 && num <= 1)) throw new Error(`'${part}' needs a number from 0 to 1`);
      (a as unknown as Record<string, number>)[NUMERIC[key]] = num;
    } else {
      throw new Error(`unknown augmentation '${key}' (none, default, scale, colour, robust, flips, rot90, shift=F, zoom=F, shear=RAD, scale=LO-HI, pad=reflect|background, stain=F, hue=F, saturation=F, brightness=F, contrast=F, gamma=F, wb=F, blur=F, noise=F)`);
    }
  }
  checkAugmentation(a);
  return a;
}
