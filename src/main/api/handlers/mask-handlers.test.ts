import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppContext } from '../app-context';
import { ApiService } from '../api-service';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../shared/api';
import { Project } from '../../project/project';
import { importSmears } from '../../synth/write-synth';
import { tempDir } from '../../testing/fixtures';

let api: ApiService;
let imageId = 0;
let predictionId = 0;

async function call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
  const r = await api.call(method, req);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as ApiResponse<M>;
}

beforeAll(async () => {
  process.env.HEMASEG_HOME ??= tempDir();
  const path = join(tempDir('hemaseg-mask-api-'), 'p.hemaseg');
  const p = Project.open(path, { create: true });
  await importSmears(p, { count: 1, size: 32, classes: [1], palette: 'yellow', seed: 5 });
  const img = p.images.list({})[0];
  imageId = img.id;
  const labels = new Uint8Array(img.width * img.height);
  labels.fill(1, 0, 200);
  labels.fill(2, 200, 260);
  predictionId = p.masks.append({ imageId, kind: 'prediction', source: 'unet@1', author: 'test', parentId: null, mask: { width: img.width, height: img.height, labels }, note: null });
  p.close();
  const ctx = new AppContext('web');
  api = new ApiService(ctx);
  ctx.open(path);
});

describe('masks.save provenance', () => {
  it("stores a prediction saved unchanged as 'accepted', which is not a correction", async () => {
    const pred = await call('masks.load', { versionId: predictionId });
    const saved = await call('masks.save', { imageId, parentId: predictionId, labels: pred.labels.slice() });
    expect(saved.source).toBe('accepted');
    expect((await call('images.list', {}))[0].corrected).toBe(false);
  });

  it("stores a changed mask as 'hand-edited' (a correction), even with the prediction as parent", async () => {
    const pred = await call('masks.load', { versionId: predictionId });
    const edited = pred.labels.slice();
    edited[500] = 2;
    const saved = await call('masks.save', { imageId, parentId: predictionId, labels: edited });
    expect(saved.source).toBe('hand-edited');
    expect((await call('images.list', {}))[0].corrected).toBe(true);
  });
});
