// The desktop's API runs in its own process; the main process only relays. This drives the
// real entry (the same file the utility process runs) as a Node child process through the
// relay the shell uses, so what cannot run here (Electron's binary) is only the transport.
import { afterAll, describe, expect, it } from 'vitest';
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiRelay } from './api-relay';
import { childProcessPort } from './ports';
import { resolveApiScript } from './api-script';
import { Project } from '../../project/project';
import { makeImageFolder, tempDir } from '../../testing/fixtures';
import type { ApiEvent, JobInfo } from '../../../shared/api';
import type { ImageSummary, LabelMap, MaskVersionInfo } from '../../../shared/domain';

function start(project: string): { relay: ApiRelay; child: ReturnType<typeof fork> } {
  const script = resolveApiScript();
  const child = fork(script.entry, [project], {
    execArgv: script.execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: { ...process.env, HEMASEG_HOME: tempDir() },
  });
  return { relay: new ApiRelay(childProcessPort(child)), child };
}

async function value<T>(relay: ApiRelay, method: string, args: unknown = null): Promise<T> {
  const r = await relay.call(method, args);
  if (!r.ok) throw new Error(r.error.message);
  return r.value as T;
}

const started: ReturnType<typeof fork>[] = [];
afterAll(() => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('API process relay', () => {
  it('relays calls, typed arrays, media and events; shuts down with the WAL checkpointed', async () => {
    const file = join(tempDir(), 'desk.hemaseg');
    Project.open(file, { create: true }).close();
    const { relay, child } = start(file);
    started.push(child);
    expect(await relay.ready).toEqual({ project: file, error: null });
    expect((await value<{ shell: string }>(relay, 'app.info')).shell).toBe('electron');
    expect(child.pid).not.toBe(process.pid);

    const events: ApiEvent[] = [];
    relay.onEvent((e) => events.push(e));
    const folder = tempDir();
    await makeImageFolder(folder, 3, { formats: ['png'] });
    const { jobId } = await value<{ jobId: string }>(relay, 'import.start', { folder, convention: 'gray3' });
    let job: JobInfo | undefined;
    for (let i = 0; i < 200 && job?.status !== 'done'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      job = (await value<JobInfo[]>(relay, 'jobs.list')).find((j) => j.id === jobId);
    }
    expect(job?.status).toBe('done');
    expect(events.some((e) => e.type === 'job' && e.job.id === jobId && e.job.status === 'done')).toBe(true);

    const img = (await value<ImageSummary[]>(relay, 'images.list', {}))[0];
    const cur = await value<MaskVersionInfo>(relay, 'masks.current', { imageId: img.id, kind: 'ground-truth' });
    const mask = await value<LabelMap>(relay, 'masks.load', { versionId: cur.id });
    expect(mask.labels).toBeInstanceOf(Uint8Array);
    expect(mask.labels.length).toBe(img.width * img.height);

    const thumb = await relay.media(`thumb/${img.id}`);
    expect(thumb.status).toBe(200);
    expect(thumb.contentType).toBe('image/jpeg');
    expect(thumb.body).toBeInstanceOf(Uint8Array);
    expect((await relay.media('thumb/99999')).status).toBe(404);

    const bad = await relay.call('no.such.method', null);
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/unknown API method/) } });

    await relay.shutdown();
    expect(child.exitCode).toBe(0);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('answers waiting and later calls with a clear error when the API process dies', async () => {
    const file = join(tempDir(), 'crash.hemaseg');
    Project.open(file, { create: true }).close();
    const { relay, child } = start(file);
    started.push(child);
    await relay.ready;
    // A call in flight when the process is killed must not hang the window.
    const inFlight = relay.call('images.list', {});
    child.kill('SIGKILL');
    const r = await inFlight;
    expect(r.ok).toBe(false);
    expect(relay.alive).toBe(false);
    const later = await relay.call('app.info', null);
    expect(later).toMatchObject({ ok: false, error: { message: expect.stringMatching(/API process exited/) } });
    expect((await relay.media('thumb/1')).status).toBe(503);
  });

  it('reports a project it cannot open as ready-with-error, and keeps serving', async () => {
    const { relay, child } = start(join(tempDir(), 'missing.hemaseg'));
    started.push(child);
    const ready = await relay.ready;
    expect(ready.project).toBeNull();
    expect(ready.error).toMatch(/no such project file/);
    expect(await value(relay, 'project.current')).toBeNull();
    await relay.shutdown();
  });
});
