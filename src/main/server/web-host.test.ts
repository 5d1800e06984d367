import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { spawn } from 'node:child_process';
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

/** A raw request with full control of Host, Origin, Cookie and Sec-Fetch-* (as a browser would send them). */
function raw(path: string, o: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {}): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Open the events socket with the given headers; resolves 'open' or the refusal's HTTP status. */
function openSocket(query: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events${query}`, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    ws.on('error', (err) => resolve(err.message));
  });
}

beforeAll(async () => {
  process.env.HEMASEG_HOME = tempDir();
  // A stand-in renderer so the host serves index.html and sets its cookie.
  const renderer = tempDir();
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>HemaSeg</title>');
  process.env.HEMASEG_RENDERER_DIR = renderer;
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
    expect((await fetch(`${base()}/`)).status).toBe(403);
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

    const thumb = await fetch(`${base()}/media/thumb/${img.id}`, { headers: { 'x-hemaseg-token': host.token } });
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    const overlay = await fetch(`${base()}/media/mask/${saved.id}?style=outline`, { headers: { 'x-hemaseg-token': host.token } });
    expect(overlay.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await overlay.arrayBuffer()).slice(1, 4)).toEqual(new Uint8Array([0x50, 0x4e, 0x47]));
    ws.close();
  });

  it('reports unknown methods and bad arguments as errors, not crashes', async () => {
    await expect(call('no.such.method')).rejects.toThrow(/unknown API method/);
    await expect(call('images.update', { ids: [1], difficulty: 9 })).rejects.toThrow(/difficulty class must be 1-8/);
  });
});

describe('web host against other local pages (the attacker is a page on another 127.0.0.1 port)', () => {
  const evil = 'http://127.0.0.1:1'; // any other port: same site, other origin
  let cookie = '';
  let imageId = 0;

  beforeAll(async () => {
    // The user opened the printed URL: the page got its cookie.
    const first = await raw(`/?token=${host.token}`, { headers: { host: `127.0.0.1:${host.port}`, 'sec-fetch-site': 'none' } });
    expect(first.status).toBe(200);
    const set = String(first.headers['set-cookie']);
    expect(set).toMatch(new RegExp(`^hemaseg_media_${host.port}=`));
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).not.toContain(host.token);
    cookie = set.split(';')[0];
    await call('project.open', { path: join(tempDir(), 'attacked.hemaseg'), create: true });
    const folder = tempDir();
    await makeImageFolder(folder, 1, { formats: ['png'] });
    const { jobId } = await call<{ jobId: string }>('import.start', { folder, convention: 'gray3' });
    for (let i = 0; i < 100; i++) {
      const job = (await call<JobInfo[]>('jobs.list')).find((j) => j.id === jobId);
      if (job?.status === 'done') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    imageId = (await call<ImageSummary[]>('images.list', {}))[0].id;
  });

  const hostHeader = (): Record<string, string> => ({ host: `127.0.0.1:${host.port}` });

  it('refuses a no-cors POST from another origin carrying the cookie, and changes nothing', async () => {
    const before = (await call<ImageSummary[]>('images.list', {}))[0].difficulty;
    const res = await raw('/api/call/images.update', {
      method: 'POST',
      headers: { ...hostHeader(), origin: evil, cookie, 'content-type': 'text/plain', 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'no-cors' },
      body: encodeMessage({ ids: [imageId], difficulty: 7 }),
    });
    expect(res.status).toBe(403);
    expect((await call<ImageSummary[]>('images.list', {}))[0].difficulty).toBe(before);
  });

  it('authenticates API calls by the header token only: the cookie alone is refused, even from our own origin', async () => {
    const own = `http://127.0.0.1:${host.port}`;
    const body = encodeMessage(null);
    expect((await raw('/api/call/app.info', { method: 'POST', headers: { ...hostHeader(), origin: own, cookie }, body })).status).toBe(403);
    expect((await raw('/api/call/app.info', { method: 'POST', headers: { ...hostHeader(), origin: own, 'x-hemaseg-token': host.token }, body })).status).toBe(200);
    // A leaked token does not help another origin either.
    expect((await raw('/api/call/app.info', { method: 'POST', headers: { ...hostHeader(), origin: evil, 'x-hemaseg-token': host.token }, body })).status).toBe(403);
    expect((await raw('/api/call/app.info', { method: 'POST', headers: { ...hostHeader(), 'sec-fetch-site': 'same-site', 'x-hemaseg-token': host.token }, body })).status).toBe(403);
    // DNS rebinding: a foreign Host name is refused even with the token.
    expect((await raw('/api/call/app.info', { method: 'POST', headers: { host: `evil.example:${host.port}`, 'x-hemaseg-token': host.token }, body })).status).toBe(403);
  });

  it('serves media to our own page by cookie, refuses it to other pages and to a token in the URL', async () => {
    const path = `/media/thumb/${imageId}`;
    const ok = await raw(path, { headers: { ...hostHeader(), cookie, 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'image' } });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('image/jpeg');
    // <img> on another port: same-site, with the cookie.
    expect((await raw(path, { headers: { ...hostHeader(), cookie, 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'image' } })).status).toBe(403);
    // fetch() from another origin sends Origin.
    expect((await raw(path, { headers: { ...hostHeader(), cookie, origin: evil, 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    // The cookie without fetch metadata (not a browser's own page) is not enough.
    expect((await raw(path, { headers: { ...hostHeader(), cookie } })).status).toBe(403);
    // The API token in the URL no longer opens media.
    expect((await raw(`${path}?token=${host.token}`, { headers: hostHeader() })).status).toBe(403);
  });

  it('refuses the event socket to other origins and to the cookie alone', async () => {
    expect(await openSocket('', { origin: evil, cookie })).toBe('403');
    expect(await openSocket(`?token=${host.token}`, { origin: evil })).toBe('403');
    expect(await openSocket('', { origin: `http://127.0.0.1:${host.port}`, cookie })).toBe('403');
    expect(await openSocket(`?token=${host.token}`, { origin: `http://127.0.0.1:${host.port}` })).toBe('open');
  });

  it('sends nosniff and no-referrer on every response, refusals included', async () => {
    const responses = [
      await raw('/', { headers: { ...hostHeader(), cookie, 'sec-fetch-site': 'none' } }),
      await raw('/', { headers: hostHeader() }),
      await raw(`/media/thumb/${imageId}`, { headers: { ...hostHeader(), 'x-hemaseg-token': host.token } }),
      await raw('/api/call/app.info', { method: 'POST', headers: { ...hostHeader(), 'x-hemaseg-token': host.token }, body: encodeMessage(null) }),
      await raw('/api/call/app.info', { method: 'POST', headers: { ...hostHeader(), origin: evil } }),
      await raw('/no-such-file.js', { headers: { ...hostHeader(), 'x-hemaseg-token': host.token } }),
    ];
    expect(responses.map((r) => r.status)).toEqual([200, 403, 200, 200, 403, 404]);
    for (const r of responses) {
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('`hemaseg serve --port 0` picks a free port and prints the URL it really listens on', async () => {
    const project = join(tempDir(), 'p0.hemaseg');
    await call('project.open', { path: project, create: true });
    const cli = join(__dirname, '..', 'cli', 'index.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', project, '--port', '0'], { env: { ...process.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 60_000);
        const take = (d: Buffer): void => {
          out += d.toString();
          const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\/\?token=[\w-]+/);
          if (m) {
            clearTimeout(timer);
            resolve(m[0]);
          }
        };
        child.stdout.on('data', take);
        child.stderr.on('data', take);
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
      });
      const u = new URL(url);
      expect(Number(u.port)).toBeGreaterThan(0);
      const res = await fetch(`${u.origin}/api/call/app.info`, { method: 'POST', headers: { 'x-hemaseg-token': u.searchParams.get('token')! }, body: encodeMessage(null) as BodyInit });
      expect(res.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
