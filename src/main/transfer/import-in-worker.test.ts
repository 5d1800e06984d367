import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppContext } from '../api/app-context';
import { ApiService } from '../api/api-service';
import { nodeWorkerLauncher, setWorkerLauncher } from '../ml/worker/launcher';
import { Project } from '../project/project';
import type { ImportReport } from '../../shared/domain';
import { bombs, rle8Bmp } from './fuzz/make-files';
import { makeImageFolder, tempDir } from '../testing/fixtures';

afterEach(() => setWorkerLauncher(nodeWorkerLauncher));

describe('import in the web host and desktop', () => {
  it('import.start decodes in a worker process: a large file costs the worker, not the host', async () => {
    const dir = tempDir();
    await makeImageFolder(dir, 4, { formats: ['bmp', 'png'] });
    for (const [name, bytes] of Object.entries(await bombs(30000))) writeFileSync(join(dir, name), bytes);
    // Within the limit, so it is decoded: 6000x6000 from a 1 KB RLE file (~250 MB while decoding).
    const runs: number[] = [];
    for (let y = 0; y < 6000; y++) runs.push(...Array.from({ length: 24 }, () => [250, 7]).flat(), 0, 0);
    writeFileSync(join(dir, 'large-rle.bmp'), rle8Bmp(6000, 6000, Uint8Array.from([...runs, 0, 1])));

    const file = join(tempDir(), 'p.hemaseg');
    Project.open(file, { create: true }).close();
    process.env.HEMASEG_HOME ??= tempDir();
    const pids: (number | undefined)[] = [];
    setWorkerLauncher((script, env) => {
      const w = nodeWorkerLauncher(script, env);
      pids.push(w.pid);
      return w;
    });
    const ctx = new AppContext('web');
    const api = new ApiService(ctx);
    ctx.open(file);
    global.gc?.();
    const before = process.memoryUsage().rss;
    const started = await api.call('import.start', { folder: dir, convention: 'gray3' });
    expect(started.ok).toBe(true);
    await ctx.jobs.settle();
    const job = ctx.jobs.list().find((j) => j.kind === 'import')!;
    expect(job.error).toBeNull();
    expect(job.status).toBe('done');
    const report = job.result as ImportReport;
    expect(report.imported).toBe(5);
    expect(report.skipped.filter((s) => /declares 30000x30000/.test(s.reason))).toHaveLength(5);
    expect(pids).toHaveLength(1);
    expect(pids[0]).not.toBe(process.pid);
    expect(process.memoryUsage().rss - before).toBeLessThan(120e6);
    expect(ctx.requireProject().images.count()).toBe(5);
    ctx.close();
  });
});
