// Which user a switch's agent name is, for the screen pop of a ringing call. A busy floor rings a
// different agent many times a second, so a tenant's enabled agents are read in one query and kept for
// a short while (one statement per tenant per TTL instead of one per ring, on a pool the ringing calls
// queue for); a name not among them (a user added since, or a roster too large to hold) is asked alone
// and remembered as long. A user disabled meanwhile is no longer popped once the roster or the entry
// expires (their sessions are gone at once anyway).
import type { Queryable } from '../db/db';

export const AGENT_DIRECTORY_TTL_MS = 30_000;
const MAX_ENTRIES = 50_000;
/** A roster is the tenant's first this-many enabled users; names beyond it are asked one by one. */
const ROSTER_MAX = 20_000;

type Roster = Map<string, string>;

export function createAgentDirectory(db: Queryable, ttlMs = AGENT_DIRECTORY_TTL_MS, now: () => number = Date.now) {
  const known = new Map<string, { user: { id: string } | null; until: number }>();
  /** tenant -> its enabled users (username -> id), being read (until: never) or read; one read at a time per tenant. */
  const rosters = new Map<string, { read: Promise<Roster | null>; until: number }>();

  function rosterOf(tenantId: string): Promise<Roster | null> {
    const had = rosters.get(tenantId);
    if (had && had.until > now()) return had.read;
    const entry = { read: Promise.resolve<Roster | null>(null), until: Infinity };
    entry.read = db.query<{ username: string; id: string }>('SELECT username, id FROM users WHERE tenant_id = $1 AND NOT disabled LIMIT $2', [tenantId, ROSTER_MAX]).then(
      (rows) => {
        entry.until = now() + ttlMs;
        return new Map(rows.map((r) => [r.username, r.id]));
      },
      () => {
        entry.until = 0; // asked one by one meanwhile; read again on the next ring
        return null;
      },
    );
    if (!had && rosters.size >= 1000) rosters.delete(rosters.keys().next().value as string);
    rosters.set(tenantId, entry);
    return entry.read;
  }

  return {
    /** The enabled user of the tenant with this username, or null. */
    async find(tenantId: string, username: string): Promise<{ id: string } | null> {
      const id = (await rosterOf(tenantId))?.get(username);
      if (id) return { id };
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
