// Rebuilds out/ when any source is newer than the last build, so `npm start` never runs stale code.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function buildIfStale() {
  const marker = join(root, 'out', 'main', 'cli.js');
  const stale = !existsSync(marker) || newest(join(root, 'src')) > statSync(marker).mtimeMs;
  if (!stale) return;
  console.error('[hemaseg] building…');
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) {
    console.error('[hemaseg] build failed');
    process.exit(1);
  }
}
