import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../shared/domain';
import { arrange, EMPTY_FILTER, maskStatuses, nextSelection } from './filter';

function img(id: number, over: Partial<ImageSummary> = {}): ImageSummary {
  return {
    id, hash: `h${id}`, name: `img${id}.png`, path: `/x/img${id}.png`, width: 120, height: 120, format: 'png', difficulty: null, split: 'train',
    tags: [], sequenceId: null, frameIndex: null, maskKinds: [], corrected: false, review: 'draft', importedAt: '2024-01-01T00:00:00Z', ...over,
  };
}

describe('mask status', () => {
  it('classifies the mask kinds of an image', () => {
    expect(maskStatuses(img(1))).toEqual(['none']);
    expect(maskStatuses(img(1, { maskKinds: ['prediction', 'baseline'] }))).toEqual(['prediction-only']);
    expect(maskStatuses(img(1, { maskKinds: ['baseline'] }))).toEqual(['baseline-only']);
    expect(maskStatuses(img(1, { maskKinds: ['ground-truth', 'prediction'], corrected: true }))).toEqual(['corrected', 'ground-truth']);
  });
});

describe('arrange', () => {
  const images = [
    img(1, { name: 'img10.png', difficulty: 8, split: 'test' }),
    img(2, { name: 'img2.png', difficulty: null, maskKinds: ['ground-truth'] }),
    img(3, { name: 'img1.png', difficulty: 1, split: 'val', tags: ['neutrophil'] }),
  ];

  it('filters by difficulty (0 = unclassified), split, status and text', () => {
    expect(arrange(images, { ...EMPTY_FILTER, difficulty: [0, 8] }, { by: 'import' }).map((i) => i.id)).toEqual([1, 2]);
    expect(arrange(images, { ...EMPTY_FILTER, split: ['val', 'test'] }, { by: 'import' }).map((i) => i.id)).toEqual([1, 3]);
    expect(arrange(images, { ...EMPTY_FILTER, status: ['ground-truth'] }, { by: 'import' }).map((i) => i.id)).toEqual([2]);
    expect(arrange(images, { ...EMPTY_FILTER, text: 'NEUTRO' }, { by: 'import' }).map((i) => i.id)).toEqual([3]);
  });

  it('sorts names naturally and by metric with missing values last', () => {
    expect(arrange(images, EMPTY_FILTER, { by: 'name' }).map((i) => i.name)).toEqual(['img1.png', 'img2.png', 'img10.png']);
    const metric = new Map([
      [1, 0.9],
      [3, 0.2],
    ]);
    expect(arrange(images, EMPTY_FILTER, { by: 'metric', metric: 'iou', ascending: true }, metric).map((i) => i.id)).toEqual([3, 1, 2]);
    expect(arrange(images, EMPTY_FILTER, { by: 'metric', metric: 'iou', ascending: false }, metric).map((i) => i.id)).toEqual([1, 3, 2]);
  });

  it('filters 10,000 images', () => {
    const many = Array.from({ length: 10_000 }, (_, k) => img(k + 1, { difficulty: ((k % 8) + 1) as 1, maskKinds: k % 2 ? ['ground-truth'] : [] }));
    const out = arrange(many, { ...EMPTY_FILTER, difficulty: [3], status: ['ground-truth', 'none'] }, { by: 'name' });
    expect(out.length).toBe(1250);
    expect(out.every((i) => i.difficulty === 3)).toBe(true);
  });
});

describe('selection', () => {
  const order = [5, 6, 7, 8, 9];
  it('click, ctrl-click and shift-click', () => {
    let s = nextSelection(new Set(), null, 6, order, { shift: false, toggle: false });
    expect([...s.selected]).toEqual([6]);
    s = nextSelection(s.selected, s.anchor, 8, order, { shift: true, toggle: false });
    expect([...s.selected]).toEqual([6, 7, 8]);
    s = nextSelection(s.selected, s.anchor, 7, order, { shift: false, toggle: true });
    expect([...s.selected].sort()).toEqual([6, 8]);
    s = nextSelection(s.selected, s.anchor, 9, order, { shift: true, toggle: true });
    expect([...s.selected].sort()).toEqual([6, 7, 8, 9]);
  });
});
