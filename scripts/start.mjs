// `npm start`: the desktop app when Electron's binary is installed and a display exists;
// otherwise the local web host in a browser. With no project given, the sample project.
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);

buildIfStale();

let electronBinary = null;
try {
  const p = require('electron');
  if (typeof p === 'string' && existsSync(p)) electronBinary = p;
} catch {
  electronBinary = null;
}

const hasDisplay = process.platform !== 'linux' || !!process.env.DISPLAY || !!process.env.WAYLAND_DISPLAY;
if (electronBinary && hasDisplay && !process.env.HEMASEG_WEB) {
  const child = spawn(electronBinary, [root, ...args], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!electronBinary) console.error('[hemaseg] Electron is not installed on this machine: starting the browser UI instead.');
  const child = spawn(process.execPath, [join(root, 'bin', 'hemaseg.mjs'), 'serve', ...args, '--open'], { stdio: 'inherit' });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}
