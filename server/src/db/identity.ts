// The center database's identity (migration 0014): the newest row of center_identity. A restore adds
// a row in the same transaction that puts the backup's data in place, so no desktop can meet restored
// data under the identity it already knew.
import type { Queryable } from './db';

export interface CenterIdentity {
  /** What every pull and push answer carries (`centerId`). */
  id: string;
  /** True once this database has been restored from a backup (at any time). */
  restored: boolean;
}

export async function readCenterIdentity(q: Queryable): Promise<CenterIdentity> {
  const [row] = await q.query<{ id: string; restored: boolean }>(
    `SELECT id::text AS id, EXISTS (SELECT 1 FROM public.center_identity WHERE restored_from IS NOT NULL) AS restored
       FROM public.center_identity ORDER BY n DESC LIMIT 1`,
  );
  if (!row) throw new Error('The center database has no identity (center_identity is empty): restore it from a backup, or migrate it again.');
  return row;
}

/**
 * Renews the identity: the statement a restore runs inside its own transaction, after the backup's
 * data. Schema-qualified, because a PostgreSQL dump empties the search path.
 */
export const RENEW_IDENTITY_SQL = `INSERT INTO public.center_identity (id, restored_from)
  SELECT pg_catalog.gen_random_uuid(), id FROM public.center_identity ORDER BY n DESC LIMIT 1`;

/** An in-memory database started from a cached template is a database of its own: its own identity. */
export const FRESH_IDENTITY_SQL = 'UPDATE public.center_identity SET id = pg_catalog.gen_random_uuid(), began_at = now()';
