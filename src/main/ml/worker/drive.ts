// Main-side driver of one worker job: start the process, send the job, relay its events,
// and turn every way it can end (done, failed, cancelled, crashed) into one settled promise.
import { JobCancelledError } from '../../jobs/job-manager';
import type { Backend } from '../../../shared/domain';
import { describeExit, startMlWorker, type WorkerExit, type WorkerLauncher } from './launcher';
import type { FromWorker, ToWorker } from './protocol';

export interface DriveOptions {
  signal?: AbortSignal;
  launcher?: WorkerLauncher;
  onReady?(backend: Backend, detail: string, pid: number): void;
  onMessage?(msg: FromWorker): void;
  /** Grace period after a cancel before the worker is killed. */
  cancelGraceMs?: number;
}

export type DriveEnd<T> =
  | { kind: 'result'; value: T }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string }
  | { kind: 'crashed'; exit: WorkerExit; message: string };

/**
 * Run `job` in a fresh worker. `pick` recognises the message that carries the job's result
 * (or its cancellation). Never rejects: the caller decides what each ending means.
 */
export function driveWorker<T>(job: Exclude<ToWorker, { type: 'cancel' }>, pick: (msg: FromWorker) => { value: T } | 'cancelled' | null, opts: DriveOptions = {}): Promise<DriveEnd<T>> {
  return new Promise((resolve) => {
    let worker: ReturnType<typeof startMlWorker>;
    try {
      worker = startMlWorker({ launcher: opts.launcher });
    } catch (err) {
      resolve({ kind: 'failed', message: (err as Error).message });
      return;
    }
    let result: { value: T } | null = null;
    let cancelledByWorker = false;
    let error: string | null = null;
    let cancelRequested = false;
    const onAbort = (): void => {
      cancelRequested = true;
      worker.cancel(opts.cancelGraceMs);
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.onMessage((msg) => {
      if (msg.type === 'ready') opts.onReady?.(msg.backend, msg.backendDetail, msg.pid);
      if (msg.type === 'error') error = msg.message;
      const picked = pick(msg);
      if (picked === 'cancelled') cancelledByWorker = true;
      else if (picked) result = picked;
      opts.onMessage?.(msg);
    });
    worker.send(job);
    void worker.exited.then((exit) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (result) resolve({ kind: 'result', value: result.value });
      else if (cancelledByWorker || cancelRequested) resolve({ kind: 'cancelled' });
      else if (error !== null) resolve({ kind: 'failed', message: error });
      else resolve({ kind: 'crashed', exit, message: describeExit(exit) });
    });
  });
}

export { JobCancelledError };
