// Prediction confidence (migration 3): stored with the mask version, summarised per image
// for the gallery's sort and "needs review" bucket.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Project } from './project';
import { tempDir } from '../testing/fixtures';

const mask = { width: 2, height: 2, labels: new Uint8Array([0, 1, 2, 1]), instances: new Uint16Array([0, 1, 1, 1]) };

describe('prediction confidence', () => {
  it('is stored with a prediction version and shown on the image summary (newest prediction)', () => {
    const p = Project.open(join(tempDir(), 'conf.hemaseg'), { create: true });
    const id = p.images.insert({ hash: 'cd'.repeat(32), name: 'a.png', originalPath: 'a.png', width: 2, height: 2, format: 'png', bytes: new Uint8Array([1]), thumbnail: null });
    expect(p.images.get(id)!.confidence).toBeNull();
    const v1 = p.masks.append({ imageId: id, kind: 'prediction', source: 'm@1', author: 't', mask, confidence: { method: 'entropy', image: 0.9, cells: [{ instance: 1, confidence: 0.4 }] } });
    expect(p.masks.confidence(v1)).toEqual({ method: 'entropy', image: 0.9, cells: [{ instance: 1, confidence: 0.4 }] });
    expect(p.masks.info(v1)!.confidence).toBe(0.9);
    expect(p.images.get(id)).toMatchObject({ confidence: 0.9, minCellConfidence: 0.4 });
    // A newer prediction of another model takes over the summary; one without confidence clears it.
    p.masks.append({ imageId: id, kind: 'prediction', source: 'm@2', author: 't', mask, confidence: { method: 'entropy', image: 0.6, cells: [] } });
    expect(p.images.get(id)).toMatchObject({ confidence: 0.6, minCellConfidence: null });
    const v3 = p.masks.append({ imageId: id, kind: 'prediction', source: 'm@3', author: 't', mask });
    expect(p.masks.confidence(v3)).toBeNull();
    expect(p.images.get(id)!.confidence).toBeNull();
    expect(() => p.masks.append({ imageId: id, kind: 'prediction', source: 'm@4', author: 't', mask, confidence: { method: 'x', image: NaN, cells: [] } })).toThrow(/confidence/);
    p.close();
  });
});
