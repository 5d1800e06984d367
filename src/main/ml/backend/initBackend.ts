// Picks and initialises the TensorFlow.js backend for this process: native TF (tfjs-node,
// an optional dependency) when it loads, else wasm (SIMD; multi-threaded in Node when the
// threaded build starts), else the pure-JS cpu backend. The project's training kernels for
// wasm are registered before the wasm backend is first set up, so their setup functions run.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { BackendWasm, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Backend } from '../../../shared/domain';
import { registerProjectKernels } from '../kernels/registerWasmKernels';
import { wasmBinariesPresent, wasmBinaryDir } from './wasmPaths';
import { loadThreadedWasmModule, removeEmscriptenProcessHandlers, unrefPthreadWorkers } from './wasmThreaded';

export type BackendName = Backend;

export interface BackendInfo {
  backend: BackendName;
  /** Human-readable description for logs, the status bar and run metadata. */
  detail: string;
}

export interface InitBackendOptions {
  /**
   * wasm threads (XNNPACK pthreadpool). Default: env HEMASEG_WASM_THREADS, else the number of
   * CPUs (max 8). 1 uses the stock single-threaded SIMD build.
   */
  wasmThreads?: number;
}

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let current: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;
let wasmPrepared: Promise<string> | null = null;

/**
 * Initialises the best available backend, starting at `prefer` (default: env HEMASEG_BACKEND,
 * else 'tensorflow') and falling back in the order tensorflow > wasm > cpu. Idempotent: a
 * second call with the same preference returns the active backend.
 */
export function initBackend(prefer?: BackendName, options: InitBackendOptions = {}): Promise<BackendInfo> {
  const envPrefer = process.env.HEMASEG_BACKEND as BackendName | undefined;
  const start = prefer ?? (envPrefer && ORDER.includes(envPrefer) ? envPrefer : 'tensorflow');
  if (current && current.backend === start) return Promise.resolve(current);
  const run = async (): Promise<BackendInfo> => {
    if (pending) await pending.catch(() => undefined);
    registerProjectKernels();
    const errors: string[] = [];
    for (const name of ORDER.slice(ORDER.indexOf(start))) {
      try {
        const detail = await activate(name, options);
        current = { backend: name, detail };
        return current;
      } catch (e) {
        errors.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    throw new Error(`no TensorFlow.js backend could start (${errors.join('; ')})`);
  };
  pending = run();
  return pending;
}

/** The backend chosen by the last successful initBackend call, or null. */
export function activeBackend(): BackendInfo | null {
  return current;
}

async function activate(name: BackendName, options: InitBackendOptions): Promise<string> {
  if (name === 'tensorflow') return activateNative();
  if (name === 'wasm') return activateWasm(options);
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend failed to initialise');
  return 'cpu: pure JavaScript kernels (slow; last resort)';
}

async function activateNative(): Promise<string> {
  if (!tf.findBackendFactory('tensorflow')) {
    // Optional dependency: absent or broken (its libtensorflow download can fail) is normal.
    const req = createRequire(import.meta.url);
    req('@tensorflow/tfjs-node');
  }
  if (!tf.findBackendFactory('tensorflow')) throw new Error('tfjs-node loaded but registered no backend');
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend failed to initialise');
  return `tensorflow: native TensorFlow via @tensorflow/tfjs-node (tfjs-core ${tf.version_core})`;
}

function wantedThreads(options: InitBackendOptions): number {
  const env = Number(process.env.HEMASEG_WASM_THREADS);
  const n = options.wasmThreads ?? (Number.isFinite(env) && env > 0 ? env : availableParallelism());
  return Math.max(1, Math.min(8, Math.floor(n)));
}

/** Registers the wasm factory once: threaded build when possible, else the stock one. */
function prepareWasm(options: InitBackendOptions): Promise<string> {
  if (wasmPrepared) return wasmPrepared;
  wasmPrepared = (async () => {
    const dir = wasmBinaryDir();
    if (!wasmBinariesPresent(dir)) throw new Error(`wasm binaries not found in ${dir}`);
    setWasmPaths(dir);
    const threads = wantedThreads(options);
    if (threads > 1) {
      try {
        const module = await loadThreadedWasmModule(threads, dir);
        setThreadsCount(threads);
        tf.removeBackend('wasm');
        tf.registerBackend('wasm', () => new BackendWasm(module), 2);
        return `threaded SIMD build`;
      } catch (e) {
        // Fall through to the stock single-threaded SIMD build registered by the package.
        return `SIMD build (threads unavailable: ${e instanceof Error ? e.message : String(e)})`;
      }
    }
    return 'SIMD build';
  })();
  return wasmPrepared;
}

async function activateWasm(options: InitBackendOptions): Promise<string> {
  const build = await prepareWasm(options);
  const before = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  const ok = await tf.setBackend('wasm');
  removeEmscriptenProcessHandlers(before);
  if (!ok) throw new Error('wasm backend failed to initialise');
  const backend = tf.backend() as BackendWasm;
  unrefPthreadWorkers(backend.wasm);
  const threads = backend.wasm.tfjs.getThreadsCount();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return `wasm: ${build}, ${threads} thread${threads === 1 ? '' : 's'}${simd ? '' : ' (no SIMD!)'}, project training kernels`;
}
