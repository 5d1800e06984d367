// Installs what a fresh clone is missing before `npm start` / `npm test`, so those two
// commands are all a user needs. Electron's binary and libtensorflow cannot be downloaded
// everywhere: the install is retried without them and the user is told what that means.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const log = (m) => console.error(`[hemaseg] ${m}`);

function depsUsable() {
  const lock = join(root, 'package-lock.json');
  const stamp = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(stamp)) return false;
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(stamp).mtimeMs + 1000) return false;
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    require('sharp');
    require.resolve('electron-vite/package.json');
    require.resolve('vitest/package.json');
    return true;
  } catch {
    return false;
  }
}

function npmInstall(env) {
  const args = existsSync(join(root, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund'];
  return spawnSync('npm', args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
}

if (!depsUsable()) {
  log('installing dependencies (first run)…');
  let ok = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD ? false : npmInstall({});
  if (!ok) {
    log("retrying without Electron's binary download (ELECTRON_SKIP_BINARY_DOWNLOAD=1)…");
    ok = npmInstall({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' });
    if (ok) log('Electron is not available on this machine: the desktop window cannot open; the browser UI (`npm start`) and the `hemaseg` CLI work fully.');
  }
  if (!ok || !depsUsable()) {
    log('dependency installation failed; see the npm output above.');
    process.exit(1);
  }
}

let tfNative = false;
try {
  require.resolve('@tensorflow/tfjs-node');
  tfNative = true;
} catch {
  tfNative = false;
}
if (!tfNative && !existsSync(join(root, 'node_modules', '.hemaseg-tf-notice'))) {
  log('native TensorFlow (@tensorflow/tfjs-node) is not installed here (libtensorflow could not be downloaded); the wasm backend is used.');
}

