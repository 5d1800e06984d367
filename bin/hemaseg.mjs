#!/usr/bin/env node
// The `hemaseg` command: runs the built CLI (out/main/cli.js). In a source checkout it
// first rebuilds when a source file is newer than the build, so it never runs stale code.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'out', 'main', 'cli.js');
if (existsSync(join(root, 'src')) && existsSync(join(root, 'node_modules', 'electron-vite'))) {
  const { buildIfStale } = await import('../scripts/build-if-stale.mjs');
  buildIfStale();
}
if (!existsSync(built)) {
  console.error('hemaseg: the CLI is not built; run `npm run build` (or `npm start`) first');
  process.exit(1);
}
createRequire(import.meta.url)(built);
