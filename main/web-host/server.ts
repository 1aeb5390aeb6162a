// Web mode: serves the built renderer over HTTP on 127.0.0.1 and bridges the DesktopApi over one
// WebSocket, so a browser gets the same contract Electron's IPC gives. Everything is served under a
// path of its own per launch (`/<launch>/`), and every request and the socket need the per-launch
// token: a query parameter once, then an HttpOnly SameSite=Strict cookie named for the launch and
// bound to its path — cookies are shared by every port of 127.0.0.1, so without the path any other
// local server the browser talks to would be sent the token (shared/api/web-bridge.ts).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { desktopApiEvents, type DesktopApiEvent } from '../../shared/api/index';
import { BridgeRequest, TOKEN_COOKIE_PREFIX, WEB_BRIDGE_PATH, type BridgeMessage } from '../../shared/api/web-bridge';
import { dispatchApiCall } from '../services/api-dispatch';
import type { DesktopServices } from '../services/index';

export interface WebHostOptions {
  services: Pick<DesktopServices, 'handlers' | 'on'>;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 = any free port. */
  port?: number;
  /** Fixed only in tests; otherwise a fresh random token per launch. */
  token?: string;
}

export interface WebHost {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  /** The bridge socket's URL, and the Cookie header a client sends to it (tests). */
  bridgeUrl: string;
  cookie: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BRIDGE_MESSAGE_BYTES = 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};
/** The page may connect to its own bridge only (the meta CSP of index.html, for Electron, is wider). */
const securityHeaders = (port: number) => ({
  'Content-Security-Policy': `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
});

function sameSecret(a: string | undefined | null, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieValue(header: string | undefined, cookieName: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === cookieName) return rest.join('=');
  }
  return undefined;
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url');
  const launch = randomBytes(12).toString('base64url');
  const base = `/${launch}/`;
  const tokenCookie = `${TOKEN_COOKIE_PREFIX}${launch}`;
  const cookieToken = (header: string | undefined) => cookieValue(header, tokenCookie);
  const staticDir = path.resolve(opts.staticDir);
  let port = 0;
  let SECURITY_HEADERS = securityHeaders(0);
  // Only these Host values are ours: refusing the rest defeats DNS rebinding from a web page.
  const allowedHosts = () => new Set([`${HOST}:${port}`, `localhost:${port}`]);

  const server = http.createServer((req, res) => {
    void handleRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Earshot web mode hit an internal error; see the desktop log.');
    });
  });

  function refuse(res: http.ServerResponse, status: number, message: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    res.end(message);
  }

  async function handleRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 403, 'Unknown host.');
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    if (!url.pathname.startsWith(base)) {
      return refuse(res, 404, 'Earshot web mode serves only the address it printed at launch: open the URL that `npm start` printed.');
    }
    const queryToken = url.searchParams.get('token');
    if (sameSecret(queryToken, token)) {
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${tokenCookie}=${token}; HttpOnly; SameSite=Strict; Path=${base}`,
        Location: url.pathname + url.search,
        ...SECURITY_HEADERS,
      });
      res.end();
      return;
    }
    if (!sameSecret(cookieToken(req.headers.cookie), token)) {
      return refuse(res, 401, 'Earshot web mode needs its launch token: open the URL that `npm start` printed.');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served here.');
    await serveStatic(`/${url.pathname.slice(base.length)}`, res);
  }

  async function serveStatic(pathname: string, res: http.ServerResponse): Promise<void> {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      return refuse(res, 400, 'Bad path.');
    }
    let file = path.resolve(staticDir, `.${path.posix.normalize(relative)}`);
    if (file !== staticDir && !file.startsWith(staticDir + path.sep)) return refuse(res, 404, 'Not found.');
    let stat = await fs.stat(file).catch(() => null);
    if (stat?.isDirectory()) {
      file = path.join(file, 'index.html');
      stat = await fs.stat(file).catch(() => null);
    }
    if (!stat?.isFile()) {
      // The renderer is a single page: unknown paths without an extension get the app.
      if (path.extname(file)) return refuse(res, 404, 'Not found.');
      file = path.join(staticDir, 'index.html');
      stat = await fs.stat(file).catch(() => null);
      if (!stat?.isFile()) return refuse(res, 503, 'The renderer is not built: run `npm run build`.');
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': stat.size,
      'Cache-Control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=300',
      ...SECURITY_HEADERS,
    });
    createReadStream(file).pipe(res);
  }

  // ---- the DesktopApi bridge ----
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_MESSAGE_BYTES });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}:${port}`);
    const origin = req.headers.origin;
    const originOk = origin === undefined || allowedHosts().has(origin.replace(/^https?:\/\//, ''));
    if (
      url.pathname !== `${base}${WEB_BRIDGE_PATH}` ||
      !allowedHosts().has(req.headers.host ?? '') ||
      !originOk ||
      !sameSecret(cookieToken(req.headers.cookie), token)
    ) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void onBridgeMessage(ws, data.toString()));
    });
  });

  const send = (ws: WebSocket, message: BridgeMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  async function onBridgeMessage(ws: WebSocket, text: string): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return; // not JSON: nothing to answer, nothing else affected
    }
    const request = BridgeRequest.safeParse(json);
    if (!request.success) {
      const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : -1;
      if (id >= 0) {
        send(ws, { type: 'result', id, response: { ok: false, error: { code: 'bad_request', message: 'Malformed bridge request.' } } });
      }
      return;
    }
    const response = await dispatchApiCall(opts.services.handlers, request.data.method, request.data.args);
    send(ws, { type: 'result', id: request.data.id, response });
  }

  const unsubscribe = (Object.keys(desktopApiEvents) as DesktopApiEvent[]).map((event) =>
    opts.services.on(event, (payload) => {
      for (const ws of sockets) send(ws, { type: 'event', event, payload });
    }),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  SECURITY_HEADERS = securityHeaders(port);

  return {
    url: `http://${HOST}:${port}${base}?token=${token}`,
    port,
    token,
    bridgeUrl: `ws://${HOST}:${port}${base}${WEB_BRIDGE_PATH}`,
    cookie: `${tokenCookie}=${token}`,
    async close() {
      unsubscribe.forEach((off) => off());
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
