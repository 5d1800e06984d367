import { describe, expect, it } from 'vitest';
import { flowSplitOf, simulateFlow } from './simulate-flow';

describe('RBC flow film', () => {
  const film = simulateFlow({ seed: 11 });

  it('has 500 frames of 128x128 with a ground-truth film', () => {
    expect(film.frames).toHaveLength(500);
    expect(film.truth).toHaveLength(500);
    expect(film.frames[0].length).toBe(128 * 128);
    expect(film.truth.every((t) => t.some((v) => v === 1))).toBe(true);
  });

  it('drifts (-0.2, +0.5) px per frame with sd 1.2 per axis', () => {
    const n = film.steps.length / 2;
    let mx = 0, my = 0;
    for (let i = 0; i < n; i++) {
      mx += film.steps[2 * i];
      my += film.steps[2 * i + 1];
    }
    mx /= n;
    my /= n;
    let vx = 0, vy = 0;
    for (let i = 0; i < n; i++) {
      vx += (film.steps[2 * i] - mx) ** 2;
      vy += (film.steps[2 * i + 1] - my) ** 2;
    }
    expect(Math.abs(mx + 0.2)).toBeLessThan(0.05);
    expect(Math.abs(my - 0.5)).toBeLessThan(0.05);
    expect(Math.abs(Math.sqrt(vx / n) - 1.2)).toBeLessThan(0.1);
    expect(Math.abs(Math.sqrt(vy / n) - 1.2)).toBeLessThan(0.1);
  });

  it('keeps intensities in range: background 0.2-0.3, cells 0.3-0.4', () => {
    expect(film.backgroundLevel).toBeGreaterThanOrEqual(0.2);
    expect(film.backgroundLevel).toBeLessThanOrEqual(0.3);
    for (const l of film.cellLevels) {
      expect(l).toBeGreaterThanOrEqual(0.3);
      expect(l).toBeLessThanOrEqual(0.4);
    }
    // Away from impulses and cell borders, pixels sit near their level with the stated noise.
    let bg = 0, bgSq = 0, nb = 0;
    for (let f = 0; f < 500; f += 50) {
      const img = film.frames[f], gt = film.truth[f];
      for (let i = 129; i < img.length - 129; i++) {
        if (gt[i] || gt[i - 1] || gt[i + 1] || gt[i - 128] || gt[i + 128] || img[i] === 0 || img[i] === 1) continue;
        bg += img[i];
        bgSq += img[i] * img[i];
        nb++;
      }
    }
    const mean = bg / nb;
    expect(Math.abs(mean - film.backgroundLevel)).toBeLessThan(0.002);
    expect(Math.sqrt(bgSq / nb - mean * mean)).toBeLessThan(0.012);
  });

  it('puts salt and pepper on about 0.1% of pixels, in equal parts', () => {
    const salt = film.impulses.reduce((a, b) => a + b.salt, 0);
    const pepper = film.impulses.reduce((a, b) => a + b.pepper, 0);
    const frac = (salt + pepper) / (500 * 128 * 128);
    expect(frac).toBeGreaterThan(0.0009);
    expect(frac).toBeLessThan(0.0011);
    expect(Math.abs(salt - pepper) / (salt + pepper)).toBeLessThan(0.05);
  });

  it('keeps density stable (cells wrap around) and is deterministic', () => {
    const cover = film.truth.map((t) => t.reduce((a, v) => a + v, 0) / t.length);
    expect(Math.min(...cover)).toBeGreaterThan(Math.max(...cover) * 0.6);
    const again = simulateFlow({ seed: 11, frames: 3 });
    expect(Array.from(again.frames[2])).toEqual(Array.from(simulateFlow({ seed: 11, frames: 3 }).frames[2]));
  });

  it('splits frames as section D: train 0..390 step 10, val 400..490, test 5..495', () => {
    const split = Array.from({ length: 500 }, (_, f) => flowSplitOf(f));
    expect(split.filter((s) => s === 'train')).toHaveLength(40);
    expect(split.filter((s) => s === 'val')).toHaveLength(10);
    expect(split.filter((s) => s === 'test')).toHaveLength(50);
  });
});
