// The administrators' API (a signed-in session with the admin role, its own tenant only):
//   GET  /api/admin/customers/<id>/access[?limit=N]  who saw or touched the customer, newest first (itself audited)
//   GET  /api/admin/lookup-limit, PUT {"lookupsPerMinute": N | null}  the tenant's customer lookups per user per minute
//   POST /api/admin/users/<username>/unlock  lifts the user's sign-in limit after too many failed sign-ins
// Every change, and every read of a customer's history, is in the audit trail. Answers are returned
// for routes.ts to send; null for any other path.
import { z } from 'zod';
import type { Principal } from '../auth/sessions';
import { liftSignInLimit, UserError } from '../auth/users';
import type { Db } from '../db/db';
import { LookupLimitError, readLookupLimit, setLookupLimit } from '../lookup/limit';
import { ACCESS_HISTORY_MAX, auditAdmin, readCustomerAccess } from './trail';

export interface AdminAnswer {
  status: number;
  body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LimitBody = z.strictObject({ lookupsPerMinute: z.number().int().min(1).max(100_000).nullable() });
const refuse = (status: number, code: string, message: string): AdminAnswer => ({ status, body: { error: { code, message } } });

export function createAdminHttp(db: Db) {
  return async function handleAdmin(who: Principal, method: string, url: URL, readJson: () => Promise<unknown>): Promise<AdminAnswer | null> {
    if (!url.pathname.startsWith('/api/admin/')) return null;
    if (who.role !== 'admin') return refuse(403, 'forbidden', 'Only administrators may use the admin API.');
    const by = { tenantId: who.tenantId, userId: who.userId };

    const access = /^\/api\/admin\/customers\/([^/]+)\/access$/.exec(url.pathname);
    if (access && method === 'GET') {
      const customerId = access[1]!;
      if (!UUID.test(customerId)) return refuse(400, 'bad_request', 'The customer id is a UUID (as shown in the customer profile).');
      const limit = Number(url.searchParams.get('limit') ?? 200);
      if (!Number.isInteger(limit) || limit < 1 || limit > ACCESS_HISTORY_MAX) return refuse(400, 'bad_request', `limit is a whole number from 1 to ${ACCESS_HISTORY_MAX}.`);
      const entries = await readCustomerAccess(db, who.tenantId, customerId, limit);
      await auditAdmin(db, { ...by, action: 'customer_access_read', customerId, detail: `admin API, ${entries.length} entries` });
      return { status: 200, body: { customerId, entries } };
    }

    if (url.pathname === '/api/admin/lookup-limit') {
      if (method === 'GET') return { status: 200, body: { lookupsPerMinute: await readLookupLimit(db, who.tenantId) } };
      if (method === 'PUT') {
        const body = LimitBody.safeParse(await readJson());
        if (!body.success) return refuse(400, 'bad_request', 'Send {"lookupsPerMinute": N} (1 to 100000) or {"lookupsPerMinute": null} for no limit.');
        try {
          await setLookupLimit(db, who.tenantId, body.data.lookupsPerMinute);
        } catch (err) {
          if (err instanceof LookupLimitError) return refuse(400, 'bad_request', err.message);
          throw err;
        }
        await auditAdmin(db, { ...by, action: 'lookup_limit_set', detail: `admin API: ${body.data.lookupsPerMinute ?? 'no limit'} a minute` });
        return { status: 200, body: { lookupsPerMinute: body.data.lookupsPerMinute } };
      }
    }

    const unlock = /^\/api\/admin\/users\/([^/]{1,64})\/unlock$/.exec(url.pathname);
    if (unlock && method === 'POST') {
      const username = decodeURIComponent(unlock[1]!);
      try {
        await liftSignInLimit(db, who.tenantId, username, `admin ${who.username}`);
      } catch (err) {
        if (err instanceof UserError) return refuse(404, 'not_found', err.message);
        throw err;
      }
      await auditAdmin(db, { ...by, action: 'user_unlocked', detail: `admin API: ${username}` });
      return { status: 200, body: { unlocked: username } };
    }
    return refuse(404, 'not_found', `No admin route ${method} ${url.pathname}.`);
  };
}
export type AdminHttp = ReturnType<typeof createAdminHttp>;
