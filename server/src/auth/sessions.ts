// Sessions: opaque random bearer tokens; only their SHA-256 is stored. Expiring and revocable.
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '../../../shared/domain';
import type { Queryable } from '../db/db';

export const DEFAULT_SESSION_MS = 12 * 60 * 60 * 1000;

/** Who is asking: the authenticated identity every handler scopes its queries by. */
export interface Principal {
  userId: string;
  tenantId: string;
  username: string;
  displayName: string;
  role: Role;
  /** A supervisor or admin who also takes calls (an agent always does): see `takesCalls`. */
  takesCalls?: boolean;
  tokenHash: string;
  expiresAt: Date;
}

/** Whether this person is offered calls and may set an agent state: agents, and supervisors or admins who also take calls. */
export const takesCalls = (who: { role: string; takesCalls?: boolean }): boolean => who.role === 'agent' || who.takesCalls === true;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export async function createSession(q: Queryable, user: { id: string; tenantId: string }, ttlMs = DEFAULT_SESSION_MS) {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlMs);
  await q.query('INSERT INTO sessions (token_hash, tenant_id, user_id, expires_at) VALUES ($1, $2, $3, $4)', [
    hashToken(token),
    user.tenantId,
    user.id,
    expiresAt,
  ]);
  return { token, expiresAt };
}

/** The principal for a live token: not expired, not revoked, user not disabled. */
export async function authenticate(q: Queryable, token: string): Promise<Principal | null> {
  return authenticateHash(q, hashToken(token));
}

/** As `authenticate`, for a session already identified by its hash (re-checks on live sockets). */
export async function authenticateHash(q: Queryable, tokenHash: string): Promise<Principal | null> {
  const rows = await q.query<{ user_id: string; tenant_id: string; username: string; display_name: string; role: Role; takes_calls: boolean; expires_at: Date }>(
    `SELECT s.user_id, s.tenant_id, u.username, u.display_name, u.role, u.takes_calls, s.expires_at
       FROM sessions s JOIN users u ON u.id = s.user_id AND u.tenant_id = s.tenant_id
      WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
    [tokenHash],
    { prepare: true }, // run before every socket event
  );
  const r = rows[0];
  if (!r) return null;
  return {
    userId: r.user_id,
    tenantId: r.tenant_id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    takesCalls: r.takes_calls,
    tokenHash,
    expiresAt: new Date(r.expires_at),
  };
}

export async function revokeSession(q: Queryable, tokenHash: string): Promise<void> {
  await q.query('UPDATE sessions SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL', [tokenHash]);
}
