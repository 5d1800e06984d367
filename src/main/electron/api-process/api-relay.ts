// Main-process side: the API lives in a utility process; this forwards calls and media
// requests to it and its events back, matching answers by id. Plain Node code (no electron
// import), so it is unit-tested against a real child process.
import type { ApiEvent } from '../../../shared/api';
import type { CallResult } from '../../api/api-service';
import type { MediaResponse } from '../../api/media';
import type { FromApiProcess, RelayPort, ToApiProcess } from './relay-protocol';

export interface ApiProcessPort extends RelayPort<FromApiProcess, ToApiProcess> {
  /** Called once when the process is gone, with e.g. the tail of its stderr. */
  onExit(fn: (code: number | null, detail: string) => void): void;
  kill(): void;
}

type Pending = { kind: 'call'; resolve: (r: CallResult) => void } | { kind: 'media'; resolve: (m: MediaResponse) => void };

export class ApiRelay {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: ApiEvent) => void>();
  private exited: string | null = null;
  /** Resolves when the process has opened its project (or failed to, with the reason). */
  readonly ready: Promise<{ project: string | null; error: string | null }>;

  constructor(private readonly port: ApiProcessPort) {
    let markReady: (r: { project: string | null; error: string | null }) => void = () => undefined;
    this.ready = new Promise((r) => (markReady = r));
    port.onMessage((msg) => {
      if (msg.type === 'ready') markReady({ project: msg.project, error: msg.error });
      else if (msg.type === 'event') for (const l of [...this.listeners]) l(msg.event);
      else {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        if (p.kind === 'call' && msg.type === 'result') p.resolve(msg.result);
        else if (p.kind === 'media' && msg.type === 'media') p.resolve(msg.media);
      }
    });
    port.onExit((code, detail) => {
      this.exited = `the HemaSeg API process exited${code === null ? '' : ` with code ${code}`}${detail ? `: ${detail.split('\n').filter((l) => l.trim()).slice(-3).join(' | ').slice(0, 400)}` : ''}`;
      markReady({ project: null, error: this.exited });
      // Every call still waiting gets a clear answer instead of hanging the window.
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        this.settleGone(p);
      }
    });
  }

  get alive(): boolean {
    return this.exited === null;
  }

  call(method: string, args: unknown): Promise<CallResult> {
    return new Promise((resolve) => {
      const p: Pending = { kind: 'call', resolve };
      if (this.exited) return this.settleGone(p);
      const id = this.nextId++;
      this.pending.set(id, p);
      this.port.send({ type: 'call', id, method, args });
    });
  }

  media(path: string): Promise<MediaResponse> {
    return new Promise((resolve) => {
      const p: Pending = { kind: 'media', resolve };
      if (this.exited) return this.settleGone(p);
      const id = this.nextId++;
      this.pending.set(id, p);
      this.port.send({ type: 'media', id, path });
    });
  }

  onEvent(fn: (e: ApiEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Ask the process to close its project and exit; kill it if it has not after `graceMs`. */
  shutdown(graceMs = 5000): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.port.kill();
        resolve();
      }, graceMs);
      this.port.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      this.port.send({ type: 'shutdown' });
    });
  }

  private settleGone(p: Pending): void {
    const message = this.exited ?? 'the HemaSeg API process is gone';
    if (p.kind === 'call') p.resolve({ ok: false, error: { message } });
    else p.resolve({ status: 503, contentType: 'text/plain', body: new TextEncoder().encode(message) });
  }
}
