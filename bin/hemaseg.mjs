#!/usr/bin/env node
// The `hemaseg` command: runs the built CLI (out/main/cli.js, from `npm run build`);
// in a checkout that was never built, runs the TypeScript sources through tsx instead.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'main', 'cli.js');
if (existsSync(built)) {
  createRequire(import.meta.url)(built);
} else {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/main/cli/index.ts'), ...process.argv.slice(2)], { stdio: 'inherit', cwd: process.cwd() });
  process.exit(r.status ?? 1);
}
