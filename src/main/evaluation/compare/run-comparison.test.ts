import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Project } from '../../project/project';
import { importSmears } from '../../synth/write-synth';
import { tempDir } from '../../testing/fixtures';
import { SOURCE, type LabelMap } from '../../../shared/domain';
import { comparisonTables, worstNAll } from '../../../shared/core/comparison';
import type { ImageRow } from '../../../shared/core/metric-types';
import { getComparison, runComparison } from './run-comparison';

/**
 * 12 images, all in the test split: `good@1` is the truth on every image; `bad@1` is empty on
 * difficulty-8 images and perfect elsewhere, but has no mask on the first 3 images; the
 * active contour is perfect except on image 4, where it has no mask.
 */
async function tinyProject(): Promise<{ p: Project; ids: number[] }> {
  const p = Project.open(join(tempDir(), 'c.hemaseg'), { create: true });
  await importSmears(p, { count: 12, size: 48, classes: [1, 8], palette: 'purple', seed: 3 });
  const images = p.images.list();
  p.images.update(images.map((i) => i.id), { split: 'test' });
  images.forEach((img, k) => {
    const gt: LabelMap = p.masks.load(p.masks.current(img.id, 'ground-truth')!.id)!;
    const empty = { ...gt, labels: new Uint8Array(gt.labels.length), instances: undefined };
    p.masks.append({ imageId: img.id, kind: 'prediction', source: 'good@1', author: 't', mask: gt });
    if (k >= 3) p.masks.append({ imageId: img.id, kind: 'prediction', source: 'bad@1', author: 't', mask: img.difficulty === 8 ? empty : gt });
    if (k !== 4) p.masks.append({ imageId: img.id, kind: 'baseline', source: SOURCE.activeContour, author: 't', mask: gt });
  });
  return { p, ids: images.map((i) => i.id) };
}

describe('runComparison', () => {
  it('evaluates every source on the one image set all of them have, says what it dropped and stores it', async () => {
    const { p, ids } = await tinyProject();
    const { comparison: c, tables } = runComparison(p, { sources: ['good', 'bad@1', 'active-contour'], split: 'test', worst: [2, 50], label: 'test run' });
    const expected = ids.filter((_, k) => k >= 3 && k !== 4);
    expect(c.imageIds).toEqual(expected);
    expect(c.sources.map((s) => s.label)).toEqual(['good@1', 'bad@1', 'active-contour']);
    for (const s of c.sources) {
      expect(s.result.images).toBe(expected.length);
      expect(s.result.perImage.map((r) => r.imageId).sort((a, b) => a - b)).toEqual(expected);
      expect(s.dropped).toHaveLength(4);
    }
    expect(c.sources[1].missingOwn).toBe(3);
    expect(c.sources[1].dropped.find((d) => d.imageId === ids[0])!.reason).toBe('no bad@1 mask');
    expect(c.sources[1].dropped.find((d) => d.imageId === ids[4])!.reason).toBe('no active-contour mask (another source)');
    expect(c.sources[0].missingOwn).toBe(0);
    expect(c.sources[2].missingOwn).toBe(1);

    // Tables: rows metrics, columns sources; good is perfect, bad scores 0 on the class-8 images.
    const cell = tables.metrics.find((r) => r.key === 'iou.cell')!;
    expect(cell.values[0]!.mean).toBe(1);
    const hard = c.sources[1].result.perImage.filter((r) => r.difficulty === 8).length;
    expect(hard).toBeGreaterThan(0);
    expect(cell.values[1]!.mean).toBeCloseTo(1 - hard / expected.length);
    expect(tables.perClass.map((t) => t.cls)).toEqual(['cytoplasm', 'nucleus', 'cell']);
    expect(tables.perClass[1].rows.map((r) => r.key)).toEqual(['IoU', 'IoU_b', 'Dice']);
    const d8 = tables.byDifficulty.find((d) => d.difficulty === '8')!;
    expect(d8.n).toBe(hard);
    expect(d8.values.map((v) => v!.mean)).toEqual([1, 0, 1]);
    // Worst-2 over all sources: bad's two worst are class-8 images (0); good and the contour score 1 there.
    expect(tables.worst[0].n).toBe(2);
    expect(tables.worst[0].means[1]).toBeLessThan(tables.worst[0].means[0]);
    expect(tables.worst[1].images).toEqual(expected);
    expect(tables.perImage[0].values[1]).toBe(0);
    expect(tables.perImage[0].predMaskIds.every((m) => m !== null)).toBe(true);

    // Stored: the evaluations and the comparison row; reopening gives the same tables.
    expect(c.id).not.toBeNull();
    expect(p.comparisons.list()[0]).toMatchObject({ id: c.id, label: 'test run', split: 'test', truth: 'ground-truth', sources: ['good@1', 'bad@1', 'active-contour'], images: expected.length });
    expect(c.sources.every((s) => p.evaluations.get(s.evaluationId!) !== null)).toBe(true);
    const again = getComparison(p, c.id!);
    expect(again.tables).toEqual(tables);
    expect(again.comparison.sources[1].dropped).toEqual(c.sources[1].dropped);
    p.close();
  });

  it('refuses an unknown source by name and lists the project sources', async () => {
    const { p } = await tinyProject();
    expect(() => runComparison(p, { sources: ['good@1', 'segnet@7'], split: 'test' })).toThrow(/unknown source 'segnet@7'.*ground-truth, .*good@1/);
    expect(() => runComparison(p, { sources: ['good@1', 'good'], split: 'test' })).toThrow(/same source \(good@1\)/);
    expect(() => runComparison(p, { sources: ['good@1'], split: 'val' })).toThrow(/no image in the val split/);
    expect(p.comparisons.list()).toEqual([]);
    expect(() => getComparison(p, 99)).toThrow(/no comparison 99/);
    p.close();
  });

  it('does not store with store: false', async () => {
    const { p } = await tinyProject();
    const before = p.evaluations.list().length;
    const { comparison } = runComparison(p, { sources: ['good@1', 'active-contour'], split: 'all', store: false });
    expect(comparison.id).toBeNull();
    expect(comparison.imageIds).toHaveLength(11);
    expect(p.evaluations.list().length).toBe(before);
    p.close();
  });
});

describe('worstNAll', () => {
  const row = (imageId: number, v: number): ImageRow => ({
    imageId, name: String(imageId), difficulty: null, truthMaskId: null, predMaskId: null,
    metrics: { accuracy: v, iou: { cell: v, cytoplasm: v, nucleus: v, edge: null }, iou_b: { cell: v, cytoplasm: v, nucleus: v, edge: null }, dice: { cell: v, cytoplasm: v, nucleus: v, edge: null }, precision: { cell: v, cytoplasm: v, nucleus: v, edge: null }, recall: { cell: v, cytoplasm: v, nucleus: v, edge: null }, seg: null },
  });
  it('unites each source\'s N worst images and averages every source on the union', () => {
    const a = [row(1, 0.1), row(2, 0.9), row(3, 0.8), row(4, 0.7)];
    const b = [row(1, 0.9), row(2, 0.2), row(3, 0.8), row(4, 0.7)];
    const c = [row(1, 0.5), row(2, 0.5), row(3, 0.5), row(4, 0.5)];
    const w = worstNAll([a, b, c], 1, 'iou.cell');
    expect(w.images).toEqual([1, 2]);
    expect(w.means[0]).toBeCloseTo(0.5);
    expect(w.means[1]).toBeCloseTo(0.55);
    expect(w.means[2]).toBeCloseTo(0.5);
    expect(comparisonTables({ sources: [], settings: { truth: 'ground-truth', split: 'all', borderPx: null, metric: 'iou.cell', worst: [1] } }).worst[0].images).toEqual([]);
  });
});
