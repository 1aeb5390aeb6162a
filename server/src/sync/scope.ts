// Scope (partial replication): which customers each user's desktops replicate (their working set),
// and the snapshot "grants" that hand a user the current state of what just entered their scope.
import { CUSTOMER_SELECT, INTERACTION_COLUMNS, NOTE_COLUMNS, toCustomer, toInteraction, toNote, toVoc, VOC_COLUMNS } from '../db/records';
import { PREPARED, type ChangeTx } from './change-log';

/** How many of a customer's interactions a grant carries (newest first); older ones stay at the center. */
export const GRANT_INTERACTIONS = 200;

/** Why a customer entered a user's working set; `voc`: they own a VOC item about them. */
export type WorkingSetReason = 'screen_pop' | 'search' | 'wrote' | 'offered' | 'merged' | 'voc';

/**
 * Puts a customer in the user's working set. When it is new there, records a snapshot of the
 * customer and its history visible to that user only, so their next pull brings it even though
 * its older change-log rows are behind their cursor. Returns true when it was added.
 */
export async function addToWorkingSet(tx: ChangeTx, userId: string, customerId: string, reason: WorkingSetReason): Promise<boolean> {
  const added = await tx.q.query(
    `INSERT INTO working_set (tenant_id, user_id, customer_id, reason) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id, customer_id) DO NOTHING RETURNING customer_id`,
    [tx.tenantId, userId, customerId, reason],
  );
  if (added.length === 0) return false;
  await recordCustomerSnapshot(tx, [customerId], userId);
  await auditGrants(tx, [{ userId, customerId, reason }]);
  return true;
}

type Grant = { userId: string; customerId: string; reason: WorkingSetReason };

/**
 * The audit trail of customers delivered to a user's desktops by a grant (their snapshot): who got
 * which customer, and why it entered their working set. One statement for a batch.
 */
export async function auditGrants(tx: ChangeTx, grants: readonly Grant[]): Promise<void> {
  if (grants.length === 0) return;
  const params: unknown[] = [];
  // Reads no table, so no plan of it can go stale.
  await tx.q.query(`WITH ${auditGrantsCte(params, tx.tenantId, grants)} SELECT 1`, params, PREPARED);
}

/** auditGrants as the data-modifying CTE `granted` over `params`, for a writer's last statement (ChangeTx.finish). */
export function auditGrantsCte(params: unknown[], tenantId: string, grants: readonly Grant[]): string {
  const p = (v: unknown) => `$${params.push(v)}`;
  return `granted AS (
       INSERT INTO audit_log (tenant_id, user_id, action, customer_id, reason)
       SELECT ${p(tenantId)}, g.user_id, 'customer.granted', g.customer_id, g.reason
         FROM unnest(${p(grants.map((g) => g.userId))}::uuid[], ${p(grants.map((g) => g.customerId))}::uuid[], ${p(grants.map((g) => g.reason))}::text[]) AS g(user_id, customer_id, reason))`;
}

/**
 * Records the current state of customers and their history as changes visible to `userId` only:
 * the customers, each one's newest GRANT_INTERACTIONS contacts, their notes and VOC items, read in
 * ONE statement. `evictBeyond`: the same statement also trims the user's working set to that many
 * customers, least recently used first (grants.ts).
 */
export async function recordCustomerSnapshot(tx: ChangeTx, customerIds: readonly string[], userId: string, opts: { evictBeyond?: number } = {}): Promise<void> {
  if (customerIds.length === 0) return;
  const { q, tenantId } = tx;
  // One customer (a screen pop's grant) by plain equality: a prepared statement's generic plan is
  // costed for an array of unknown length (ten elements) and so never beats a custom plan made for
  // one, which left PGlite planning the statement on every run; and its newest contacts come from
  // the (customer_id, started_at) index in order, without a window over them.
  const one = customerIds.length === 1;
  const ids = one ? '= $2::uuid' : '= ANY($2::uuid[])';
  const params: unknown[] = [tenantId, one ? customerIds[0] : customerIds, GRANT_INTERACTIONS];
  const evict =
    opts.evictBeyond === undefined
      ? ''
      : ((user = `$${params.push(userId)}::uuid`) => `, old AS (
           -- the excess over the cap, oldest first: only as many rows as the set has too many (0012)
           SELECT customer_id FROM working_set WHERE user_id = ${user} ORDER BY last_used_at
            LIMIT GREATEST(0, COALESCE((SELECT n FROM working_set_sizes WHERE user_id = ${user}), 0) - $${params.push(opts.evictBeyond)}::int)
         ), gone AS (
           DELETE FROM working_set w USING old WHERE w.user_id = ${user} AND w.customer_id = old.customer_id)`)();
  const rows = await q.query<{ k: 'c' | 'i' | 'n' | 'v'; r: Record<string, unknown> }>(
    `WITH ranked AS (${
      one
        ? `
       SELECT id FROM interactions WHERE tenant_id = $1 AND customer_id ${ids} ORDER BY started_at DESC, id LIMIT $3`
        : `
       SELECT id FROM (
         SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY started_at DESC, id) AS n
           FROM interactions WHERE tenant_id = $1 AND customer_id ${ids}) t
        WHERE n <= $3`
    })${evict}
     SELECT 'c' AS k, to_jsonb(x) AS r FROM (SELECT ${CUSTOMER_SELECT} FROM customers c WHERE c.tenant_id = $1 AND c.id ${ids}) x
     UNION ALL SELECT 'i', to_jsonb(i) FROM (SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE tenant_id = $1 AND id IN (SELECT id FROM ranked)) i
     UNION ALL SELECT 'n', to_jsonb(n) FROM (SELECT ${NOTE_COLUMNS} FROM notes WHERE tenant_id = $1 AND customer_id ${ids}) n
     UNION ALL SELECT 'v', to_jsonb(v) FROM (SELECT ${VOC_COLUMNS} FROM voc_items WHERE tenant_id = $1 AND customer_id ${ids}) v`,
    params,
    // On PostgreSQL planned on every run, not prepared. A generic plan made while the tables were
    // small outlives their growth until the next ANALYZE, and a grant is written in a batch that
    // holds up every grant of its tenant (and its users' pulls). Measured on PostgreSQL 15 with 100k
    // customers / 1M contacts inserted after start: one snapshot on that plan was still running after
    // 49 s; planned per run, 20-33 ms until ANALYZE and 0.3 ms after.
    // On PGlite prepared: planning it there costs several times its run (EXPLAIN ANALYZE at 100k / 1M:
    // planning 12.5 ms, execution 1.5 ms, on a loaded machine), and PGlite is one session, so every
    // grant's planning delayed the next screen pop. Its statistics are kept by the center's
    // maintenance, whose ANALYZE makes the statement re-planned (pglite-maintenance.ts), and a bulk
    // import analyses what it wrote.
    { prepare: 'pglite' },
  );
  const of = <R, T>(k: string, map: (r: R) => T) => rows.filter((x) => x.k === k).map((x) => map(x.r as R));
  // The order the one-query-per-kind loaders gave: customers by id, contacts newest first, the rest oldest first.
  const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const byCreated = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
    a.createdAt === b.createdAt ? byId(a, b) : a.createdAt < b.createdAt ? -1 : 1;
  for (const customer of of('c', toCustomer).sort(byId)) {
    tx.record({ entity: 'customer', id: customer.id, op: 'upsert', data: customer, customerId: customer.id, userId });
  }
  const interactions = of('i', toInteraction).sort((a, b) => (a.startedAt === b.startedAt ? byId(a, b) : a.startedAt > b.startedAt ? -1 : 1));
  for (const i of interactions) {
    tx.record({ entity: 'interaction', id: i.id, op: 'upsert', data: i, customerId: i.customerId, userId });
  }
  for (const n of of('n', toNote).sort(byCreated)) {
    tx.record({ entity: 'note', id: n.id, op: 'upsert', data: n, customerId: n.customerId, userId });
  }
  for (const v of of('v', toVoc).sort(byCreated)) {
    tx.record({ entity: 'voc_item', id: v.id, op: 'upsert', data: v, customerId: v.customerId, userId });
  }
}

/** SQL predicate (over change_log `cl`) for "this row is in scope for user $3 of tenant $1". */
export const VISIBLE_TO_USER = `(CASE
    WHEN cl.user_id IS NOT NULL THEN cl.user_id = $3
    WHEN cl.customer_id IS NOT NULL THEN EXISTS (
      SELECT 1 FROM working_set ws WHERE ws.user_id = $3 AND ws.customer_id = cl.customer_id)
    ELSE true END)`;
