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
   * sent afterwards. Only on a transaction from `changeTx`.
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
  const params: unknown[] = [];
  const rows = await q.query<{ version: string }>(`WITH ${changeLogCtes(params, tenantId, changes)} SELECT max(version)::text AS version FROM logged`, params);
  const version = rows[0]?.version;
  if (!version) throw new Error('change log write returned no version');
  return version;
}

/**
 * The CTEs `bumped` (the counter) and `logged` (the rows) that append `changes`, with their values
 * added to `params`. Used by appendChanges and, inside a writer's last statement, by `finish`.
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
  return `bumped AS (
       UPDATE change_version SET version = version + ${n} WHERE id = 1 RETURNING version
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
          // The counter UPDATE is in this, the last statement: its row lock is held to COMMIT as before.
          const log = changes.length > 0 ? changeLogCtes(params, tenantId, changes) : null;
          const all = [...ctes, ...(log ? [log] : [])];
          const rows = await q.query<{ version: string }>(
            `${all.length > 0 ? `WITH ${all.join(',\n')}` : ''}
             SELECT ${log ? '(SELECT max(version) FROM logged)' : '(SELECT version FROM change_version WHERE id = 1)'}::text AS version`,
            params,
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
    // Every writer updates the counter row, so overlapping REPEATABLE READ writers on PostgreSQL
    // fail with 40001 and are re-run: allow enough attempts for a busy floor.
    { isolation: 'repeatable read', attempts: 30, ...opts },
  );
}

/** The current change-log version (the newest committed). */
export async function currentVersion(q: Queryable): Promise<string> {
  return appendChanges(q, '', []);
}
