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

  it('steps (-0.2, -0.5) px per frame in image axes with sd 1.2 per axis', () => {
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
    expect(Math.abs(my + 0.5)).toBeLessThan(0.05);
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

  it('moves the rendered cells 0.5 px UP and 0.2 px left per frame on screen (the report\'s y axis points up)', () => {
    // One cell per film, tracked by its circular centroid (the frame is a torus) over 199 steps.
    const S = 64;
    const means: { dx: number; dy: number }[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const one = simulateFlow({ seed, cells: 1, size: S, frames: 200 });
      const centre = (t: Uint8Array): [number, number] => {
        let sx = 0, cx = 0, sy = 0, cy = 0;
        for (let i = 0; i < t.length; i++) {
          if (!t[i]) continue;
          const a = (2 * Math.PI * (i % S)) / S, b = (2 * Math.PI * Math.floor(i / S)) / S;
          sx += Math.sin(a); cx += Math.cos(a); sy += Math.sin(b); cy += Math.cos(b);
        }
        return [(Math.atan2(sx, cx) * S) / (2 * Math.PI), (Math.atan2(sy, cy) * S) / (2 * Math.PI)];
      };
      const wrap = (d: number): number => d - S * Math.round(d / S);
      let dx = 0, dy = 0;
      let prev = centre(one.truth[0]);
      for (let f = 1; f < one.truth.length; f++) {
        const c = centre(one.truth[f]);
        dx += wrap(c[0] - prev[0]);
        dy += wrap(c[1] - prev[1]);
        prev = c;
      }
      means.push({ dx: dx / (one.truth.length - 1), dy: dy / (one.truth.length - 1) });
    }
    const dx = means.reduce((a, m) => a + m.dx, 0) / means.length;
    const dy = means.reduce((a, m) => a + m.dy, 0) / means.length;
    // Standard error of the mean step: 1.2 / sqrt(6 x 199) = 0.035 px.
    expect(dy).toBeGreaterThan(-0.6);
    expect(dy).toBeLessThan(-0.4); // negative rows: up on screen
    expect(dx).toBeGreaterThan(-0.3);
    expect(dx).toBeLessThan(-0.1);
  });

  it('splits frames as section D: train 0..390 step 10, val 400..490, test 5..495, every other frame unused', () => {
    const split = Array.from({ length: 500 }, (_, f) => flowSplitOf(f));
    expect(split.flatMap((s, f) => (s === 'train' ? [f] : []))).toEqual(Array.from({ length: 40 }, (_, k) => k * 10));
    expect(split.flatMap((s, f) => (s === 'val' ? [f] : []))).toEqual(Array.from({ length: 10 }, (_, k) => 400 + k * 10));
    expect(split.flatMap((s, f) => (s === 'test' ? [f] : []))).toEqual(Array.from({ length: 50 }, (_, k) => 5 + k * 10));
    expect(split.filter((s) => s === 'unused')).toHaveLength(400);
  });
});
