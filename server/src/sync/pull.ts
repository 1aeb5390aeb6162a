// sync:pull: keyset pages of the change log by version, filtered to the user's scope at the center.
import { MIN_SCHEMA_VERSION, type Change, type PullRequest, type PullResponse } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Db, Queryable } from '../db/db';
import { isBootstrapCursor, pullBootstrap } from './bootstrap';
import { currentVersion, PREPARED } from './change-log';
import { updateRequired } from './schema-version';
import { grantQueue } from './grants';
import { VISIBLE_TO_USER } from './scope';

async function page(q: Queryable, who: Principal, cursor: string, limit: number): Promise<PullResponse> {
  const rows = await q.query<{ version: string; entity: Change['entity']; entity_id: string; op: Change['op']; data: unknown }>(
    `SELECT cl.version::text AS version, cl.entity, cl.entity_id, cl.op, cl.data
       FROM change_log cl
      WHERE cl.tenant_id = $1 AND cl.version > $2::bigint AND ${VISIBLE_TO_USER}
      ORDER BY cl.version LIMIT $4`,
    [who.tenantId, cursor, who.userId, limit + 1],
    PREPARED,
  );
  const hasMore = rows.length > limit;
  const changes: Change[] = rows.slice(0, limit).map((r) => ({ version: r.version, entity: r.entity, id: r.entity_id, op: r.op, data: r.data }));
  // With nothing more to send, the cursor may jump to the snapshot's newest version: every row at or
  // below it has committed (versions are in commit order), and what is skipped is out of scope.
  const next = hasMore ? changes[changes.length - 1]!.version : await currentVersion(q);
  return { changes, cursor: BigInt(next) > BigInt(cursor) ? next : cursor, hasMore, reset: false };
}

/**
 * `cursor: null` bootstraps: the user's scope (reference data and working set) is read from the
 * tables in keyset pages (bootstrap.ts), then the pull continues from the change log at the
 * snapshot's version. A cursor older than the retention horizon answers `reset: true`.
 */
export async function pullChanges(db: Db, who: Principal, req: PullRequest): Promise<PullResponse> {
  if (req.schemaVersion < MIN_SCHEMA_VERSION) throw updateRequired(req.schemaVersion, MIN_SCHEMA_VERSION);
  // A lookup just answered may still be writing this user's working-set grant: pull after it.
  await grantQueue(db).settled(who.userId);
  const fromCursor = (cursor: string, limit: number) =>
    db.tx(
      async (q): Promise<PullResponse> => {
        const horizon = await q.query<{ version: string }>('SELECT version::text AS version FROM change_log_horizon WHERE id = 1');
        if (BigInt(cursor) < BigInt(horizon[0]?.version ?? '0')) return { changes: [], cursor, hasMore: false, reset: true };
        return page(q, who, cursor, limit);
      },
      { isolation: 'repeatable read' },
    );
  if (req.cursor === null || isBootstrapCursor(req.cursor)) {
    const res = await pullBootstrap(db, who, req.cursor, req.limit, fromCursor);
    // The change log was pruned past the snapshot while it was being sent: start over.
    return res.reset ? { changes: [], cursor: req.cursor ?? res.cursor, hasMore: false, reset: true } : res;
  }
  return fromCursor(req.cursor, req.limit);
}

/**
 * Retention: drops change-log rows at or below `keepAfter` and moves the horizon there. Desktops
 * whose cursor is older are told to reset and re-bootstrap.
 */
export async function pruneChangeLog(db: Db, keepAfter: string): Promise<number> {
  return db.tx(async (q) => {
    await q.query('UPDATE change_log_horizon SET version = GREATEST(version, $1::bigint) WHERE id = 1', [keepAfter]);
    const rows = await q.query<{ n: number }>(
      'WITH gone AS (DELETE FROM change_log WHERE version <= $1::bigint RETURNING 1) SELECT count(*)::int AS n FROM gone',
      [keepAfter],
    );
    return rows[0]?.n ?? 0;
  });
}

/** Retention by age: prunes change-log rows written before `cutoff` (default horizon: 30 days). */
export async function pruneChangeLogBefore(db: Db, cutoff: Date): Promise<number> {
  const rows = await db.query<{ version: string | null }>('SELECT max(version)::text AS version FROM change_log WHERE created_at < $1', [cutoff]);
  const keepAfter = rows[0]?.version;
  return keepAfter ? pruneChangeLog(db, keepAfter) : 0;
}
