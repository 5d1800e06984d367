// One lint setup for the whole tree: typescript-eslint's recommended rules, plus the
// architecture rules that keep the core/shell split honest.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

// ml/ by process side. These modules run only in the ML worker (TensorFlow.js, kernels, the
// training loop, the probability engines); everything else under src/main is main-side code
// (API, CLI, registry, family descriptions, job launching) and must not import them, or the
// UI/API process would load the engine. Type-only imports are fine (they vanish at build).
// A family's network/ folder is worker side; its index.ts may load it with import() in
// ModelFamily.network(), which only the worker calls.
const WORKER_ONLY = [
  'src/main/ml/backend/**',
  'src/main/ml/kernels/**',
  'src/main/ml/model/**',
  'src/main/ml/bench/**',
  'src/main/ml/families/*/network/**',
  'src/main/ml/training/{network,model-state,trainer,train-job}.ts',
  'src/main/ml/training/clip/{tf-clip-network,clip-trainer,clip-train-job,clip-data}.ts',
  'src/main/ml/inference/stream-segment.ts',
  'src/main/ml/inference/{segment-job,tfjs-engine,predictor,engine-choice,pipeline}.ts',
  'src/main/ml/onnx/{ort-engine,ort-thread-engine}.ts',
  'src/main/ml/serving/kserve-client.ts',
  'src/main/ml/worker/entry.ts',
];
const WORKER_PACKAGES = [/^@tensorflow\//, /^onnxruntime-node$/];
/** Main-side files that load a worker module on demand with import() (never at start-up). */
const DYNAMIC_IMPORT_ALLOWED = ['src/main/ml/families/*/index.ts', 'src/main/cli/commands/bench-command.ts'];
/** Tests, test support and tools may import anything. */
const NOT_MAIN_SIDE = ['src/main/**/*.test.ts', 'src/main/**/*.fixture.ts', 'src/main/**/*.child.ts', 'src/main/testing/**', 'src/main/**/tools/**', 'src/main/ml/worker/test-project.ts', 'src/main/ml/serving/kserve-test-server.ts'];

function globToRegExp(glob) {
  const re = glob
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}]*)\}/g, (_, alts) => `(${alts.split(',').join('|')})`)
    .replace(/\*\*\/?/g, '@@')
    .replace(/\*/g, '[^/]*')
    .replace(/@@/g, '.*');
  return new RegExp(`^${re}$`);
}
const matcher = (globs) => {
  const res = globs.map(globToRegExp);
  return (file) => res.some((r) => r.test(file));
};
const isWorkerOnly = matcher(WORKER_ONLY);
const dynamicAllowed = matcher(DYNAMIC_IMPORT_ALLOWED);

/** The repository-relative file a relative import names (with .ts / index.ts resolution). */
function resolveImport(fromFile, source) {
  if (!source.startsWith('.')) return null;
  const base = resolve(dirname(fromFile), source);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (/\.tsx?$/.test(candidate) && existsSync(candidate)) return relative(process.cwd(), candidate).split('\\').join('/');
  }
  return relative(process.cwd(), `${base}.ts`).split('\\').join('/');
}

const workerSideRule = {
  meta: { type: 'problem', schema: [], messages: { worker: "'{{source}}' runs only in the ML worker (TensorFlow.js / engines); main-side code must not import it (see README, Architecture: ml/ by process side)." } },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const check = (node, source, dynamic) => {
      if (typeof source !== 'string') return;
      if (dynamic && dynamicAllowed(relative(process.cwd(), file).split('\\').join('/'))) return;
      const target = resolveImport(file, source);
      if ((target && isWorkerOnly(target)) || WORKER_PACKAGES.some((r) => r.test(source))) context.report({ node, messageId: 'worker', data: { source } });
    };
    return {
      ImportDeclaration(node) {
        if (node.importKind !== 'type') check(node, node.source.value, false);
      },
      ExportNamedDeclaration(node) {
        if (node.source && node.exportKind !== 'type') check(node, node.source.value, false);
      },
      ExportAllDeclaration(node) {
        if (node.exportKind !== 'type') check(node, node.source.value, false);
      },
      ImportExpression(node) {
        if (node.source.type === 'Literal') check(node, node.source.value, true);
      },
    };
  },
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'resources/**', 'e2e-artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly',
        window: 'readonly', document: 'readonly', performance: 'readonly', fetch: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Services never import Electron; only the shell folder may.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only src/main/electron may import electron.' }] }],
    },
  },
  {
    // ml/ by process side: main-side code never imports worker-only modules (WORKER_ONLY above).
    files: ['src/main/**/*.ts'],
    ignores: [...WORKER_ONLY, ...NOT_MAIN_SIDE],
    plugins: { hemaseg: { rules: { 'main-side-imports': workerSideRule } } },
    rules: { 'hemaseg/main-side-imports': 'error' },
  },
  {
    // The contract and the domain core are imported by main, worker and renderer alike:
    // pure TypeScript, no Node, no Electron, no main- or renderer-side code.
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'fs', 'path', 'os', 'child_process', 'better-sqlite3', 'sharp', 'react'],
        patterns: ['node:*', '**/main/**', '**/renderer/**', '**/preload/**'],
      }],
    },
  },
  {
    // The renderer knows only the API contract: no Node built-ins, no main-side code.
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['electron', 'fs', 'path', 'child_process', 'better-sqlite3', 'sharp'],
        patterns: ['node:*', '**/main/**'],
      }],
    },
  },
);
