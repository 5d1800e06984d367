import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import WebSocket from 'ws';
import { AppContext } from '../api/app-context';
import { ApiService } from '../api/api-service';
import { startWebHost, type WebHost } from './web-host';
import { decodeMessage, encodeMessage } from '../../shared/wire';
import { makeImageFolder, tempDir } from '../testing/fixtures';
import type { ApiEvent, JobInfo } from '../../shared/api';
import type { ImageSummary, ImportReport, LabelMap, MaskVersionInfo } from '../../shared/domain';

let host: WebHost;
let ctx: AppContext;
const base = () => `http://127.0.0.1:${host.port}`;

async function call<T>(method: string, args: unknown = null, token = host.token): Promise<T> {
  const res = await fetch(`${base()}/api/call/${method}`, { method: 'POST', headers: { 'x-hemaseg-token': token }, body: encodeMessage(args) as BodyInit });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const body = decodeMessage<{ ok: boolean; value: T; error?: { message: string } }>(new Uint8Array(await res.arrayBuffer()));
  if (!body.ok) throw new Error(body.error!.message);
  return body.value;
}

beforeAll(async () => {
  process.env.HEMASEG_HOME = tempDir();
  ctx = new AppContext('web');
  host = await startWebHost(new ApiService(ctx));
});
afterAll(async () => {
  await host.close();
  ctx.close();
});

describe('web host', () => {
  it('listens on 127.0.0.1 and refuses requests without the token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect((await fetch(`${base()}/api/call/app.info`, { method: 'POST', body: encodeMessage(null) as BodyInit })).status).toBe(403);
    expect((await fetch(`${base()}/media/thumb/1`)).status).toBe(403);
    await expect(call('app.info', null, 'wrong-token-wrong-token-wrong-tok')).rejects.toThrow(/403/);
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`);
    await expect(new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); })).rejects.toThrow(/403/);
  });

  it('runs the API for real: open, import with progress events, list, save a correction, media', async () => {
    const info = await call<{ shell: string }>('app.info');
    expect(info.shell).toBe('web');
    const file = join(tempDir(), 'web.hemaseg');
    const opened = await call<{ path: string }>('project.open', { path: file, create: true });
    expect(opened.path).toBe(file);

    const events: ApiEvent[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events?token=${host.token}`);
    await new Promise((r) => ws.on('open', r));
    ws.on('message', (m) => events.push(JSON.parse(String(m)) as ApiEvent));

    const folder = tempDir();
    await makeImageFolder(folder, 5, { formats: ['bmp'] });
    const { jobId } = await call<{ jobId: string }>('import.start', { folder, convention: 'gray3' });
    let job: JobInfo | undefined;
    for (let i = 0; i < 100 && job?.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await call<JobInfo[]>('jobs.list')).find((j) => j.id === jobId);
    }
    expect(job?.status).toBe('done');
    expect((job?.result as ImportReport).imported).toBe(5);
    expect(events.some((e) => e.type === 'job' && e.job.id === jobId && e.job.status === 'done')).toBe(true);

    const images = await call<ImageSummary[]>('images.list', {});
    expect(images).toHaveLength(5);
    const img = images[0];
    const cur = await call<MaskVersionInfo>('masks.current', { imageId: img.id, kind: 'ground-truth' });
    const mask = await call<LabelMap>('masks.load', { versionId: cur.id });
    expect(mask.labels).toBeInstanceOf(Uint8Array);
    const edited = new Uint8Array(mask.labels);
    edited[0] = 2;
    const saved = await call<MaskVersionInfo>('masks.save', { imageId: img.id, parentId: cur.id, labels: edited });
    expect(saved.parentId).toBe(cur.id);
    expect(saved.source).toBe('hand-edited');
    const versions = await call<MaskVersionInfo[]>('masks.versions', { imageId: img.id });
    expect(versions.map((v) => v.id)).toEqual([saved.id, cur.id]);
    await expect(call('masks.save', { imageId: img.id, parentId: null, labels: new Uint8Array(3) })).rejects.toThrow(/label map has 3 pixels/);

    const thumb = await fetch(`${base()}/media/thumb/${img.id}?token=${host.token}`);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const overlay = await fetch(`${base()}/media/mask/${saved.id}?style=outline&token=${host.token}`);
    expect(overlay.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await overlay.arrayBuffer()).slice(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47]));
    ws.close();
  });

  it('reports unknown methods and bad arguments as errors, not crashes', async () => {
    await expect(call('no.such.method')).rejects.toThrow(/unknown API method/);
    await expect(call('images.update', { ids: [1], difficulty: 9 })).rejects.toThrow(/difficulty class must be 1-8/);
  });
});
