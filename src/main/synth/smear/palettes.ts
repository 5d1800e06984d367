import type { Rng } from '../random';

export type Palette = 'yellow' | 'purple';
export const PALETTES: readonly Palette[] = ['yellow', 'purple'];
export type Rgb = [number, number, number];

/**
 * Stain colours (0-255) and geometry relative to the image side. `yellow` is tuned to
 * wbc-dataset1 (tune/colour-stats.ts prints the comparison); `purple` imitates
 * CellaVision's purple-on-pink look at 10.2 px/um, where a WBC is about 12-15 um.
 */
export interface PaletteSpec {
  background: [Rgb, Rgb]; // range a per-image cast is drawn from
  rbc: Rgb;
  rbcRing: Rgb;
  cytoplasm: Rgb[]; // per WBC type
  nucleus: Rgb;
  platelet: Rgb;
  wbcRadius: number; // fraction of the shorter side
  rbcRadius: number;
  rbcCount: number; // per (128 px)^2
  rbcOpacity: [number, number];
}

export const PALETTE_SPECS: Record<Palette, PaletteSpec> = {
  yellow: {
    background: [[255, 254, 140], [254, 248, 236]],
    rbc: [247, 222, 178],
    rbcRing: [226, 176, 150],
    cytoplasm: [[198, 140, 132], [186, 132, 140], [204, 150, 112], [170, 118, 132]],
    nucleus: [112, 36, 100],
    platelet: [150, 80, 130],
    wbcRadius: 0.29,
    rbcRadius: 0.19,
    rbcCount: 7,
    rbcOpacity: [0.25, 0.45],
  },
  purple: {
    background: [[236, 228, 232], [246, 236, 226]],
    rbc: [226, 168, 172],
    rbcRing: [206, 140, 150],
    cytoplasm: [[206, 186, 222], [196, 176, 214], [224, 184, 170], [186, 170, 210]],
    nucleus: [86, 42, 128],
    platelet: [130, 80, 160],
    wbcRadius: 0.135,
    rbcRadius: 0.08,
    rbcCount: 20,
    rbcOpacity: [0.55, 0.85],
  },
};

export function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

export function jitter(c: Rgb, rng: Rng, amount: number): Rgb {
  const l = rng.normal(0, amount);
  return [c[0] + l + rng.normal(0, amount / 2), c[1] + l + rng.normal(0, amount / 2), c[2] + l + rng.normal(0, amount / 2)];
}
