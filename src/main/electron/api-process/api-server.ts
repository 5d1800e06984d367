// Utility-process side: answers the main process's calls and media requests with the one
// ApiService, and streams its events. Plain Node code (no electron import).
import type { ApiService } from '../../api/api-service';
import type { FromApiProcess, RelayPort, ToApiProcess } from './relay-protocol';

export interface ServeOptions {
  /** Opens the project (may take a while: the sample project is generated on first run); requests wait for it. */
  init: () => Promise<{ project: string | null; error: string | null }>;
  /** Close everything and leave (the default exits the process). */
  exit?: () => void;
}

export function serveApi(port: RelayPort<ToApiProcess, FromApiProcess>, service: ApiService, opts: ServeOptions): void {
  service.ctx.events.on('event', (event) => port.send({ type: 'event', event }));
  // Listen at once (messages sent before a listener exists are lost), answer after init.
  const initialized = opts.init().then(
    (r) => r,
    (err: Error) => ({ project: null, error: err.message }),
  );
  void initialized.then((r) => port.send({ type: 'ready', ...r }));
  port.onMessage((msg) => {
    void initialized.then(async () => {
      if (msg.type === 'call') {
        port.send({ type: 'result', id: msg.id, result: await service.call(msg.method, msg.args) });
      } else if (msg.type === 'media') {
        let media;
        try {
          media = await service.media(msg.path);
        } catch (err) {
          media = { status: 500, contentType: 'text/plain', body: new TextEncoder().encode((err as Error).message) };
        }
        port.send({ type: 'media', id: msg.id, media });
      } else if (msg.type === 'shutdown') {
        service.ctx.close();
        (opts.exit ?? (() => setTimeout(() => process.exit(0), 20)))();
      }
    });
  });
}

interface ParentPortLike {
  postMessage(msg: unknown): void;
  on(event: 'message', fn: (e: { data: unknown }) => void): void;
}

/** This process's channel to its parent: Electron's `process.parentPort` in a utility process, Node's IPC otherwise. */
export function parentChannel(): RelayPort<ToApiProcess, FromApiProcess> {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage: (fn) => parentPort.on('message', (e) => fn(e.data as ToApiProcess)),
    };
  }
  if (!process.send) throw new Error('the HemaSeg API process must be started by HemaSeg (no IPC channel)');
  return {
    send: (msg) => {
      if (process.connected) process.send?.(msg);
    },
    onMessage: (fn) => process.on('message', (m) => fn(m as ToApiProcess)),
  };
}
