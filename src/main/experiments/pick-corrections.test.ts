import { describe, expect, it } from 'vitest';
import { imageDescriptor, pickLeastConfident, pickMixed, pickRandom, pickUncertainDiverse } from './pick-corrections';

const pool = Array.from({ length: 40 }, (_, i) => ({ imageId: i + 1, name: `${String(i + 1).padStart(3, '0')}.bmp`, confidence: (i * 37 % 40) / 40 }));

describe('picking the corrections', () => {
  it('random: N distinct images, the same for a seed, another for another seed', () => {
    const a = pickRandom(pool, 10, 1);
    expect(new Set(a.map((c) => c.imageId)).size).toBe(10);
    expect(pickRandom([...pool].reverse(), 10, 1)).toEqual(a);
    expect(pickRandom(pool, 10, 2)).not.toEqual(a);
  });

  it('uncertain: the N least confident; mixed: half of them, half at random from the rest', () => {
    const least = pickLeastConfident(pool, 10);
    expect(least.map((c) => c.confidence)).toEqual([0, 0.025, 0.05, 0.075, 0.1, 0.125, 0.15, 0.175, 0.2, 0.225]);
    const mixed = pickMixed(pool, 10, 1);
    expect(mixed.slice(0, 5)).toEqual(least.slice(0, 5));
    expect(new Set(mixed.map((c) => c.imageId)).size).toBe(10);
    expect(mixed.slice(5).every((c) => (c.confidence as number) >= 0.125)).toBe(true);
    expect(() => pickLeastConfident([{ imageId: 1, name: 'a', confidence: null }], 1)).toThrow(/no confidence/);
  });

  it('uncertain and diverse: doubtful images that are unlike each other, not one odd kind N times', () => {
    // 12 near-identical odd images, all very doubtful, and 28 ordinary ones in four looks.
    const odd = Array.from({ length: 12 }, (_, i) => ({ imageId: 100 + i, name: `odd${i}`, confidence: 0.2 + i * 0.001, descriptor: [10, 10 + i * 0.01] }));
    const usual = Array.from({ length: 28 }, (_, i) => ({ imageId: 200 + i, name: `usual${i}`, confidence: 0.4 + (i % 7) * 0.02, descriptor: [(i % 4) * 3, (i % 4) * -3] }));
    const all = [...odd, ...usual];
    expect(pickLeastConfident(all, 6).every((c) => c.name.startsWith('odd'))).toBe(true);
    const picked = pickUncertainDiverse(all, 6);
    expect(picked[0].name).toBe('odd0');
    expect(new Set(picked.map((c) => c.imageId)).size).toBe(6);
    expect(picked.filter((c) => c.name.startsWith('odd')).length).toBeLessThanOrEqual(2);
    const looks = new Set(picked.filter((c) => c.name.startsWith('usual')).map((c) => c.descriptor[0]));
    expect(looks.size).toBeGreaterThanOrEqual(3);
  });

  it('describes images by stain layout and predicted cell shares', () => {
    const w = 8;
    const image = { width: w, height: w, data: new Uint8Array(w * w * 3).fill(200) };
    const dark = { width: w, height: w, data: new Uint8Array(w * w * 3).fill(60) };
    const labels = new Uint8Array(w * w);
    labels.fill(2, 0, 16);
    labels.fill(1, 16, 32);
    const d = imageDescriptor(image, { width: w, height: w, labels });
    expect(d).toHaveLength(51);
    expect(d.slice(48)).toEqual([4 * 0.5, 4 * 0.25, 4 * 0.5]);
    expect(imageDescriptor(dark, null)[0]).toBeGreaterThan(d[0]);
  });
});
