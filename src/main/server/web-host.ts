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
import { CSP } from './csp';

export { CSP } from './csp';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.woff2': 'font/woff2', '.json': 'application/json', '.wasm': 'application/wasm', '.ico': 'image/x-icon',
};
const MAX_BODY = 256 * 1024 * 1024;

export interface WebHost {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Sent with every response: no MIME sniffing, no Referer (URLs never leave the page), no framing. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/**
 * The local web host: the built renderer plus the API over HTTP and WebSocket, on 127.0.0.1
 * only. Other pages in the same browser are the threat: cookies are scoped by host, not
 * port, so every page served from another 127.0.0.1 port is "same-site" and receives our
 * cookies. Hence:
 *   - API calls authenticate by the `x-hemaseg-token` header only (a page cannot set it on a
 *     cross-origin request without a CORS preflight, which we never answer);
 *   - the event WebSocket needs the token in its URL or header (never the cookie);
 *   - media (<img src>) and the renderer's files accept an HttpOnly SameSite=Strict cookie
 *     named for this port that holds a separate media-only secret, never the API token;
 *   - every request whose Origin is not this host's own, or without Origin whose
 *     Sec-Fetch-Site is not same-origin/none, is refused;
 *   - the Host header must name this host and port, so a DNS-rebinding page cannot reach it.
 */
export async function startWebHost(service: ApiService, opts: { port?: number; token?: string } = {}): Promise<WebHost> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  // Grants media and static files only; leaking it (another port's server sees our cookies)
  // exposes no API call.
  const mediaSecret = randomBytes(24).toString('base64url');
  const staticDir = rendererDir();
  let port = 0;
  const cookieName = (): string => `hemaseg_media_${port}`;

  const server = createServer((req, res) => {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(err.message);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const guard = checkRequest(req, port);
    if (guard) return deny(res, 403, guard);
    if (url.pathname.startsWith('/api/')) {
      if (!sameSecret(header(req, 'x-hemaseg-token'), token)) return deny(res, 403, 'missing or wrong session token (the x-hemaseg-token header): open the URL printed by `hemaseg serve`');
      if (!url.pathname.startsWith('/api/call/')) return deny(res, 404, 'not found');
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
    const byHeader = sameSecret(header(req, 'x-hemaseg-token'), token);
    // The cookie only counts with fetch metadata from a browser that says the request came
    // from our own page (or the address bar): an old browser without it gets no cookie path.
    const site = header(req, 'sec-fetch-site');
    const byCookie = (site === 'same-origin' || site === 'none') && sameSecret(cookieValue(req.headers.cookie, cookieName()), mediaSecret);
    if (url.pathname.startsWith('/media/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'GET only');
      if (!byHeader && !byCookie) return deny(res, 403, 'media needs this page\'s session: open the URL printed by `hemaseg serve`');
      url.searchParams.delete('token');
      const query = url.searchParams.toString();
      const m = await service.media(url.pathname.slice('/media/'.length) + (query ? `?${query}` : ''));
      res.writeHead(m.status, { 'content-type': m.contentType, 'cache-control': 'private, max-age=60' });
      res.end(m.body);
      return;
    }
    const byQuery = sameSecret(url.searchParams.get('token') ?? undefined, token);
    if (!byQuery && !byHeader && !byCookie) return deny(res, 403, 'missing or wrong session token: open the URL printed by `hemaseg serve`');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'GET only');
    if (!staticDir) return deny(res, 404, 'renderer not built: run `npm run build`');
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = normalize(join(staticDir, rel));
    if (!file.startsWith(staticDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return deny(res, 404, 'not found');
    }
    const headers: Record<string, string> = { 'content-type': MIME[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP };
    if (byQuery) headers['set-cookie'] = `${cookieName()}=${mediaSecret}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  // Idle keep-alive sockets stay open longer than Node's 5 s default: a busy client reusing a
  // socket the server just closed sees "other side closed" (seen under load).
  server.keepAliveTimeout = 65_000;

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = url.searchParams.get('token') ?? header(req, 'x-hemaseg-token');
    if (url.pathname !== '/api/events' || checkRequest(req, port) || !sameSecret(given, token)) {
      socket.write(`HTTP/1.1 403 Forbidden\r\n${Object.entries(SECURITY_HEADERS).map(([k, v]) => `${k}: ${v}\r\n`).join('')}connection: close\r\n\r\n`);
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
    // Port 0 (the default) lets the OS pick a free port; the real one is read back below.
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
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

/**
 * Why a request must be refused before any token is looked at, or null. The Host must be
 * this host and port; a browser's Origin must be our own; without Origin, the browser's
 * Sec-Fetch-Site must say same-origin or none (address bar). Clients that send neither
 * (curl, Node) pass here and still need the token.
 */
export function checkRequest(req: Pick<IncomingMessage, 'headers'>, port: number): string | null {
  const own = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!own.includes(header(req, 'host') ?? '')) return 'host not allowed';
  const origin = header(req, 'origin');
  if (origin !== undefined) return own.some((h) => origin === `http://${h}`) ? null : `origin ${origin} not allowed`;
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `cross-site request (${site}) not allowed`;
  return null;
}

function header(req: Pick<IncomingMessage, 'headers'>, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function sameSecret(given: string | undefined, secret: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(cookie: string | undefined, name: string): string | undefined {
  return cookie?.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${name}=`))?.slice(name.length + 1);
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
