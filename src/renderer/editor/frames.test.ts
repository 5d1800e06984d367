import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../shared/domain';
import { frameStep, playDelayMs, sequenceFrames } from './frames';

const img = (id: number, sequenceId: number | null, frameIndex: number | null): ImageSummary => ({
  id, hash: `h${id}`, name: `i${id}`, path: '', width: 4, height: 4, format: 'png', difficulty: null, split: 'train', tags: [],
  sequenceId, frameIndex, maskKinds: [], corrected: false, review: 'draft', importedAt: '',
});

describe('sequence frames in the editor', () => {
  const all = [img(1, null, null), img(7, 2, 5), img(3, 2, 0), img(4, 9, 0), img(5, 2, 2)];

  it('orders an image\'s sequence by frame index (gaps kept), nothing for a loose image', () => {
    expect(sequenceFrames(all[1], all).map((f) => [f.id, f.frameIndex])).toEqual([[3, 0], [5, 2], [7, 5]]);
    expect(sequenceFrames(all[0], all)).toEqual([]);
    expect(sequenceFrames(null, all)).toEqual([]);
  });

  it('steps to the neighbouring frame and stops at both ends', () => {
    const frames = sequenceFrames(all[1], all);
    expect(frameStep(frames, 5, 1)).toBe(7);
    expect(frameStep(frames, 5, -1)).toBe(3);
    expect(frameStep(frames, 7, 1)).toBeNull();
    expect(frameStep(frames, 3, -1)).toBeNull();
    expect(frameStep(frames, 3, 10)).toBe(7);
    expect(frameStep(frames, 99, 1)).toBeNull();
  });

  it('plays at the sequence\'s own speed when short, else 4 frames/s, never above 12', () => {
    expect(playDelayMs(null)).toBe(250);
    expect(playDelayMs(30)).toBe(250);
    expect(playDelayMs(0.5)).toBe(500);
    expect(playDelayMs(0.01)).toBeCloseTo(1000 / 12);
  });
});
