// `npm test`: install what is missing, typecheck, lint, build, unit/integration tests,
// then the end-to-end tests in Chromium against the web host. Ends with one plain
// "N passed, N failed" line over all tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (label, cmd, args, env = {}) => {
  console.log(`\n[test] ${label}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status === 0;
};

if (!run('dependencies', process.execPath, [join(root, 'scripts/ensure-deps.mjs')])) process.exit(1);
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
  const good = run(s.label, bin('vitest'), ['run', '--config', s.config, '--reporter=default', '--reporter=json', `--outputFile.json=${s.out}`]);
  ok &&= good;
  if (existsSync(s.out)) {
    const r = JSON.parse(readFileSync(s.out, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    if (r.numTotalTests === 0) ok = false;
  } else {
    ok = false;
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
