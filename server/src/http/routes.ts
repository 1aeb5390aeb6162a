// The center's HTTP surface: health and readiness probes, sign-in and sign-out, the CTI webhook, the
// wallboard, the admin API and mail attachments (their rooms answer them).
// Everything but the probes, login and the (signed) webhook needs `Authorization: Bearer <token>`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WireError } from '../../../shared/protocol';
import type { AdminHttp } from '../audit/http';
import type { createLogin } from '../auth/login';
import { authenticate, revokeSession, type Principal } from '../auth/sessions';
import type { CtiWebhookRequest, CtiWebhookResponse } from '../cti/webhook';
import type { Db } from '../db/db';
import type { WallboardHttp } from '../wallboard/http';

const MAX_BODY_BYTES = 64 * 1024;

export interface HttpDeps {
  db: Db;
  version: string;
  login: ReturnType<typeof createLogin>;
  /** 'ok' when migrated and serving; the probes report it. */
  status(): 'starting' | 'ok' | 'stopping';
  ready(): Promise<boolean>;
  /** Called after a session is revoked so its sockets are dropped. */
  onSignOut(principal: Principal): void;
  onError(err: unknown, route: string): void;
  /** `POST /cti/events`: a PBX's signed call events (docs/cti-webhook.md); absent, the route is 404. */
  ctiWebhook?: (req: CtiWebhookRequest) => Promise<CtiWebhookResponse>;
  /** `GET /wallboard…` (wallboard token) and `/api/wallboard/…` (admins); absent, those routes are 404. */
  wallboard?: WallboardHttp;
  /** `/chat/…`: the web chat widget, visitor sessions and the demo page (public; server/src/channels/chat/http.ts). */
  webchat?: (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** `/api/admin/voc…`: the VOC loop's setup (admins; server/src/voc/http.ts). */
  vocAdmin?: (principal: Principal, req: IncomingMessage, res: ServerResponse, url: URL, read: () => Promise<Buffer>) => Promise<boolean>;
  /** `/api/analysis/…` and `/api/improvements…`: the VOC analysis and improvements (server/src/voc/analysis-http.ts, improvements-http.ts). */
  analysis?: (principal: Principal, req: IncomingMessage, res: ServerResponse, url: URL, read: () => Promise<Buffer>) => Promise<boolean>;
  /** `GET /api/attachments/{ref}`: a mail attachment's content, to who holds or held its conversation (server/src/channels/attachments.ts). */
  attachments?: (principal: Principal, req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
  /** `/api/admin/…` (admins: a customer's access history, the lookup limit, lifting a sign-in limit); absent, 404. */
  admin?: AdminHttp;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}
const fail = (res: ServerResponse, status: number, error: WireError, headers?: Record<string, string>) => send(res, status, { error }, headers);

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, `The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const body = await readBody(req);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new BodyError(400, 'The request body is not valid JSON.');
  }
}

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S{1,512})$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

export function createHttpHandler(deps: HttpDeps) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://center');
    const route = `${req.method} ${url.pathname}`;
    try {
      if (route === 'GET /healthz') return send(res, 200, { status: deps.status() === 'stopping' ? 'stopping' : 'ok', version: deps.version });
      if (route === 'GET /readyz') {
        const ready = deps.status() === 'ok' && (await deps.ready());
        return send(res, ready ? 200 : 503, { status: ready ? 'ok' : deps.status() === 'ok' ? 'starting' : deps.status(), version: deps.version });
      }
      if (route === 'POST /api/login') {
        const outcome = await deps.login(await readJson(req), req.socket.remoteAddress ?? 'unknown');
        const headers: Record<string, string> = outcome.status !== 200 && outcome.retryAfterSeconds ? { 'retry-after': String(outcome.retryAfterSeconds) } : {};
        return send(res, outcome.status, outcome.body, headers);
      }
      if (route === 'POST /cti/events' && deps.ctiWebhook) {
        // Signed with the tenant's secret, not a session: the raw bytes are what was signed.
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
        const r = await deps.ctiWebhook({ headers, rawBody: await readBody(req) });
        return send(res, r.status, r.body);
      }
      if (deps.wallboard && (await deps.wallboard.handlePublic(req, res, url))) return;
      if (deps.webchat && (await deps.webchat(req, res, url))) return;
      const token = bearerToken(req.headers.authorization);
      const principal = token ? await authenticate(deps.db, token) : null;
      if (!principal) {
        return fail(res, 401, { code: 'unauthenticated', message: 'Sign in first: send Authorization: Bearer <token> from POST /api/login.' }, {
          'www-authenticate': 'Bearer',
        });
      }
      if (deps.wallboard && (await deps.wallboard.handleAdmin(principal, req, res, url, () => readJson(req)))) return;
      if (deps.vocAdmin && (await deps.vocAdmin(principal, req, res, url, () => readBody(req)))) return;
      if (deps.analysis && (await deps.analysis(principal, req, res, url, () => readBody(req)))) return;
      if (deps.attachments && (await deps.attachments(principal, req, res, url))) return;
      const admin = deps.admin ? await deps.admin(principal, req.method ?? 'GET', url, () => readJson(req)) : null;
      if (admin) return send(res, admin.status, admin.body);
      if (route === 'POST /api/logout') {
        await revokeSession(deps.db, principal.tokenHash);
        deps.onSignOut(principal);
        return send(res, 200, { ok: true });
      }
      if (route === 'GET /api/me') {
        return send(res, 200, {
          user: { id: principal.userId, tenant: principal.tenantId, username: principal.username, displayName: principal.displayName, role: principal.role },
          expiresAt: principal.expiresAt.toISOString(),
        });
      }
      return fail(res, 404, { code: 'not_found', message: `No route ${route}.` });
    } catch (err) {
      // An unread body leaves the connection unusable: close it after answering.
      if (err instanceof BodyError) return fail(res, err.status, { code: 'bad_request', message: err.message }, { connection: 'close' });
      deps.onError(err, route);
      if (!res.headersSent) fail(res, 500, { code: 'internal', message: 'The center failed to answer; try again, and tell your administrator if it persists.' });
    }
  };
}
