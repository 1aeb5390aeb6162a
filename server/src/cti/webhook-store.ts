// The CTI webhook's database side: per-tenant signing secrets, and the WebhookStore (event ids seen,
// each call's ordering state) in PostgreSQL/PGlite so retries and several center nodes agree.
import { acceptedSecrets, makeRotatingSecret } from '../base/rotating-secrets';
import type { Db } from '../db/db';
import type { WebhookCallState, WebhookStore } from './webhook';

/** Makes a new signing secret for the tenant; the previous one keeps working for the rotation overlap. */
export const createWebhookSecret = (db: Db, tenantId: string): Promise<string> => makeRotatingSecret(db, 'cti_webhook_secrets', tenantId, 'whsec');

/** The tenant's accepted secrets: the newest, and the one before it during the rotation overlap. */
export async function webhookSecretsFor(db: Db, tenantId: string, now = Date.now()): Promise<string[]> {
  const rows = await db.query<{ secret: string; created_at: Date | string }>(
    'SELECT secret, created_at FROM cti_webhook_secrets WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 2',
    [tenantId],
  );
  return acceptedSecrets(rows, now);
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
    async placedByCenter(tenant, interactionId) {
      // Placed calls are recorded (outbound, this tenant's) before the switch is asked to dial.
      const rows = await db.query(`SELECT 1 FROM interactions WHERE id = $1 AND tenant_id = $2 AND direction = 'outbound'`, [interactionId, tenant]);
      return rows.length > 0;
    },
  };
}

/**
 * Every tenant's accepted secrets (a tenant keeps at most two), read in one query and remembered for
 * `ttlMs`, so a busy PBX does not cost a query per event. A signature that matches none of them is
 * checked once more against a fresh read (`fresh`), so a secret made a moment ago works — but fresh
 * reads happen at most once per `freshEveryMs`, shared by every request that asks meanwhile (they wait
 * for it): a flood of badly signed requests, or of made-up tenants, costs one read a second, not one
 * each. A rotated-out secret stops working within `ttlMs` of its overlap ending.
 */
export function createWebhookSecretCache(db: Db, opts: { ttlMs?: number; freshEveryMs?: number; now?: () => number } = {}) {
  const ttlMs = opts.ttlMs ?? 10_000;
  const freshEveryMs = opts.freshEveryMs ?? 1_000;
  const now = opts.now ?? Date.now;
  let known: Map<string, string[]> | null = null;
  let readAt = -Infinity;
  let reading: Promise<Map<string, string[]>> | null = null;
  let nextFresh: Promise<Map<string, string[]>> | null = null;

  const readAll = (): Promise<Map<string, string[]>> =>
    (reading ??= (async () => {
      try {
        const startedAt = now();
        const rows = await db.query<{ tenant_id: string; secret: string; created_at: Date | string }>(
          'SELECT tenant_id, secret, created_at FROM cti_webhook_secrets ORDER BY tenant_id, created_at DESC',
        );
        const byTenant = new Map<string, Array<{ secret: string; created_at: Date | string }>>();
        for (const r of rows) byTenant.set(r.tenant_id, [...(byTenant.get(r.tenant_id) ?? []), r]);
        known = new Map([...byTenant].map(([tenant, list]) => [tenant, acceptedSecrets(list, startedAt)]));
        readAt = startedAt;
        return known;
      } finally {
        reading = null;
      }
    })());

  const freshRead = (): Promise<Map<string, string[]>> => {
    const wait = readAt + freshEveryMs - now();
    if (wait <= 0) return readAll();
    return (nextFresh ??= new Promise<void>((resolve) => setTimeout(resolve, wait).unref()).then(() => {
      nextFresh = null;
      return readAll();
    }));
  };

  return async (tenantId: string, fresh = false): Promise<string[]> => {
    const all = !fresh && known && now() - readAt < ttlMs ? known : await (fresh ? freshRead() : readAll());
    return all.get(tenantId) ?? [];
  };
}
