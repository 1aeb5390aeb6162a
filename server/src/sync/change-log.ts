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
}

export interface ChangeTxResult<T> {
  value: T;
  /** The change-log version that includes every effect of this transaction. */
  version: string;
  /** Who should be poked: the changes' scopes. */
  changes: ReadonlyArray<ChangeInput>;
}

/**
 * Writes `changes` to change_log and bumps the single-row counter IN ONE STATEMENT, which must be
 * the LAST statement of the transaction. Why: the UPDATE takes the counter row's lock and holds it
 * until COMMIT, so a second writer cannot take a version until the first has committed; versions
 * are therefore handed out in commit order and a reader paging `version > cursor` never passes a
 * row that commits later (a plain bigserial would let it). Doing it last keeps the lock short.
 * Returns the newest version (the current one if there was nothing to log).
 */
export async function appendChanges(q: Queryable, tenantId: string, changes: ReadonlyArray<ChangeInput>): Promise<string> {
  if (changes.length === 0) {
    const rows = await q.query<{ version: string }>('SELECT version::text AS version FROM change_version WHERE id = 1');
    return rows[0]?.version ?? '0';
  }
  const payload = changes.map((c) => ({
    entity: c.entity,
    id: c.id,
    op: c.op,
    data: c.op === 'delete' ? null : c.data,
    customerId: c.customerId ?? null,
    userId: c.userId ?? null,
  }));
  const rows = await q.query<{ version: string }>(
    `WITH bumped AS (
       UPDATE change_version SET version = version + $1::bigint WHERE id = 1 RETURNING version
     ), logged AS (
       INSERT INTO change_log (version, tenant_id, entity, entity_id, op, data, customer_id, user_id)
       SELECT bumped.version - $1::bigint + c.ord, $2, c.e->>'entity', c.e->>'id', c.e->>'op',
              NULLIF(c.e->'data', 'null'::jsonb), (c.e->>'customerId')::uuid, (c.e->>'userId')::uuid
         FROM bumped, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS c(e, ord)
       RETURNING version
     )
     SELECT max(version)::text AS version FROM logged`,
    [changes.length, tenantId, JSON.stringify(payload)],
  );
  const version = rows[0]?.version;
  if (!version) throw new Error('change log write returned no version');
  return version;
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
      const value = await fn({ q, tenantId, record: (c) => void changes.push(c) });
      const version = await appendChanges(q, tenantId, changes);
      return { value, version, changes };
    },
    // Every writer updates the counter row, so overlapping REPEATABLE READ writers on PostgreSQL
    // fail with 40001 and are re-run: allow enough attempts for a busy floor.
    { isolation: 'repeatable read', attempts: 30, ...opts },
  );
}

/** The current change-log version (the newest committed). */
export async function currentVersion(q: Queryable): Promise<string> {
  return appendChanges(q, '', []);
}
