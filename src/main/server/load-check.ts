// Load check for the web host: N concurrent API readers while a batch segmentation writes
// to the same project (the ML worker process writes masks; the host reads). The host runs
// as `hemaseg serve` in its own process, as a user starts it, so the readers here do not
// share its event loop. Prints latency percentiles; the target is p95 < 200 ms with 50 readers.
//
//   npx tsx src/main/server/load-check.ts [--images 200] [--readers 50] [--size 120] [--model active-contour]
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { decodeMessage, encodeMessage } from '../../shared/wire';
import { importFolder } from '../transfer/import-folder';
import { Project } from '../project/project';
import { makeImageFolder, tempDir } from '../testing/fixtures';
import type { ImageSummary } from '../../shared/domain';
import type { JobInfo } from '../../shared/api';

const arg = (name: string, dflt: number | string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : String(dflt);
};
const IMAGES = Number(arg('images', 200));
const READERS = Number(arg('readers', 50));
const SIZE = Number(arg('size', 120));
const MODEL = arg('model', 'active-contour');

function pct(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

async function main(): Promise<void> {
  process.env.HEMASEG_HOME = tempDir();
  const file = join(tempDir(), 'load.hemaseg');
  const folder = tempDir();
  await makeImageFolder(folder, IMAGES, { size: SIZE, formats: ['png', 'bmp'] });
  const seed = Project.open(file, { create: true });
  await importFolder(seed, folder, { maskConvention: 'gray3' });
  seed.close();

  const child = spawn(process.execPath, ['--import', 'tsx', resolve(__dirname, '../cli/index.ts'), 'serve', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<URL>((done, fail) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = out.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/);
      if (m) done(new URL(m[0]));
    });
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}: ${out}`)));
  });
  const origin = url.origin;
  const host = { token: url.searchParams.get('token') ?? '' };
  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const res = await fetch(`${origin}/api/call/${method}`, { method: 'POST', headers: { 'x-hemaseg-token': host.token }, body: encodeMessage(args) as BodyInit });
    const body = decodeMessage<{ ok: boolean; value: T; error?: { message: string } }>(new Uint8Array(await res.arrayBuffer()));
    if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
    return body.value;
  };
  const ids = (await call<ImageSummary[]>('images.list', {})).map((i) => i.id);

  const { jobId } = await call<{ jobId: string }>('segment.start', { model: MODEL, target: { kind: 'project', images: 'all' }, threshold: 0.5 });
  let running = true;
  const latencies: Record<string, number[]> = { 'images.list': [], 'masks.current': [], 'media thumb': [] };
  let errors = 0;
  const errorKinds = new Map<string, number>();
  const reader = async (r: number): Promise<void> => {
    for (let k = r; running; k++) {
      const id = ids[k % ids.length];
      const which = k % 3;
      const t0 = performance.now();
      try {
        if (which === 0) await call('images.list', {});
        else if (which === 1) await call('masks.current', { imageId: id, kind: 'ground-truth' });
        else {
          const res = await fetch(`${origin}/media/thumb/${id}`, { headers: { 'x-hemaseg-token': host.token } });
          await res.arrayBuffer();
          if (res.status !== 200) throw new Error(`media thumb: HTTP ${res.status}`);
        }
      } catch (err) {
        errors++;
        const m = (err as Error).message + ((err as { cause?: Error }).cause ? ` (${(err as { cause?: Error }).cause?.message})` : '');
        errorKinds.set(m, (errorKinds.get(m) ?? 0) + 1);
      }
      latencies[['images.list', 'masks.current', 'media thumb'][which]].push(performance.now() - t0);
    }
  };
  const started = performance.now();
  const readers = Array.from({ length: READERS }, (_, r) => reader(r));
  let job: JobInfo | undefined;
  while (!job || job.status === 'running') {
    await new Promise((r) => setTimeout(r, 250));
    job = (await call<JobInfo[]>('jobs.list', null)).find((j) => j.id === jobId);
  }
  running = false;
  await Promise.all(readers);
  const seconds = (performance.now() - started) / 1000;

  const all = Object.values(latencies).flat().sort((a, b) => a - b);
  console.log(`segmentation (${MODEL}) of ${IMAGES} ${SIZE}px images: ${job.status}${job.error ? ` (${job.error})` : ''} in ${seconds.toFixed(1)} s`);
  console.log(`${READERS} concurrent readers: ${all.length} requests (${(all.length / seconds).toFixed(0)}/s), ${errors} errors`);
  for (const [m, n] of errorKinds) console.log(`  error x${n}: ${m.slice(0, 200)}`);
  for (const [name, l] of Object.entries(latencies)) {
    const s = [...l].sort((a, b) => a - b);
    console.log(`  ${name.padEnd(14)} n=${String(s.length).padStart(6)}  p50 ${pct(s, 50).toFixed(1)} ms  p95 ${pct(s, 95).toFixed(1)} ms  max ${s[s.length - 1]?.toFixed(1)} ms`);
  }
  console.log(`  ${'all'.padEnd(14)} n=${String(all.length).padStart(6)}  p50 ${pct(all, 50).toFixed(1)} ms  p95 ${pct(all, 95).toFixed(1)} ms  max ${all[all.length - 1]?.toFixed(1)} ms  (target p95 < 200 ms)`);
  child.kill('SIGTERM');
  process.exit(job.status === 'done' && errors === 0 ? 0 : 1);
}

void main();
