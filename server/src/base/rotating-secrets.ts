// Per-tenant secrets that rotate without a gap (the CTI webhook's signing secret, the web chat's
// identity secret): a new one is made, the previous one stays accepted for a day so the other side
// can switch over, and only the newest two are kept.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/db';

/** Secrets older than the newest by more than this are no longer accepted (the rotation overlap). */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** The tables that hold such secrets: (tenant_id, secret, created_at). */
export type SecretTable = 'cti_webhook_secrets' | 'chat_identity_secrets';

/** Makes a new secret for the tenant; the previous one keeps working for the rotation overlap. */
export async function makeRotatingSecret(db: Db, table: SecretTable, tenantId: string, prefix: string): Promise<string> {
  const secret = `${prefix}-${randomBytes(24).toString('base64url')}`;
  await db.tx(async (q) => {
    const known = await q.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    if (known.length === 0) throw new Error(`No tenant ${tenantId}: add it first with "tenant add --id ${tenantId}".`);
    await q.query(`INSERT INTO ${table} (tenant_id, secret) VALUES ($1, $2)`, [tenantId, secret]);
    // Only the newest two stay: a rotation replaces the older one.
    await q.query(`DELETE FROM ${table} WHERE tenant_id = $1 AND secret NOT IN (SELECT secret FROM ${table} WHERE tenant_id = $1 ORDER BY created_at DESC LIMIT 2)`, [tenantId]);
  });
  return secret;
}

/** Of one tenant's secrets, newest first, those accepted now: the newest, and the one before it during the rotation overlap. */
export function acceptedSecrets(rows: ReadonlyArray<{ secret: string; created_at: Date | string }>, now: number): string[] {
  const newest = rows[0] ? new Date(rows[0].created_at).getTime() : 0;
  return rows
    .slice(0, 2)
    .filter((_, i) => i === 0 || now - newest < SECRET_ROTATION_OVERLAP_MS)
    .map((r) => r.secret);
}
