// The thesis preparation of seed 002 (exact-size filter, copies before the split, the leak
// counted) and the copies' pixels; pure, no project, no training.
import { describe, expect, it } from 'vitest';
import { copyMask, leakOf, planClean, planThesis, THESIS_COPIES, transformPixels } from './protocols';
import { parseFamilies } from './networks';

const items = (sizes: [number, number][]): { name: string; width: number; height: number }[] => sizes.map(([width, height], k) => ({ name: `${String(k + 1).padStart(3, '0')}.bmp`, width, height }));

describe('seed002 thesis protocol', () => {
  const folder = items([...new Array(30).fill([32, 32]), [28, 32], [32, 28], [30, 30], [64, 64]] as [number, number][]);

  it('keeps only the images that are exactly size x size', () => {
    const plan = planThesis(folder, 1, 32);
    expect(plan.images).toBe(34);
    expect(plan.kept).toBe(30);
    const sources = new Set(plan.entries.map((e) => e.source));
    expect(sources.size).toBe(30);
    expect(sources.has('031.bmp')).toBe(false); // 28x32
    expect(sources.has('034.bmp')).toBe(false); // 64x64: square, but not the thesis' size
  });

  it('makes every copy of each kept image before splitting 93/7, seeded', () => {
    const plan = planThesis(folder, 1, 32);
    expect(plan.entries).toHaveLength(30 * THESIS_COPIES.length);
    expect(new Set(plan.entries.map((e) => e.name)).size).toBe(plan.entries.length);
    for (const copy of THESIS_COPIES) expect(plan.entries.filter((e) => e.copy === copy)).toHaveLength(30);
    expect(plan.bySplit.test).toBe(Math.round(120 * 0.07));
    expect(plan.bySplit.val).toBe(Math.round((120 - plan.bySplit.test) * 0.07));
    expect(plan.bySplit.train + plan.bySplit.val + plan.bySplit.test).toBe(120);
    // The split is over copies, not over source images: some source has copies on both sides.
    expect(plan.leak.sourcesOnBothSides).toBeGreaterThan(0);
    expect(planThesis(folder, 1, 32).entries).toEqual(plan.entries);
    expect(planThesis(folder, 2, 32).entries.map((e) => e.name)).not.toEqual(plan.entries.map((e) => e.name));
  });

  it('flags the leak: test copies whose source trained, counted exactly', () => {
    const plan = planThesis(folder, 3, 32);
    const trainSources = new Set(plan.entries.filter((e) => e.split !== 'test').map((e) => e.source));
    const leaking = plan.entries.filter((e) => e.split === 'test' && trainSources.has(e.source)).length;
    expect(plan.leak.testWithTrainCopy).toBe(leaking);
    expect(plan.leak.testImages).toBe(plan.bySplit.test);
    expect(plan.leak.warning).toMatch(new RegExp(`^LEAK: .* ${leaking} of ${plan.bySplit.test} test images are flips/rotations`));
    expect(plan.leak.warning).toContain('--protocol clean');
    // A split by source image would not leak.
    const bySource = plan.entries.map((e) => ({ ...e, split: e.source === '001.bmp' ? ('test' as const) : ('train' as const) }));
    expect(leakOf(bySource.filter((e) => e.source !== '001.bmp' || e.split === 'test')).testWithTrainCopy).toBe(0);
  });

  it('copies pixels by flip and quarter turn', () => {
    // 3 wide, 2 high: 1 2 3 / 4 5 6
    const px = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect([...transformPixels(px, 3, 2, 1, 'fliph').data]).toEqual([3, 2, 1, 6, 5, 4]);
    expect([...transformPixels(px, 3, 2, 1, 'flipv').data]).toEqual([4, 5, 6, 1, 2, 3]);
    const r = transformPixels(px, 3, 2, 1, 'rot90');
    expect([r.width, r.height]).toEqual([2, 3]);
    expect([...r.data]).toEqual([3, 6, 2, 5, 1, 4]);
    expect([...transformPixels(px, 3, 2, 1, 'orig').data]).toEqual([...px]);
    const m = copyMask({ width: 3, height: 2, labels: px }, 'rot90');
    expect([m.width, m.height, ...m.labels]).toEqual([2, 3, 3, 6, 2, 5, 1, 4]);
  });

  it('the clean plan counts the content-hash splits; --families parses and refuses', () => {
    expect(planClean([{ split: 'train' }, { split: 'test' }, { split: 'train' }]).bySplit).toEqual({ train: 2, val: 0, test: 1 });
    expect(parseFamilies('segnet, unet')).toEqual(['segnet', 'unet']);
    expect(() => parseFamilies('unet,fcn')).toThrow(/unknown network 'fcn'/);
    expect(() => parseFamilies('unet,unet')).toThrow(/twice/);
  });
});
