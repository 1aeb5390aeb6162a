// Wallboard tokens: created by an admin (CLI or the admin route), shown once, stored as a SHA-256
// hash, revocable. A token opens one tenant's read-only queue figures and nothing else.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../db/db';
import { iso, isoOrNull } from '../db/db';

export const hashWallboardToken = (token: string): string => createHash('sha256').update(`wallboard:${token}`).digest('hex');

/** A label names the screen ("floor 3 TV"): 1-64 printable characters. */
const LABEL = /^\P{Cc}{1,64}$/u;

export class WallboardError extends Error {
  constructor(
    readonly code: 'bad_request' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

export interface WallboardTokenInfo {
  id: string;
  label: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface WallboardPrincipal {
  tokenId: string;
  tenantId: string;
  label: string;
}

/** Creates a token for `tenantId`; the returned `token` is the only copy. */
export async function createWallboardToken(q: Queryable, tenantId: string, label: string, createdBy: string): Promise<{ id: string; token: string }> {
  const clean = label.trim();
  if (!LABEL.test(clean)) throw new WallboardError('bad_request', 'A wallboard label is 1-64 characters without control characters, e.g. "floor 3 TV".');
  const [tenant] = await q.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
  if (!tenant) throw new WallboardError('not_found', `There is no tenant "${tenantId.slice(0, 64)}".`);
  const id = randomUUID();
  const token = `wb_${randomBytes(32).toString('base64url')}`;
  await q.query('INSERT INTO wallboard_tokens (id, tenant_id, label, token_hash, created_by) VALUES ($1, $2, $3, $4, $5)', [
    id,
    tenantId,
    clean,
    hashWallboardToken(token),
    createdBy,
  ]);
  return { id, token };
}

/** Revokes the tenant's live tokens with this id or label; returns how many were revoked. */
export async function revokeWallboardToken(q: Queryable, tenantId: string, idOrLabel: string): Promise<number> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrLabel);
  const rows = await q.query(
    `UPDATE wallboard_tokens SET revoked_at = now()
      WHERE tenant_id = $1 AND revoked_at IS NULL AND (${isUuid ? 'id = $2::uuid' : 'label = $2'})
      RETURNING id`,
    [tenantId, idOrLabel.trim()],
  );
  return rows.length;
}

export async function listWallboardTokens(q: Queryable, tenantId: string): Promise<WallboardTokenInfo[]> {
  const rows = await q.query<{ id: string; label: string; created_by: string; created_at: unknown; revoked_at: unknown }>(
    'SELECT id, label, created_by, created_at, revoked_at FROM wallboard_tokens WHERE tenant_id = $1 ORDER BY created_at, id',
    [tenantId],
  );
  return rows.map((r) => ({ id: r.id, label: r.label, createdBy: r.created_by, createdAt: iso(r.created_at), revokedAt: isoOrNull(r.revoked_at) }));
}

/** The tenant a live token opens, or null (missing, unknown or revoked: the caller answers 401 alike). */
export async function authenticateWallboard(q: Queryable, token: string | null | undefined): Promise<WallboardPrincipal | null> {
  if (!token || token.length > 200 || !/^wb_[A-Za-z0-9_-]{20,}$/.test(token)) return null;
  const [row] = await q.query<{ id: string; tenant_id: string; label: string }>(
    'SELECT id, tenant_id, label FROM wallboard_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
    [hashWallboardToken(token)],
  );
  return row ? { tokenId: row.id, tenantId: row.tenant_id, label: row.label } : null;
}
