import { describe, expect, it } from 'vitest';
import { segBySequence } from './sequence-seg';

describe('SEG per sequence', () => {
  it('pools the objects of every labelled frame of a sequence; overall pools all, and the mean of sequences', () => {
    const r = segBySequence([
      { sequence: 'a', frame: 0, jaccardSum: 1.5, truthObjects: 2 },
      { sequence: 'a', frame: 1, jaccardSum: 0.5, truthObjects: 2 },
      { sequence: 'a', frame: 2, jaccardSum: 0, truthObjects: 0 },
      { sequence: 'b', frame: 0, jaccardSum: 0.9, truthObjects: 1 },
      { sequence: 'c', frame: 0, jaccardSum: 0, truthObjects: 0 },
    ]);
    expect(r.sequences).toEqual([
      { sequence: 'a', frames: 2, objects: 4, seg: 0.5 },
      { sequence: 'b', frames: 1, objects: 1, seg: 0.9 },
      { sequence: 'c', frames: 0, objects: 0, seg: null },
    ]);
    expect(r.overall).toBeCloseTo(2.9 / 5, 12);
    expect(r.meanOfSequences).toBeCloseTo(0.7, 12);
    expect(segBySequence([]).overall).toBeNull();
    expect(() => segBySequence([{ sequence: 'x', frame: 3, jaccardSum: 3, truthObjects: 2 }])).toThrow(/frame 3 of x/);
  });
});
