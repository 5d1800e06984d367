// The gallery's confidence sort and "needs review" bucket.
import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../shared/domain';
import { arrange, EMPTY_FILTER, maskStatuses, needsReview } from './filter';

const img = (id: number, confidence: number | null, minCell: number | null, corrected = false): ImageSummary => ({
  id, hash: String(id), name: `${id}.png`, path: '', width: 1, height: 1, format: 'png', difficulty: null, split: 'train', tags: [],
  sequenceId: null, frameIndex: null, maskKinds: ['prediction'], corrected, review: 'draft', importedAt: '', confidence, minCellConfidence: minCell,
});

describe('confidence in the gallery', () => {
  const images = [img(1, 0.95, 0.9), img(2, 0.7, 0.7), img(3, null, null), img(4, 0.9, 0.5), img(5, 0.5, 0.5, true)];

  it('needs review: the image or one of its cells under the threshold, not yet corrected', () => {
    expect(images.map((i) => needsReview(i, 0.8))).toEqual([false, true, false, true, false]);
    expect(maskStatuses(images[3], 0.8)).toContain('needs-review');
    expect(maskStatuses(images[3], 0.4)).not.toContain('needs-review');
    expect(arrange(images, { ...EMPTY_FILTER, status: ['needs-review'], reviewThreshold: 0.8 }, { by: 'import' }).map((i) => i.id)).toEqual([2, 4]);
  });

  it('sorts least confident first (weakest of image and cell), images without confidence last', () => {
    expect(arrange(images, EMPTY_FILTER, { by: 'confidence' }).map((i) => i.id)).toEqual([4, 5, 2, 1, 3]);
  });
});
