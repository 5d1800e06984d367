import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiEvent } from '../../shared/api';
import { decodeMessage, encodeMessage } from '../../shared/wire';
import type { ApiService } from '../api/api-service';
import { rendererDir } from './renderer-dir';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.woff2': 'font/woff2', '.json': 'application/json', '.wasm': 'application/wasm', '.ico': 'image/x-icon',
};
const MAX_BODY = 256 * 1024 * 1024;
/** Same policy as the desktop window: only this host's scripts, images and sockets. */
export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: hemaseg-media:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; worker-src 'self' blob:";

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * The local web host: the built renderer plus the API over HTTP and WebSocket. Listens on
 * 127.0.0.1 only; every request must carry the per-session token (query, header or the
 * cookie set when the tokened URL is first opened), and the Host header must be local so a
 * DNS-rebinding page cannot reach it.
 */
export async function startWebHost(service: ApiService, opts: { port?: number; token?: string } = {}): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const staticDir = rendererDir();

  const tokenOk = (req: IncomingMessage, url: URL): boolean => {
    const given = url.searchParams.get('token') ?? (req.headers['x-hemaseg-token'] as string | undefined) ?? cookieToken(req.headers.cookie);
    if (!given) return false;
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const hostOk = (req: IncomingMessage): boolean => /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(req.headers.host ?? '');

  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(err.message);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostOk(req)) return deny(res, 403, 'host not allowed');
    if (!tokenOk(req, url)) return deny(res, 403, 'missing or wrong session token: open the URL printed by `hemaseg serve`');
    if (url.pathname.startsWith('/api/call/')) {
      if (req.method !== 'POST') return deny(res, 405, 'POST only');
      const body = await readBody(req);
      let args: unknown;
      try {
        args = body.length ? decodeMessage(body) : null;
      } catch (err) {
        return deny(res, 400, (err as Error).message);
      }
      const result = await service.call(decodeURIComponent(url.pathname.slice('/api/call/'.length)), args);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(encodeMessage(result));
      return;
    }
    if (url.pathname.startsWith('/media/')) {
      const m = await service.media(url.pathname.slice('/media/'.length) + url.search.replace(/([?&])token=[^&]*&?/, '$1'));
      res.writeHead(m.status, { 'content-type': m.contentType, 'cache-control': 'private, max-age=60' });
      res.end(m.body);
      return;
    }
    if (!staticDir) return deny(res, 404, 'renderer not built: run `npm run build`');
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(staticDir, rel));
    if (!file.startsWith(staticDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return deny(res, 404, 'not found');
    }
    const headers: Record<string, string> = { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP };
    if (url.searchParams.get('token')) headers['set-cookie'] = `hemaseg_token=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== '/api/events' || !hostOk(req) || !tokenOk(req, url)) {
      socket.write('HTTP/1.1 403 Forbidden\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
    });
  });
  const forward = (e: ApiEvent): void => {
    const msg = JSON.stringify(e);
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(msg);
  };
  service.ctx.events.on('event', forward);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      service.ctx.events.off('event', forward);
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function cookieToken(cookie: string | undefined): string | undefined {
  return cookie?.split(';').map((c) => c.trim()).find((c) => c.startsWith('hemaseg_token='))?.slice('hemaseg_token='.length);
}

function deny(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(message);
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('request too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}
