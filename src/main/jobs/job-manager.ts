import { randomUUID } from 'node:crypto';
import type { JobInfo, JobKind, JobResultByKind } from '../../shared/api';

export interface JobContext {
  signal: AbortSignal;
  progress(done: number, total: number, message?: string | null): void;
}

export class JobCancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

/**
 * Long operations run as jobs: they report progress, can be cancelled, and their final
 * state stays listed so a UI that reconnects can still see what happened.
 */
export class JobManager {
  private readonly jobs = new Map<string, { info: JobInfo; abort: AbortController; done: Promise<unknown> }>();

  constructor(
    private readonly onChange: (job: JobInfo) => void,
    /** The project a new job belongs to (the one open when it starts), so lists can be scoped per project. */
    private readonly currentProject: () => string | null = () => null,
  ) {}

  /** Run a job of `kind`; its result is the kind's type in the API contract (JobResultByKind). */
  start<K extends JobKind, T extends JobResultByKind[K]>(kind: K, title: string, run: (ctx: JobContext) => Promise<T>): { id: string; done: Promise<T> } {
    const id = randomUUID();
    const abort = new AbortController();
    const info: JobInfo = {
      id, kind, title, status: 'running', done: 0, total: 0, message: null,
      startedAt: new Date().toISOString(), finishedAt: null, error: null, result: null, project: this.currentProject(),
    };
    let last = 0;
    const ctx: JobContext = {
      signal: abort.signal,
      progress: (done, total, message) => {
        info.done = done;
        info.total = total;
        if (message !== undefined) info.message = message;
        // Throttle: per-image events from a fast batch would flood the UI.
        const now = Date.now();
        if (now - last > 100 || done === total) {
          last = now;
          this.onChange({ ...info });
        }
      },
    };
    const done = (async () => {
      this.onChange({ ...info });
      try {
        const result = await run(ctx);
        info.status = abort.signal.aborted ? 'cancelled' : 'done';
        info.result = result;
        return result;
      } catch (err) {
        info.status = abort.signal.aborted || err instanceof JobCancelledError ? 'cancelled' : 'failed';
        info.error = (err as Error).message;
        throw err;
      } finally {
        info.finishedAt = new Date().toISOString();
        this.onChange({ ...info });
      }
    })();
    done.catch(() => undefined);
    this.jobs.set(id, { info, abort, done });
    return { id, done };
  }

  cancel(id: string): boolean {
    const job = this.jobs.get(id);
    if (!job || job.info.status !== 'running') return false;
    job.abort.abort();
    return true;
  }

  /** Newest first; with `project`, only that project's jobs (and jobs of none). */
  list(project?: string | null): JobInfo[] {
    const all = [...this.jobs.values()].map((j) => ({ ...j.info })).reverse();
    return project === undefined ? all : all.filter((j) => !j.project || j.project === project);
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((j) => j.done));
  }
}
