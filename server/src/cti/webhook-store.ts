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
    async hasEvent(tenant, eventId) {
      return (await db.query('SELECT 1 FROM cti_webhook_events WHERE tenant_id = $1 AND event_id = $2', [tenant, eventId])).length > 0;
    },
    async getCall(tenant, key) {
      const [row] = await db.query<{ state: unknown }>('SELECT state FROM cti_webhook_calls WHERE tenant_id = $1 AND call_key = $2', [tenant, key]);
      if (!row) return null;
      return (typeof row.state === 'string' ? JSON.parse(row.state) : row.state) as WebhookCallState;
    },
    async commit(tenant, eventId, receivedAt, call) {
      await db.tx(async (q) => {
        await q.query('INSERT INTO cti_webhook_events (tenant_id, event_id, received_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [tenant, eventId, new Date(receivedAt)]);
        if (call) {
          await q.query(
            `INSERT INTO cti_webhook_calls (tenant_id, call_key, state) VALUES ($1, $2, $3::jsonb)
             ON CONFLICT (tenant_id, call_key) DO UPDATE SET state = EXCLUDED.state`,
            [tenant, call.key, JSON.stringify(call.state)],
          );
        }
      });
    },
  };
}
