// Which user a switch's agent name is, for the screen pop of a ringing call: remembered for a short
// while, because a busy floor rings agents many times a second and the answer rarely changes. A user
// disabled meanwhile is no longer popped once the entry expires (their sessions are gone at once anyway).
import type { Queryable } from '../db/db';

export const AGENT_DIRECTORY_TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;

export function createAgentDirectory(db: Queryable, ttlMs = AGENT_DIRECTORY_TTL_MS, now: () => number = Date.now) {
  const known = new Map<string, { user: { id: string } | null; until: number }>();
  return {
    /** The enabled user of the tenant with this username, or null. */
    async find(tenantId: string, username: string): Promise<{ id: string } | null> {
      const key = `${tenantId}\u0000${username}`;
      const hit = known.get(key);
      if (hit && hit.until > now()) return hit.user;
      const [user] = await db.query<{ id: string }>('SELECT id FROM users WHERE tenant_id = $1 AND username = $2 AND NOT disabled', [tenantId, username]);
      if (known.size >= MAX_ENTRIES) known.delete(known.keys().next().value as string);
      known.set(key, { user: user ?? null, until: now() + ttlMs });
      return user ?? null;
    },
  };
}
