// The change log: every domain write records its changed entities here, in the same transaction,
// under versions that are strictly increasing IN COMMIT ORDER (SYNC.md, "Server change log").
import type { Entity } from '../../../shared/protocol';
import type { Db, Queryable, TxOptions } from '../db/db';

export interface ChangeInput {
  entity: Entity;
  id: string;
  op: 'upsert' | 'delete';
  /** The entity as shared/protocol `entityData[entity]` describes it; null for a tombstone. */
  data: unknown;
  /** Visible to every user with this customer in their working set. */
  customerId?: string | null;
  /** Visible to this user only (wins over customerId). Neither: visible to the whole tenant. */
  userId?: string | null;
}

/** A writing transaction: SQL plus the changes to log when it commits. */
export interface ChangeTx {
  q: Queryable;
  tenantId: string;
  record(change: ChangeInput): void;
  /**
   * Sends `sql` as the transaction's LAST statement with the recorded changes appended by the same
   * statement (`WITH <ctes>, bumped …, logged … SELECT <version>`): one round trip for a writer whose
   * final writes are known. `ctes` are data-modifying CTEs over `params`; nothing may be recorded or
   * sent afterwards. The change-log lock is held for all of it: keep bulky writes out of `ctes`.
   * Only on a transaction from `changeTx`.
   */
  finish?(ctes: readonly string[], params: unknown[]): Promise<string>;
}

export interface ChangeTxResult<T> {
  value: T;
  /** The change-log version that includes every effect of this transaction. */
  version: string;
  /** Who should be poked: the changes' scopes. */
  changes: ReadonlyArray<ChangeInput>;
}

/** The advisory lock every change-log writer takes in its last statement ("EARSHOT" + 2, beside 7419001 of migrate). */
export const CHANGE_LOG_LOCK = 7419002;

/**
 * For the sync path's statements, run for every push, pull, grant and snapshot: their texts come from
 * a fixed set (values travel as parameters, lists as arrays), so each is planned once per connection.
 */
export const PREPARED = { prepare: true } as const;

/**
 * The newest version this snapshot can see: the highest change_log row, or the retention horizon when
 * everything up to it was pruned. Read inside a REPEATABLE READ transaction, it is consistent with
 * what that transaction reads (a writer still in flight always ends up above it; see changeLogCtes).
 */
export const HIGH_WATER_SQL = `SELECT GREATEST((SELECT version FROM change_log_horizon WHERE id = 1), COALESCE((SELECT max(version) FROM change_log), 0))::text`;

/**
 * Writes `changes` to change_log IN ONE STATEMENT, which must be the LAST statement of the transaction,
 * and returns the newest version (the current one if there was nothing to log).
 */
export async function appendChanges(q: Queryable, tenantId: string, changes: ReadonlyArray<ChangeInput>): Promise<string> {
  if (changes.length === 0) return currentVersion(q);
  const params: unknown[] = [];
  const rows = await q.query<{ version: string }>(`WITH ${changeLogCtes(params, tenantId, changes)} SELECT max(version)::text AS version FROM logged`, params, PREPARED);
  const version = rows[0]?.version;
  if (!version) throw new Error('change log write returned no version');
  return version;
}

/**
 * The CTEs `locked`, `bumped` and `logged` that append `changes`, with their values added to `params`.
 * Used by appendChanges and, inside a writer's last statement, by `finish`.
 *
 * Versions are in COMMIT ORDER (SYNC.md): the statement first takes a transaction-scoped advisory lock,
 * held until COMMIT, and only then draws its block of versions from the sequence. A writer therefore
 * cannot take a version until the previous one has committed (PostgreSQL makes a transaction visible
 * before it releases its locks), so a reader paging `version > cursor` never passes a row that commits
 * later, which a plain bigserial would allow. Unlike the single-row counter this replaces (migration
 * 0008), neither the lock nor the sequence is subject to the REPEATABLE READ snapshot, so overlapping
 * writers wait their turn for a moment instead of failing with 40001. Doing it last keeps the lock short.
 * But PostgreSQL does not order a statement's CTEs: in practice it runs `logged`, which the main
 * query reads, before the data-modifying CTEs it does not read, and it checks foreign keys at the
 * statement's end. So the lock covers the whole statement, and bulky writes belong in an earlier one
 * (see push.ts).
 */
export function changeLogCtes(params: unknown[], tenantId: string, changes: ReadonlyArray<ChangeInput>): string {
  const payload = changes.map((c) => ({
    entity: c.entity,
    id: c.id,
    op: c.op,
    data: c.op === 'delete' ? null : c.data,
    customerId: c.customerId ?? null,
    userId: c.userId ?? null,
  }));
  const n = `$${params.push(changes.length)}::bigint`;
  const tenant = `$${params.push(tenantId)}`;
  const json = `$${params.push(JSON.stringify(payload))}::jsonb`;
  // `bumped` reads `locked`, so the block is drawn only once the lock is held; nextval then setval
  // under the lock reserves n consecutive versions, the last of which is returned.
  return `locked AS (
       SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK}) AS held
     ), bumped AS (
       SELECT setval('change_log_version_seq', nextval('change_log_version_seq') + ${n} - 1) AS version FROM locked
     ), logged AS (
       INSERT INTO change_log (version, tenant_id, entity, entity_id, op, data, customer_id, user_id)
       SELECT bumped.version - ${n} + c.ord, ${tenant}, c.e->>'entity', c.e->>'id', c.e->>'op',
              NULLIF(c.e->'data', 'null'::jsonb), (c.e->>'customerId')::uuid, (c.e->>'userId')::uuid
         FROM bumped, jsonb_array_elements(${json}) WITH ORDINALITY AS c(e, ord)
       RETURNING version
     )`;
}

/**
 * Runs `fn` in a transaction (REPEATABLE READ by default, as sync requires) and logs what it
 * recorded as the transaction's last statement. `fn` may be re-run on a serialization failure;
 * the recorded changes start empty on every run.
 */
export async function changeTx<T>(
  db: Db,
  tenantId: string,
  fn: (tx: ChangeTx) => Promise<T>,
  opts: TxOptions = {},
): Promise<ChangeTxResult<T>> {
  return db.tx(
    async (q) => {
      const changes: ChangeInput[] = [];
      let finished: string | null = null;
      const tx: ChangeTx = {
        q,
        tenantId,
        record: (c) => {
          if (finished !== null) throw new Error('a change was recorded after the transaction finished');
          changes.push(c);
        },
        finish: async (ctes, params) => {
          if (finished !== null) throw new Error('a transaction finished twice');
          // The change-log lock is taken in this, the last statement, and held to COMMIT.
          const log = changes.length > 0 ? changeLogCtes(params, tenantId, changes) : null;
          const all = [...ctes, ...(log ? [log] : [])];
          const rows = await q.query<{ version: string }>(
            `${all.length > 0 ? `WITH ${all.join(',\n')}` : ''}
             SELECT ${log ? '(SELECT max(version) FROM logged)::text' : `(${HIGH_WATER_SQL})`} AS version`,
            params,
            PREPARED,
          );
          finished = rows[0]?.version ?? null;
          if (finished === null) throw new Error('change log write returned no version');
          return finished;
        },
      };
      const value = await fn(tx);
      const version = finished ?? (await appendChanges(q, tenantId, changes));
      return { value, version, changes };
    },
    // Writers no longer collide on the change log; a re-run is left only for a writer whose own rows
    // met a concurrent update of the same rows (e.g. two pushes revising one note).
    { isolation: 'repeatable read', attempts: 30, ...opts },
  );
}

/** The current change-log version: the newest committed, as the caller's snapshot sees it. */
export async function currentVersion(q: Queryable): Promise<string> {
  const rows = await q.query<{ version: string }>(`${HIGH_WATER_SQL} AS version`, [], PREPARED);
  return rows[0]?.version ?? '0';
}
