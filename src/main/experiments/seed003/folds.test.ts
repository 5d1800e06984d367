// Seed 003's folds, learning-rate list and the refusal of too little data; pure.
import { describe, expect, it } from 'vitest';
import { checkFolds, foldsFit, lrLabel, parseLrs, partitionFolds, splitTrainSide } from './folds';

describe('seed003 folds', () => {
  it('partitions into disjoint folds that cover every image, sizes within one', () => {
    const ids = Array.from({ length: 23 }, (_, i) => i + 100);
    const folds = partitionFolds(ids, 5, 7);
    expect(folds).toHaveLength(5);
    const all = folds.flat();
    expect(all).toHaveLength(23);
    expect(new Set(all)).toEqual(new Set(ids));
    const sizes = folds.map((f) => f.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(partitionFolds(ids, 5, 7)).toEqual(folds);
    const { train, val } = splitTrainSide(ids, 1);
    expect(val).toHaveLength(2);
    expect(new Set([...train, ...val])).toEqual(new Set(ids));
    expect(train.some((id) => val.includes(id))).toBe(false);
  });

  it('parses learning rates', () => {
    expect(parseLrs('1e-3,1e-4,1e-5')).toEqual([0.001, 0.0001, 0.00001]);
    expect(parseLrs(' 0.01 ')).toEqual([0.01]);
    expect(() => parseLrs('1e-3,,1e-4')).toThrow(/separated by commas/);
    expect(() => parseLrs('fast')).toThrow(/'fast' is not a learning rate/);
    expect(() => parseLrs('2')).toThrow(/not a learning rate in \(0, 1\)/);
    expect(() => parseLrs('1e-3,0.001')).toThrow(/twice/);
    expect([0.001, 0.0001, 0.00001, 0.0005].map(lrLabel)).toEqual(['1e-3', '1e-4', '1e-5', '5e-4']);
  });

  it('refuses too little data, saying which --folds or how many images would work', () => {
    expect(foldsFit(247, 5)).toBe(true);
    expect(() => checkFolds(247, 5, 'wbc')).not.toThrow();
    // 8 images: 5 folds would test 1 image in some fold.
    expect(() => checkFolds(8, 5, 'data')).toThrow(/^data: 8 images are too few for 5 folds: .* 5 folds need at least 10 images; with 8 images use --folds 2 to 4$/);
    // 3 images: no fold count works.
    expect(() => checkFolds(3, 2, 'data')).toThrow(/2 folds need at least 6 images$/);
    expect(() => checkFolds(30, 1, 'data')).toThrow(/at least 2/);
  });
});
