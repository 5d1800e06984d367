// Import N mutated files in one run and report the import process's peak memory:
//   npx tsx src/main/transfer/fuzz/run-fuzz.ts --count 1000 [--seed 1] [--keep]
// The files are generated first (in this process); the import then runs in a fresh child
// process, so the peak RSS it prints is the import's alone. Target: under 1 GB, no abort.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Project } from '../../project/project';
import { tempDir } from '../../testing/fixtures';
import { importFolder } from '../import-folder';
import { writeFuzzFolder } from './mutate';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};

async function importChild(project: string, dir: string): Promise<void> {
  const p = Project.open(project, { create: true });
  const t = performance.now();
  const r = await importFolder(p, dir, { maskConvention: 'auto' });
  const seconds = (performance.now() - t) / 1000;
  const integrity = p.db.pragma('integrity_check', { simple: true });
  p.close();
  // maxRSS is in kilobytes on Linux and macOS.
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ imported: r.imported, masks: r.masksImported, skipped: r.skipped.length, seconds, integrity, peakMb }));
}

async function main(): Promise<void> {
  if (process.argv.includes('--import-into')) {
    await importChild(arg('import-into', ''), arg('folder', ''));
    return;
  }
  const count = Number(arg('count', '1000'));
  const seed = Number(arg('seed', '1'));
  const dir = tempDir('hemaseg-fuzz-');
  const files = await writeFuzzFolder(dir, count, seed);
  const byKind = new Map<string, number>();
  for (const f of files) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  console.log(`generated ${files.length} files in ${dir}: ${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const project = join(tempDir(), 'fuzz.hemaseg');
  const child = spawnSync(process.execPath, ['--import', tsx, fileURLToPath(import.meta.url), '--import-into', project, '--folder', dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (child.status !== 0) {
    console.error(`import process failed (exit ${child.status}, signal ${child.signal}):\n${child.stderr.slice(-2000)}`);
    process.exitCode = 1;
  } else {
    const r = JSON.parse(child.stdout) as { imported: number; masks: number; skipped: number; seconds: number; integrity: string; peakMb: number };
    console.log(`imported ${r.imported} images and ${r.masks} masks, skipped ${r.skipped} files in ${r.seconds.toFixed(1)} s; integrity_check: ${r.integrity}`);
    console.log(`peak RSS of the import process: ${Math.round(r.peakMb)} MB (target < 1024 MB)`);
    if (r.peakMb >= 1024 || r.integrity !== 'ok') process.exitCode = 1;
  }
  if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
}

void main();
