// Starting the ML worker process. TensorFlow work never runs in the main (UI/API) process:
// each job forks a worker that loads the backend, does the job, streams typed events and
// exits. The process is created through a `WorkerLauncher`, so the Electron shell can swap
// Node's child_process.fork for `utilityProcess.fork` (call `setWorkerLauncher` at start-up)
// without this module importing electron.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FromWorker, ToWorker } from './protocol';

/** The minimum a process handle must offer (Node ChildProcess and Electron UtilityProcess both fit via an adapter). */
export interface WorkerProcess {
  readonly pid: number | undefined;
  send(msg: ToWorker): void;
  onMessage(fn: (msg: FromWorker) => void): void;
  /** Called once when the process is gone; `detail` is e.g. the tail of its stderr. */
  onExit(fn: (code: number | null, signal: string | null, detail: string) => void): void;
  /** Hard kill (SIGKILL or the platform's equivalent). */
  kill(): void;
}

export interface WorkerScript {
  /** File to run: out/main/worker.js when built, src/main/ml/worker/entry.ts from sources. */
  entry: string;
  /** Extra node flags (the tsx loader for sources). */
  execArgv: string[];
}

export type WorkerLauncher = (script: WorkerScript, env: Record<string, string>) => WorkerProcess;

const here = (): string => dirname(fileURLToPath(import.meta.url));

/**
 * Where the worker script is. Built bundles put worker.js next to cli.js/index.js (this
 * code may sit in a shared chunk one folder below); from sources the entry is beside this
 * file and runs through tsx. HEMASEG_WORKER_ENTRY overrides both.
 */
export function resolveWorkerScript(): WorkerScript {
  const override = process.env.HEMASEG_WORKER_ENTRY;
  const tsxArgs = (): string[] => {
    const loader = createRequire(import.meta.url).resolve('tsx');
    return ['--import', pathToFileURL(loader).href];
  };
  if (override) return { entry: override, execArgv: override.endsWith('.ts') ? tsxArgs() : [] };
  const dir = here();
  for (const candidate of [join(dir, 'worker.js'), join(dir, '..', 'worker.js')]) {
    if (existsSync(candidate)) return { entry: candidate, execArgv: [] };
  }
  const source = join(dir, 'entry.ts');
  if (existsSync(source)) return { entry: source, execArgv: tsxArgs() };
  throw new Error(`ML worker script not found (looked for worker.js near ${dir} and ${source}); run \`npm run build\``);
}

/** The default launcher: a Node child process with an IPC channel ('advanced' serialization carries typed arrays). */
export const nodeWorkerLauncher: WorkerLauncher = (script, env) => {
  const child = fork(script.entry, [], {
    execArgv: script.execArgv,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // Inside Electron, process.execPath is the Electron binary: make it behave as Node.
    env: { ...process.env, ...env, ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}) },
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stderr?.on('data', keep);
  child.stdout?.on('data', keep);
  return {
    pid: child.pid,
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (fn) => {
      child.on('message', (m) => fn(m as FromWorker));
    },
    onExit: (fn) => {
      let fired = false;
      const done = (code: number | null, signal: string | null): void => {
        if (fired) return;
        fired = true;
        fn(code, signal, tail.trim());
      };
      child.once('exit', (code, signal) => done(code, signal));
      child.once('error', (err) => {
        tail += `\n${err.message}`;
        done(null, null);
      });
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
};

/** The parts of Electron's UtilityProcess the launcher uses (structurally typed: no electron import). */
export interface UtilityProcessLike {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', fn: (message: unknown) => void): unknown;
  on(event: 'exit', fn: (code: number) => void): unknown;
  kill(): boolean;
  readonly stderr?: NodeJS.ReadableStream | null;
}

/**
 * A launcher over Electron's `utilityProcess.fork`, passed in by the shell:
 *   setWorkerLauncher(utilityProcessLauncher((m, a, o) => utilityProcess.fork(m, a, o)))
 * The worker entry talks over `process.parentPort` there.
 */
export function utilityProcessLauncher(
  forkFn: (modulePath: string, args: string[], options: { env: Record<string, string | undefined>; execArgv: string[]; stdio: 'pipe'; serviceName: string }) => UtilityProcessLike,
): WorkerLauncher {
  return (script, env) => {
    const child = forkFn(script.entry, [], { env: { ...process.env, ...env }, execArgv: script.execArgv, stdio: 'pipe', serviceName: 'HemaSeg ML worker' });
    let tail = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      tail = (tail + chunk.toString('utf8')).slice(-4000);
    });
    let exitFns: ((code: number | null, signal: string | null, detail: string) => void)[] = [];
    let exited: { code: number } | null = null;
    child.on('exit', (code) => {
      exited = { code };
      for (const fn of exitFns) fn(code, null, tail.trim());
      exitFns = [];
    });
    return {
      pid: child.pid,
      send: (msg) => {
        if (!exited) child.postMessage(msg);
      },
      onMessage: (fn) => {
        child.on('message', (m) => fn(m as FromWorker));
      },
      onExit: (fn) => {
        if (exited) fn((exited as { code: number }).code, null, tail.trim());
        else exitFns.push(fn);
      },
      kill: () => {
        if (!exited) child.kill();
      },
    };
  };
}

let defaultLauncher: WorkerLauncher = nodeWorkerLauncher;

/** The Electron shell calls this once with a utilityProcess-based launcher. */
export function setWorkerLauncher(launcher: WorkerLauncher): void {
  defaultLauncher = launcher;
}

export interface WorkerExit {
  code: number | null;
  signal: string | null;
  detail: string;
}

/** A running worker: typed send/receive, its exit, and cancel with a kill fallback. */
export interface MlWorker {
  readonly pid: number | undefined;
  send(msg: ToWorker): void;
  onMessage(fn: (msg: FromWorker) => void): () => void;
  readonly exited: Promise<WorkerExit>;
  /** Ask the job to stop at the next safe point; kill the process if it has not exited after `graceMs`. */
  cancel(graceMs?: number): void;
  kill(): void;
}

export interface StartOptions {
  launcher?: WorkerLauncher;
  env?: Record<string, string>;
}

export function startMlWorker(opts: StartOptions = {}): MlWorker {
  const proc = (opts.launcher ?? defaultLauncher)(resolveWorkerScript(), opts.env ?? {});
  const listeners = new Set<(msg: FromWorker) => void>();
  proc.onMessage((msg) => {
    for (const l of [...listeners]) l(msg);
  });
  let exitedFlag = false;
  const exited = new Promise<WorkerExit>((resolve) => {
    proc.onExit((code, signal, detail) => {
      exitedFlag = true;
      resolve({ code, signal, detail });
    });
  });
  let killTimer: NodeJS.Timeout | null = null;
  void exited.then(() => {
    if (killTimer) clearTimeout(killTimer);
  });
  return {
    pid: proc.pid,
    send: (msg) => proc.send(msg),
    onMessage: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    exited,
    cancel: (graceMs = 10_000) => {
      if (exitedFlag) return;
      proc.send({ type: 'cancel' });
      if (!killTimer) {
        killTimer = setTimeout(() => proc.kill(), graceMs);
        killTimer.unref();
      }
    },
    kill: () => proc.kill(),
  };
}

/** One line describing how a worker ended, for error messages. */
export function describeExit(e: WorkerExit): string {
  const how = e.signal ? `was killed (${e.signal})` : `exited with code ${e.code}`;
  const lastLine = e.detail.split('\n').filter((l) => l.trim()).slice(-3).join(' | ');
  return `the ML worker process ${how}${lastLine ? `: ${lastLine.slice(0, 400)}` : ''}`;
}
