// How many customer lookups one user may make a minute: a tenant policy an administrator sets
// (tenant_policies, migration 0016; `tenant set-lookup-limit`, PUT /api/admin/lookup-limit). Unset,
// there is no limit. Counted per user through the center's throttle (shared between nodes), before
// the lookup runs; the policy is read at most every POLICY_TTL_MS per tenant.
import type { Db, Queryable } from '../db/db';
import { CenterError } from '../base/errors';
import type { Throttle, ThrottleRule } from '../auth/throttle';

const POLICY_TTL_MS = 10_000;
const MINUTE = 60_000;

export class LookupLimitError extends Error {}

/** Sets (or with null clears) the tenant's lookups per user per minute. */
export async function setLookupLimit(q: Queryable, tenantId: string, perMinute: number | null): Promise<void> {
  if (perMinute !== null && !(Number.isInteger(perMinute) && perMinute >= 1 && perMinute <= 100_000)) {
    throw new LookupLimitError('The lookup limit is a whole number of lookups a minute from 1 to 100000, or none.');
  }
  const known = await q.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
  if (known.length === 0) throw new LookupLimitError(`No tenant ${tenantId}: add it first with "tenant add --id ${tenantId}".`);
  await q.query(
    `INSERT INTO tenant_policies (tenant_id, lookups_per_minute, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (tenant_id) DO UPDATE SET lookups_per_minute = EXCLUDED.lookups_per_minute, updated_at = now()`,
    [tenantId, perMinute],
  );
}

export async function readLookupLimit(q: Queryable, tenantId: string): Promise<number | null> {
  const [row] = await q.query<{ n: number | null }>('SELECT lookups_per_minute AS n FROM tenant_policies WHERE tenant_id = $1', [tenantId]);
  return row?.n ?? null;
}

/** The check made before each lookup: refuses (rate_limited) a user over the tenant's limit. */
export function createLookupLimit(db: Db, throttle: Throttle, now: () => number = Date.now) {
  const policies = new Map<string, { perMinute: number | null; until: number }>();
  const policyOf = async (tenantId: string) => {
    const hit = policies.get(tenantId);
    if (hit && hit.until > now()) return hit.perMinute;
    const perMinute = await readLookupLimit(db, tenantId);
    policies.set(tenantId, { perMinute, until: now() + POLICY_TTL_MS });
    return perMinute;
  };
  return async function checkLookup(tenantId: string, userId: string): Promise<void> {
    const perMinute = await policyOf(tenantId);
    if (perMinute === null) return;
    const rule: ThrottleRule = { max: perMinute, windowMs: MINUTE, sliding: false, free: perMinute, baseDelayMs: 0, maxDelayMs: 0 };
    const verdict = await throttle.take(`lookup:${userId}`, rule).settled;
    if (!verdict.ok) {
      throw new CenterError(
        'rate_limited',
        `You have looked up ${perMinute} customers in the last minute, the most your administrator allows. Wait ${Math.ceil(verdict.retryAfterMs / 1000)} seconds and try again.`,
      );
    }
  };
}
export type CheckLookup = ReturnType<typeof createLookupLimit>;
