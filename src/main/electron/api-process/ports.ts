// Adapters from a process handle to the relay's port: Node's ChildProcess (tests, and any
// Node host) and Electron's UtilityProcess (structurally typed, so no electron import).
import type { ChildProcess } from 'node:child_process';
import type { ApiProcessPort } from './api-relay';
import type { FromApiProcess } from './relay-protocol';

function tailKeeper(): { add: (chunk: Buffer) => void; get: () => string } {
  let tail = '';
  return { add: (c) => void (tail = (tail + c.toString('utf8')).slice(-4000)), get: () => tail.trim() };
}

/** A child started with fork(…, { serialization: 'advanced', stdio: [.., 'pipe', 'pipe', 'ipc'] }). */
export function childProcessPort(child: ChildProcess): ApiProcessPort {
  const tail = tailKeeper();
  child.stderr?.on('data', tail.add);
  let exit: { code: number | null } | null = null;
  const exitFns: ((code: number | null, detail: string) => void)[] = [];
  const done = (code: number | null): void => {
    if (exit) return;
    exit = { code };
    for (const fn of exitFns.splice(0)) fn(code, tail.get());
  };
  child.once('exit', (code) => done(code));
  child.once('error', (err) => {
    tail.add(Buffer.from(`\n${err.message}`));
    done(null);
  });
  return {
    send: (msg) => {
      if (child.connected) child.send(msg);
    },
    onMessage: (fn) => void child.on('message', (m) => fn(m as FromApiProcess)),
    onExit: (fn) => {
      if (exit) fn(exit.code, tail.get());
      else exitFns.push(fn);
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** The parts of Electron's UtilityProcess used here. */
export interface UtilityProcessHandle {
  postMessage(message: unknown): void;
  on(event: 'message', fn: (message: unknown) => void): unknown;
  on(event: 'exit', fn: (code: number) => void): unknown;
  kill(): boolean;
  readonly stderr?: NodeJS.ReadableStream | null;
}

export function utilityProcessPort(child: UtilityProcessHandle): ApiProcessPort {
  const tail = tailKeeper();
  child.stderr?.on('data', (c: Buffer) => tail.add(c));
  let exit: { code: number } | null = null;
  const exitFns: ((code: number | null, detail: string) => void)[] = [];
  child.on('exit', (code) => {
    exit = { code };
    for (const fn of exitFns.splice(0)) fn(code, tail.get());
  });
  return {
    send: (msg) => {
      if (!exit) child.postMessage(msg);
    },
    onMessage: (fn) => void child.on('message', (m) => fn(m as FromApiProcess)),
    onExit: (fn) => {
      if (exit) fn(exit.code, tail.get());
      else exitFns.push(fn);
    },
    kill: () => {
      if (!exit) child.kill();
    },
  };
}
