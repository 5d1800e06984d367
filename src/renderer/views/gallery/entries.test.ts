import { describe, expect, it } from 'vitest';
import type { ImageSummary, SequenceInfo } from '../../../shared/domain';
import { browseIds, coverFrame, entryIds, frameCountLabel, galleryEntries } from './entries';
import { arrange, EMPTY_FILTER, isFilterActive } from './filter';

const img = (id: number, sequenceId: number | null = null, frameIndex: number | null = null, extra: Partial<ImageSummary> = {}): ImageSummary => ({
  id, hash: `h${id}`, name: `i${id}`, path: '', width: 4, height: 4, format: 'png', difficulty: null, split: 'train', tags: [],
  sequenceId, frameIndex, maskKinds: [], corrected: false, review: 'draft', importedAt: '', ...extra,
});
const seq = (id: number, frameCount: number): SequenceInfo => ({
  id, name: `film${id}`, frameCount, labelledFrames: 0, frameInterval: null, splitMode: 'sequence', split: 'train', protocol: null,
  bySplit: { train: frameCount, val: 0, test: 0, unused: 0 }, width: 4, height: 4, firstFrame: 0, lastFrame: frameCount - 1, source: '', createdAt: '',
});

describe('gallery entries', () => {
  // Import order: a loose image, film 5's frames (out of order), another loose image, film 6.
  const images = [img(1), img(12, 5, 2), img(10, 5, 0), img(11, 5, 1), img(13, 5, 3), img(2), img(20, 6, 0)];
  const sequences = new Map([[5, seq(5, 4)], [6, seq(6, 1)]]);

  it('shows each sequence as one tile with its frame count at its first frame\'s place, the middle frame as cover', () => {
    const e = galleryEntries(images, sequences, true);
    expect(e.map((x) => (x.kind === 'image' ? `i${x.key}` : `s${x.sequenceId}:${x.key}`))).toEqual(['i1', 's5:11', 'i2', 's6:20']);
    const film = e[1];
    if (film.kind !== 'sequence') throw new Error('expected a sequence tile');
    expect(film.frames.map((f) => f.frameIndex)).toEqual([0, 1, 2, 3]);
    expect(frameCountLabel(film)).toBe('4 frames');
    expect(entryIds(film)).toEqual([10, 11, 12, 13]);
    // The editor walks a sequence's frames in frame order where its tile is.
    expect(browseIds(e)).toEqual([1, 10, 11, 12, 13, 2, 20]);
    expect(coverFrame([img(1), img(2), img(3)]).id).toBe(2);
  });

  it('counts the frames a filter leaves ("2 of 4 frames"), and shows every frame when not collapsing', () => {
    const some = galleryEntries(images.filter((i) => i.id !== 10 && i.id !== 13), sequences, true);
    const film = some.find((x) => x.kind === 'sequence' && x.sequenceId === 5);
    expect(film && film.kind === 'sequence' ? frameCountLabel(film) : '').toBe('2 of 4 frames');
    expect(galleryEntries(images, sequences, false).every((x) => x.kind === 'image')).toBe(true);
  });

  it('filters by sequence (frames in frame order), by "no sequence", and keeps unused frames out of split filters', () => {
    const one = arrange(images, { ...EMPTY_FILTER, sequence: 5 }, { by: 'import' });
    expect(one.map((i) => i.frameIndex)).toEqual([0, 1, 2, 3]);
    expect(arrange(images, { ...EMPTY_FILTER, sequence: 'none' }, { by: 'import' }).map((i) => i.id)).toEqual([1, 2]);
    expect(isFilterActive({ ...EMPTY_FILTER, sequence: 5 })).toBe(true);
    expect(isFilterActive({ ...EMPTY_FILTER, sequence: null })).toBe(false);
    const withUnused = [...images, img(30, 6, 1, { unused: true })];
    expect(arrange(withUnused, { ...EMPTY_FILTER, split: ['train'] }, { by: 'import' }).map((i) => i.id)).not.toContain(30);
  });
});
