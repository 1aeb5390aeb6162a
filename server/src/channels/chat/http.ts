// The web chat's public HTTP routes (no user session: visitors of a tenant's site call them from
// the site's pages, so they answer any origin; a visitor token, not a cookie, is the credential):
//   GET  /chat/widget.js     the widget (widget.ts)
//   POST /chat/session       { tenant, name?, identity? } -> { visitorId, token, verified, expiresAt }
//   GET  /chat/demo[?lang=ko] a demo shop page with the widget (only on a center started with --demo),
//                            and with a mail port, a form to mail the center as a customer (demo-mail.ts)
// A client opening more than SESSIONS_PER_MINUTE sessions a minute is refused (429) for a while.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ChatSessionRequest } from '../../../../shared/protocol/webchat';
import { CenterError } from '../../base/errors';
import type { Db } from '../../db/db';
import { demoPage, demoScript, widgetScript } from './widget';
import { openVisitorSession } from './visitors';

export const SESSIONS_PER_MINUTE = 20;
const MAX_BODY_BYTES = 8 * 1024;

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '600' };
const STATUS: Partial<Record<CenterError['code'], number>> = { bad_request: 400, not_found: 404, unauthenticated: 401, rate_limited: 429 };

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'x-content-type-options': 'nosniff', ...CORS, ...extra });
  res.end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) => send(res, status, 'application/json', JSON.stringify(body), { 'cache-control': 'no-store' });

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new CenterError('bad_request', `A chat session request is at most ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new CenterError('bad_request', 'The request body is not valid JSON.');
  }
}

export interface WebchatHttpOptions {
  db: Db;
  /** The tenant of the demo page; no demo page when absent. */
  demoTenant?: string;
  /** The demo's mail routes (channels/demo-mail.ts), once its mailbox runs; the page then offers mail too. */
  demoMail?: () => ((req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>) | null;
  now?: () => number;
}

/** The handler: true when it answered the request. */
export function createWebchatHttp(opts: WebchatHttpOptions) {
  const now = opts.now ?? Date.now;
  /** Per client address: sessions opened in the current minute. */
  const opened = new Map<string, { minute: number; n: number }>();
  return async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    if (!url.pathname.startsWith('/chat/')) return false;
    const route = `${req.method} ${url.pathname}`;
    if (req.method === 'OPTIONS' && url.pathname === '/chat/session') {
      res.writeHead(204, CORS);
      res.end();
      return true;
    }
    if (route === 'GET /chat/widget.js') {
      send(res, 200, 'text/javascript', widgetScript(), { 'cache-control': 'public, max-age=300' });
      return true;
    }
    const demoMail = opts.demoTenant ? (opts.demoMail?.() ?? null) : null;
    if (demoMail && (await demoMail(req, res, url))) return true;
    if (route === 'GET /chat/demo.js' && opts.demoTenant) {
      send(res, 200, 'text/javascript', demoScript, { 'cache-control': 'no-store' });
      return true;
    }
    if (route === 'GET /chat/demo' && opts.demoTenant) {
      send(res, 200, 'text/html', demoPage(opts.demoTenant, url.searchParams.get('lang') === 'ko' ? 'ko' : 'en', Boolean(demoMail)), {
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws: wss:; frame-ancestors 'none'",
      });
      return true;
    }
    if (route === 'POST /chat/session') {
      try {
        const minute = Math.floor(now() / 60_000);
        const who = req.socket.remoteAddress ?? 'unknown';
        const seen = opened.get(who);
        const n = seen && seen.minute === minute ? seen.n + 1 : 1;
        opened.set(who, { minute, n });
        if (opened.size > 10_000) for (const [k, v] of opened) if (v.minute < minute) opened.delete(k);
        if (n > SESSIONS_PER_MINUTE) throw new CenterError('rate_limited', 'Too many chats opened from here; wait a minute and try again.');
        const parsed = ChatSessionRequest.safeParse(await readJson(req));
        if (!parsed.success) throw new CenterError('bad_request', parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
        json(res, 200, await openVisitorSession(opts.db, parsed.data, now()));
      } catch (err) {
        if (!(err instanceof CenterError)) throw err;
        json(res, STATUS[err.code] ?? 400, { error: { code: err.code, message: err.message } });
      }
      return true;
    }
    json(res, 404, { error: { code: 'not_found', message: `No route ${route}.` } });
    return true;
  };
}
