// The wallboard's HTTP routes. Public (the wallboard token is the credential):
//   GET /wallboard   the page (no data); opened as /wallboard#token=…, the token stays in the browser:
//                    a fragment is never sent to the center, so it is in no request line, proxy log or
//                    Referer. A link with ?token= is refused (400), the token not echoed.
//   GET /wallboard/app.js, /wallboard/app.css   its script and style (no data)
//   GET /wallboard/data   Authorization: Bearer <wallboard token>  -> the token's tenant's queue figures
// Admins (a signed-in session): GET/POST /api/wallboard/tokens, POST /api/wallboard/tokens/revoke.
// A missing, unknown or revoked token gets the same 401 and nothing else.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { QueueMetricsPush } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Db } from '../db/db';
import { createWallboardData } from './data';
import { wallboardCss, wallboardHtml, wallboardJs } from './page';
import { authenticateWallboard, createWallboardToken, listWallboardTokens, revokeWallboardToken, WallboardError } from './tokens';

export interface WallboardDeps {
  db: Db;
  /** The tenant's live queue metrics: the floor's full snapshot. */
  metricsOf(tenantId: string): Promise<QueueMetricsPush>;
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
};

function write(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, ...SECURITY_HEADERS, ...extra });
  res.end(body);
}
const json = (res: ServerResponse, status: number, body: unknown) => write(res, status, 'application/json', JSON.stringify(body));
const UNAUTHORIZED = { error: { code: 'unauthenticated', message: 'This wallboard needs a valid wallboard token; ask an administrator for one.' } };

const OLD_LINK =
  'This wallboard link puts its token where servers and proxies log it (after "?"). Open it as <center>/wallboard#token=<token> instead (after "#"); an administrator can revoke this token and make a new one.\n';
/** Where a screen opens a wallboard token: in the fragment, which the browser never sends. */
export const wallboardLink = (token: string) => `/wallboard#token=${token}`;

const CreateBody = z.strictObject({ label: z.string().min(1).max(64) });
const RevokeBody = z.strictObject({ token: z.string().min(1).max(64) });

export function createWallboardHttp(deps: WallboardDeps) {
  const data = createWallboardData(deps.db, deps.metricsOf);
  const wallboardBearer = (req: IncomingMessage) => /^Bearer\s+(\S{1,200})$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;

  return {
    /** Answers the public /wallboard routes; false for any other path. */
    async handlePublic(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
      if (req.method !== 'GET' || !(url.pathname === '/wallboard' || url.pathname.startsWith('/wallboard/'))) return false;
      switch (url.pathname) {
        case '/wallboard/app.js':
          write(res, 200, 'text/javascript', wallboardJs);
          return true;
        case '/wallboard/app.css':
          write(res, 200, 'text/css', wallboardCss);
          return true;
        case '/wallboard':
          if (url.searchParams.has('token')) {
            write(res, 400, 'text/plain', OLD_LINK);
          } else {
            write(res, 200, 'text/html', wallboardHtml);
          }
          return true;
        case '/wallboard/data': {
          const who = await authenticateWallboard(deps.db, wallboardBearer(req));
          if (!who) json(res, 401, UNAUTHORIZED);
          else json(res, 200, await data(who.tenantId, who.label));
          return true;
        }
        default:
          json(res, 404, { error: { code: 'not_found', message: 'No such wallboard resource.' } });
          return true;
      }
    },

    /** Answers /api/wallboard/* for a signed-in principal (admins only); false for any other path. */
    async handleAdmin(principal: Principal, req: IncomingMessage, res: ServerResponse, url: URL, readJson: () => Promise<unknown>): Promise<boolean> {
      if (!url.pathname.startsWith('/api/wallboard/')) return false;
      if (principal.role !== 'admin') {
        json(res, 403, { error: { code: 'forbidden', message: 'Only administrators manage wallboard tokens.' } });
        return true;
      }
      const route = `${req.method} ${url.pathname}`;
      try {
        if (route === 'GET /api/wallboard/tokens') {
          json(res, 200, { tokens: await listWallboardTokens(deps.db, principal.tenantId) });
          return true;
        }
        if (route === 'POST /api/wallboard/tokens') {
          const body = CreateBody.safeParse(await readJson());
          if (!body.success) throw new WallboardError('bad_request', 'Send { "label": "…" } (1-64 characters) to create a wallboard token.');
          const created = await createWallboardToken(deps.db, principal.tenantId, body.data.label, principal.username);
          await auditRow(principal, 'wallboard.token_created', created.id);
          json(res, 201, { id: created.id, token: created.token, url: wallboardLink(created.token) });
          return true;
        }
        if (route === 'POST /api/wallboard/tokens/revoke') {
          const body = RevokeBody.safeParse(await readJson());
          if (!body.success) throw new WallboardError('bad_request', 'Send { "token": "<id or label>" } to revoke a wallboard token.');
          const revoked = await revokeWallboardToken(deps.db, principal.tenantId, body.data.token);
          if (revoked === 0) throw new WallboardError('not_found', 'No live wallboard token of your tenant has that id or label.');
          await auditRow(principal, 'wallboard.token_revoked', body.data.token);
          json(res, 200, { revoked });
          return true;
        }
        json(res, 404, { error: { code: 'not_found', message: `No route ${route}.` } });
        return true;
      } catch (err) {
        if (!(err instanceof WallboardError)) throw err;
        json(res, err.code === 'not_found' ? 404 : 400, { error: { code: err.code, message: err.message } });
        return true;
      }
    },
  };

  async function auditRow(p: Principal, action: string, reason: string): Promise<void> {
    await deps.db.query('INSERT INTO audit_log (tenant_id, user_id, action, reason) VALUES ($1, $2, $3, $4)', [p.tenantId, p.userId, action, reason.slice(0, 200)]);
  }
}
export type WallboardHttp = ReturnType<typeof createWallboardHttp>;
