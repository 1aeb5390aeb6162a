// The CTI webhook's database side: per-tenant signing secrets, and the WebhookStore (event ids seen,
// each call's ordering state) in PostgreSQL/PGlite so retries and several center nodes agree.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db';
import type { WebhookCallState, WebhookStore } from './webhook';

/** Secrets older than the newest by more than this are no longer accepted (the rotation overlap). */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** Makes a new signing secret for the tenant; the previous one keeps working for the rotation overlap. */
export async function createWebhookSecret(db: Db, tenantId: string): Promise<string> {
  const secret = `whsec-${randomBytes(24).toString('base64url')}`;
  await db.tx(async (q) => {
    const known = await q.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    if (known.length === 0) throw new Error(`No tenant ${tenantId}: add it first with "tenant add --id ${tenantId}".`);
    await q.query('INSERT INTO cti_webhook_secrets (tenant_id, secret) VALUES ($1, $2)', [tenantId, secret]);
    // Only the newest two stay: a rotation replaces the older one.
    await q.query(
      `DELETE FROM cti_webhook_secrets WHERE tenant_id = $1 AND secret NOT IN
         (SELECT secret FROM cti_webhook_secrets WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 2)`,
      [tenantId],
    );
  });
  return secret;
}

/** The tenant's accepted secrets: the newest, and the one before it during the rotation overlap. */
export async function webhookSecretsFor(db: Db, tenantId: string, now = Date.now()): Promise<string[]> {
  const rows = await db.query<{ secret: string; created_at: Date | string }>(
    'SELECT secret, created_at FROM cti_webhook_secrets WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 2',
    [tenantId],
  );
  const newest = rows[0] ? new Date(rows[0].created_at).getTime() : 0;
  return rows.filter((r, i) => i === 0 || now - newest < SECRET_ROTATION_OVERLAP_MS).map((r) => r.secret);
}

export function createDbWebhookStore(db: Db): WebhookStore {
  return {
    async recall(tenant, eventId, key) {
      const [row] = await db.query<{ seen: boolean; state: unknown }>(
        `SELECT EXISTS (SELECT 1 FROM cti_webhook_events WHERE tenant_id = $1 AND event_id = $2) AS seen,
                (SELECT state FROM cti_webhook_calls WHERE tenant_id = $1 AND call_key = $3) AS state`,
        [tenant, eventId, key],
      );
      const state = row?.state ?? null;
      return { seen: row?.seen === true, call: (typeof state === 'string' ? JSON.parse(state) : state) as WebhookCallState | null };
    },
    async commit(tenant, eventId, receivedAt, call) {
      // One statement, so atomic without a transaction's extra round trips.
      await db.query(
        `WITH seen AS (
           INSERT INTO cti_webhook_events (tenant_id, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING
         )
         INSERT INTO cti_webhook_calls (tenant_id, call_key, state)
         SELECT $1, $4::text, $5::jsonb WHERE $4::text IS NOT NULL
         ON CONFLICT (tenant_id, call_key) DO UPDATE SET state = EXCLUDED.state`,
        [tenant, eventId, new Date(receivedAt), call?.key ?? null, call ? JSON.stringify(call.state) : null],
      );
    },
  };
}

/**
 * The tenant's secrets as webhookSecretsFor reads them, remembered for `ttlMs` so a busy PBX does not
 * cost a query per event. A signature that matches none of the remembered secrets is checked once more
 * against the database (`fresh`), so a secret made a moment ago works at once; a rotated-out secret
 * stops working within `ttlMs` of its overlap ending.
 */
export function createWebhookSecretCache(db: Db, ttlMs = 10_000, now: () => number = Date.now) {
  const cache = new Map<string, { secrets: string[]; until: number }>();
  return async (tenantId: string, fresh = false): Promise<string[]> => {
    const hit = cache.get(tenantId);
    if (!fresh && hit && hit.until > now()) return hit.secrets;
    const secrets = await webhookSecretsFor(db, tenantId, now());
    if (cache.size >= 10_000) cache.delete(cache.keys().next().value as string);
    cache.set(tenantId, { secrets, until: now() + ttlMs });
    return secrets;
  };
}
