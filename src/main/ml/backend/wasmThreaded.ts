// A multi-threaded wasm backend for Node.
//
// Why: tfjs-backend-wasm refuses threads in Node (flag WASM_HAS_MULTITHREAD_SUPPORT is false
// there, tfjs issue 3830) although the shipped threaded-SIMD build runs fine on Node's
// worker_threads. XNNPACK's convolutions then use a pthreadpool, which nearly halves conv time
// on 2 cores. We instantiate that build ourselves and hand the module to tfjs's own
// BackendWasm class, so every stock wasm kernel (and ours) works unchanged.
//
// Three details make it work in Node:
//  - the pthread worker script ships as a JS string; we write it to a temp file because
//    Node's Worker cannot load blob: URLs;
//  - the C++ side caps the pool at `logical cores / 2` (it assumes hyper-threading), so we
//    report twice the wanted thread count through the `emscripten_num_logical_cores` import;
//  - the pthread workers are unref'd, otherwise an idle pool keeps the process alive forever.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type WasmModule = BackendWasm['wasm'];

interface NodeWorkerLike {
  unref(): void;
}
interface PThreadLike {
  runningWorkers?: NodeWorkerLike[];
  unusedWorkers?: NodeWorkerLike[];
}
interface EmscriptenImports {
  env: Record<string, unknown>;
}
interface FactoryConfig {
  mainScriptUrlOrBlob: string;
  locateFile(path: string, prefix: string): string;
  instantiateWasm(
    info: EmscriptenImports,
    receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  ): object;
}
type Factory = (config: FactoryConfig) => Promise<WasmModule>;

function packageDir(): string {
  const req = createRequire(import.meta.url);
  return dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
}

/** Writes the pthread worker script once per package version and returns its path. */
function workerScriptPath(pkgDir: string, contents: string): string {
  const version = (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const dir = join(tmpdir(), 'hemaseg-tfjs-wasm');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `threaded-simd-worker-${version}.cjs`);
  // The string holds literal "\n" escapes that must stay escapes (tfjs does the same).
  const script = contents.replace(/\n/g, '\\n');
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // not written yet
  }
  if (current !== script) {
    // Write-then-rename so concurrent processes never load a half-written script.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, script);
    renameSync(tmp, file);
  }
  return file;
}

/**
 * Instantiates tfjs-backend-wasm's threaded SIMD build with `threads` XNNPACK threads.
 * Resolves to a module ready for `new BackendWasm(module)` (after `setThreadsCount`).
 */
export async function loadThreadedWasmModule(threads: number, wasmDir: string): Promise<WasmModule> {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') {
    throw new Error('SharedArrayBuffer/Atomics unavailable');
  }
  const pkgDir = packageDir();
  const req = createRequire(import.meta.url);
  const mainJs = join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js');
  const factory = req(mainJs) as Factory;
  const { wasmWorkerContents } = req(join(pkgDir, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  const workerFile = workerScriptPath(pkgDir, wasmWorkerContents);
  const wasmFile = join(wasmDir, 'tfjs-backend-wasm-threaded-simd.wasm');
  const binary = readFileSync(wasmFile);

  const before = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  let failInstantiate: (e: unknown) => void = () => undefined;
  const instantiateFailed = new Promise<never>((_, reject) => {
    failInstantiate = reject;
  });
  const factoryDone = factory({
    mainScriptUrlOrBlob: mainJs,
    locateFile: (path, prefix) => {
      if (path.endsWith('.worker.js')) return workerFile;
      if (path.endsWith('.wasm')) return wasmFile;
      return prefix + path;
    },
    instantiateWasm: (info, receive) => {
      // The pool size is min(requested, logical_cores / 2); report 2x so `threads` is honoured.
      info.env.emscripten_num_logical_cores = () => 2 * threads;
      WebAssembly.instantiate(binary, info as unknown as WebAssembly.Imports).then(
        (r) => receive(r.instance, r.module),
        (e: unknown) => failInstantiate(e),
      );
      return {};
    },
  });
  let module: WasmModule;
  try {
    module = await Promise.race([factoryDone, instantiateFailed]);
  } finally {
    removeEmscriptenProcessHandlers(before);
  }
  // The same JS <-> wasm bridge tfjs's own init() attaches.
  const em = module as unknown as { cwrap(name: string, ret: string | null, args: string[]): never };
  const cwrap = em.cwrap.bind(em);
  module.tfjs = {
    init: cwrap('init', null, []),
    initWithThreadsCount: cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: cwrap('get_threads_count', 'number', []),
    registerTensor: cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: cwrap('dispose_data', null, ['number']),
    dispose: cwrap('dispose', null, []),
  };
  return module;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';

/**
 * Emscripten's Node glue installs process handlers that rethrow every uncaught exception and
 * unhandled rejection from inside the (minified, one-line) module, so any unrelated error
 * prints megabytes of wasm glue and exits. The application decides that, not the backend.
 */
export function removeEmscriptenProcessHandlers(before: Record<ProcessEvent, unknown[]>): void {
  for (const l of process.listeners('uncaughtException')) {
    if (!before.uncaughtException.includes(l)) process.removeListener('uncaughtException', l);
  }
  for (const l of process.listeners('unhandledRejection')) {
    if (!before.unhandledRejection.includes(l)) process.removeListener('unhandledRejection', l);
  }
}

/** Lets the process exit while the (idle, blocked) pthread pool still exists. */
export function unrefPthreadWorkers(module: WasmModule): void {
  const pthread = (module as unknown as { PThread?: PThreadLike }).PThread;
  if (!pthread) return;
  for (const w of [...(pthread.runningWorkers ?? []), ...(pthread.unusedWorkers ?? [])]) w.unref();
}
