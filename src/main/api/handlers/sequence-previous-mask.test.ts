// sequences.previousMask: the editor's onion skin and "copy the previous frame's mask".
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppContext } from '../app-context';
import { ApiService } from '../api-service';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../shared/api';
import { Project } from '../../project/project';
import { tempDir } from '../../testing/fixtures';

let api: ApiService;
const ids: Record<string, number> = {};

async function call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
  const r = await api.call(method, req);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as ApiResponse<M>;
}

beforeAll(() => {
  process.env.HEMASEG_HOME ??= tempDir();
  const path = join(tempDir('hemaseg-prev-'), 'p.hemaseg');
  const p = Project.open(path, { create: true });
  let n = 0;
  const add = (name: string): number => p.images.insert({ hash: `h${++n}`, name, originalPath: name, width: 3, height: 2, format: 'png', bytes: new Uint8Array([n]), thumbnail: null, split: 'train' });
  const seq = p.sequences.ensure({ name: 'film', width: 3, height: 2, source: 's' });
  // Frames 0, 1 and 4 (2-3 missing); frame 0 has a prediction and a ground truth, frame 1 a prediction only, frame 4 nothing.
  for (const k of [0, 1, 4]) p.sequences.addFrame(seq.id, (ids[`f${k}`] = add(`f${k}.png`)), k);
  ids.loose = add('loose.png');
  const mask = (v: number) => ({ width: 3, height: 2, labels: new Uint8Array(6).fill(v) });
  p.masks.append({ imageId: ids.f0, kind: 'prediction', source: 'toy@1', author: 't', mask: mask(2) });
  p.masks.append({ imageId: ids.f0, kind: 'ground-truth', source: 'hand-edited', author: 't', mask: mask(1) });
  p.masks.append({ imageId: ids.f1, kind: 'prediction', source: 'toy@1', author: 't', mask: mask(2) });
  p.close();
  const ctx = new AppContext('web');
  api = new ApiService(ctx);
  ctx.open(path);
});

describe('sequences.previousMask', () => {
  it('serves the previous frame\'s ground truth, else its prediction, across gaps; null for the first frame and loose images', async () => {
    const a = await call('sequences.previousMask', { imageId: ids.f1 });
    expect(a).toMatchObject({ imageId: ids.f0, frameIndex: 0, version: { kind: 'ground-truth' } });
    expect(Array.from(a!.mask!.labels)).toEqual([1, 1, 1, 1, 1, 1]);
    const b = await call('sequences.previousMask', { imageId: ids.f4 });
    expect(b).toMatchObject({ imageId: ids.f1, frameIndex: 1, version: { kind: 'prediction', source: 'toy@1' } });
    expect(b!.mask!.labels[0]).toBe(2);
    expect(await call('sequences.previousMask', { imageId: ids.f0 })).toBeNull();
    expect(await call('sequences.previousMask', { imageId: ids.loose })).toBeNull();
    await expect(call('sequences.previousMask', { imageId: 999 })).rejects.toThrow(/no image with id 999/);
  });
});
