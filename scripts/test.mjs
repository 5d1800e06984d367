// `npm test`: install what is missing, typecheck, lint, build, unit/integration tests,
// then the end-to-end tests in Chromium against the web host. Ends with one plain
// "N passed, N failed" line over all tests; a suite that crashes or cannot start counts as
// failed there.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countSuite } from './test-summary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (label, cmd, args, env = {}) => {
  console.log(`\n[test] ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};

/**
 * The e2e tests drive Debian's Chromium (e2e/harness.ts). Install it when it is missing
 * and we can (root with apt-get); otherwise say exactly what to do.
 */
function ensureChromium() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (existsSync(path)) return true;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!process.env.CHROMIUM_PATH && isRoot && hasApt) {
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    if (run("installing Debian's chromium for the end-to-end tests", 'apt-get', ['update', '-qq'], env)) {
      run('apt-get install chromium', 'apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], env);
    }
    if (existsSync(path)) return true;
  }
  console.error(
    `\n[test] Chromium was not found at ${path} and could not be installed${isRoot ? (hasApt ? ' (apt-get failed; see above)' : ' (no apt-get here)') : ' (installing needs root)'}.\n` +
      '       The end-to-end tests need it. Install it (Debian/Ubuntu: `sudo apt-get install chromium`)\n' +
      '       or point CHROMIUM_PATH at a Chromium/Chrome binary, then run `npm test` again.',
  );
  return false;
}

if (!run('dependencies', process.execPath, [join(root, 'scripts/ensure-deps.mjs')])) process.exit(1);
// Before the long steps: a machine that cannot run the e2e suite stops here with the reason.
if (!ensureChromium()) process.exit(1);
if (!run('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'])) process.exit(1);
if (!run('lint', bin('eslint'), ['src', 'e2e', 'scripts', 'bin'])) process.exit(1);
if (!run('build', bin('electron-vite'), ['build'])) process.exit(1);

const reports = join(root, 'out', 'test-results');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });
const suites = [
  { label: 'unit and integration tests', config: 'vitest.config.mts', out: join(reports, 'unit.json') },
  { label: 'end-to-end tests (Chromium, web host)', config: 'e2e/vitest.e2e.config.mts', out: join(reports, 'e2e.json') },
];
let passed = 0;
let failed = 0;
let ok = true;
for (const s of suites) {
  const exitOk = run(s.label, bin('vitest'), ['run', '--config', s.config, '--reporter=default', '--reporter=json', `--outputFile.json=${s.out}`]);
  let report = null;
  try {
    if (existsSync(s.out)) report = JSON.parse(readFileSync(s.out, 'utf8'));
  } catch {
    report = null;
  }
  const c = countSuite({ exitOk, report });
  if (!c.ok) console.error(`[test] ${s.label}: ${report ? 'failed' : 'crashed or did not start (no report)'}`);
  passed += c.passed;
  failed += c.failed;
  ok &&= c.ok;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
