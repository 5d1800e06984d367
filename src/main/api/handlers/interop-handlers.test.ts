import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppContext } from '../app-context';
import { ApiService } from '../api-service';
import type { ApiMethod, ApiRequest, ApiResponse, DirListing, InteropExportReport, JobInfo } from '../../../shared/api';
import type { ImageSummary } from '../../../shared/domain';
import { DIFFERENCE_LEGEND } from '../../../shared/difference';
import { Project } from '../../project/project';
import { importSmears } from '../../synth/write-synth';
import { makeImageFolder, tempDir } from '../../testing/fixtures';

let ctx: AppContext;
let api: ApiService;
let dir: string;
let path: string;

async function call<M extends ApiMethod>(method: M, req: ApiRequest<M>): Promise<ApiResponse<M>> {
  const r = await api.call(method, req);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as ApiResponse<M>;
}

beforeAll(async () => {
  dir = tempDir('hemaseg-interop-api-');
  process.env.HEMASEG_HOME ??= tempDir();
  path = join(dir, 'p.hemaseg');
  const p = Project.open(path, { create: true });
  await importSmears(p, { count: 6, size: 64, classes: [1, 2, 8], palette: 'yellow', seed: 3 });
  p.close();
  ctx = new AppContext('web');
  api = new ApiService(ctx);
  ctx.open(path);
}, 60_000);

describe('review, tags and folder API', () => {
  it('images.setReview marks images, counts them and images.list filters by review and tag', async () => {
    const all = await call('images.list', {});
    const r = await call('images.setReview', { ids: [all[0].id, all[1].id], review: 'reviewed' });
    expect(r).toEqual({ changed: 2, counts: { draft: 4, reviewed: 2 } });
    expect(await call('images.reviewCounts', undefined)).toEqual({ draft: 4, reviewed: 2 });
    expect((await call('images.list', { review: ['reviewed'] })).map((i: ImageSummary) => i.id)).toEqual([all[0].id, all[1].id]);
    expect((await api.call('images.setReview', { ids: [all[0].id], review: 'done' as 'reviewed' })).ok).toBe(false);
    const tags = await call('images.tags', undefined);
    expect(tags.find((t) => t.tag === 'synthetic')).toEqual({ tag: 'synthetic', images: 6 });
    expect(await call('images.list', { tags: ['no-such-tag'] })).toEqual([]);
  });

  it('fs.list counts BMP/TIFF/PNG/JPEG images in the folder and its sub-folders, and starts at the remembered folder', async () => {
    const bmps = join(dir, 'bmps');
    await makeImageFolder(join(bmps, 'inner'), 3, { formats: ['tiff', 'jpeg', 'png'] });
    await makeImageFolder(bmps, 4, { formats: ['bmp'] });
    const l: DirListing = await call('fs.list', { path: bmps });
    expect(l.images).toBe(8); // 4 BMP images + their 4 PNG masks
    expect(l.entries.find((e) => e.name === 'inner')).toMatchObject({ dir: true, images: 6 });
    await call('fs.remember', { path: bmps });
    expect((await call('fs.list', {})).path).toBe(bmps);
    expect((await call('settings.get', undefined)).lastFolder).toBe(bmps);
    expect((await api.call('fs.remember', { path: join(dir, 'nope') })).ok).toBe(false);
  });

  it('jobs.list shows only the current project\'s jobs', async () => {
    const other = join(dir, 'other.hemaseg');
    Project.open(other, { create: true }).close();
    ctx.open(other);
    ctx.jobs.start('export', 'other project job', async () => ({ format: 'coco' as const, out: other, files: [], images: 0, missing: 0, cells: 0 }));
    await ctx.jobs.settle();
    expect((await call('jobs.list', undefined)).map((j: JobInfo) => j.title)).toContain('other project job');
    ctx.open(path);
    expect((await call('jobs.list', undefined)).map((j: JobInfo) => j.title)).not.toContain('other project job');
  });
});

describe('interop API', () => {
  it('lists formats and exports COCO as a job', async () => {
    expect((await call('interop.formats', undefined)).map((f) => f.id)).toEqual(['coco', 'geojson', 'label-tiff', 'label-png', 'gray3', 'rgb']);
    const out = join(dir, 'api-coco.json');
    const { jobId } = await call('interop.export', { out, format: 'coco', images: 'reviewed' });
    await ctx.jobs.settle();
    const job = ctx.jobs.list().find((j) => j.id === jobId)!;
    expect(job.status).toBe('done');
    expect((job.result as InteropExportReport).images).toBe(2);
    expect(JSON.parse(readFileSync(out, 'utf8')).images).toHaveLength(2);
    // An existing output is refused before a job starts.
    expect((await api.call('interop.export', { out, format: 'coco' })).ok).toBe(false);
    mkdirSync(join(dir, 'empty-out'));
    expect((await api.call('interop.export', { out: join(dir, 'empty-out'), format: 'label-png' })).ok).toBe(true);
    await ctx.jobs.settle();
  });

  it('serves per-class difference images with false positives and negatives in their colours', async () => {
    const img = (await call('images.list', {}))[0];
    const truth = (await call('masks.current', { imageId: img.id, kind: 'ground-truth' }))!;
    const t = await call('masks.load', { versionId: truth.id });
    // A prediction that misses the nucleus entirely (nucleus -> background).
    const labels = t.labels.map((v) => (v === 2 ? 0 : v));
    const p = ctx.requireProject();
    const predId = p.masks.append({ imageId: img.id, kind: 'prediction', source: 'x@1', author: 't', mask: { width: t.width, height: t.height, labels } });
    const res = await api.media(`diff/${predId}?truth=${truth.id}&style=classes`);
    expect(res.status).toBe(200);
    const { data } = await sharp(Buffer.from(res.body)).raw().toBuffer({ resolveWithObject: true });
    const fn = DIFFERENCE_LEGEND.find((e) => e.key === 'fn-nucleus')!.rgb;
    const i = t.labels.indexOf(2);
    expect([data[i * 3], data[i * 3 + 1], data[i * 3 + 2]]).toEqual([...fn]);
    expect((await api.media(`diff/${predId}?truth=${truth.id}&style=binary`)).status).toBe(200);
    expect((await api.media(`diff/${predId}?truth=999999`)).status).toBe(404);
  });
});
