// Scope (partial replication): which customers each user's desktops replicate (their working set),
// and the snapshot "grants" that hand a user the current state of what just entered their scope.
import type { Queryable } from '../db/db';
import { loadCustomers, loadInteractions, loadNotes, loadQueues, loadVocItems } from '../db/records';
import type { ChangeTx } from './change-log';

/** How many of a customer's interactions a grant carries (newest first); older ones stay at the center. */
export const GRANT_INTERACTIONS = 200;

export type WorkingSetReason = 'screen_pop' | 'search' | 'wrote' | 'offered' | 'merged';

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
  return true;
}

/** Records the current state of customers and their history as changes visible to `userId` only. */
export async function recordCustomerSnapshot(tx: ChangeTx, customerIds: readonly string[], userId: string): Promise<void> {
  if (customerIds.length === 0) return;
  const { q, tenantId } = tx;
  for (const customer of await loadCustomers(q, tenantId, customerIds)) {
    tx.record({ entity: 'customer', id: customer.id, op: 'upsert', data: customer, customerId: customer.id, userId });
  }
  const interactionIds = (
    await q.query<{ id: string }>(
      `SELECT id FROM (
         SELECT id, row_number() OVER (PARTITION BY customer_id ORDER BY started_at DESC, id) AS n
           FROM interactions WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[])) t
        WHERE n <= $3`,
      [tenantId, customerIds, GRANT_INTERACTIONS],
    )
  ).map((r) => r.id);
  for (const i of await loadInteractions(q, tenantId, interactionIds)) {
    tx.record({ entity: 'interaction', id: i.id, op: 'upsert', data: i, customerId: i.customerId, userId });
  }
  for (const n of await loadNotes(q, tenantId, { customerIds })) {
    tx.record({ entity: 'note', id: n.id, op: 'upsert', data: n, customerId: n.customerId, userId });
  }
  for (const v of await loadVocItems(q, tenantId, { customerIds })) {
    tx.record({ entity: 'voc_item', id: v.id, op: 'upsert', data: v, customerId: v.customerId, userId });
  }
}

/** Reference data (queues with their disposition codes) as changes visible to `userId` only. */
export async function recordReferenceSnapshot(tx: ChangeTx, userId: string): Promise<void> {
  for (const queue of await loadQueues(tx.q, tx.tenantId)) {
    tx.record({ entity: 'queue', id: queue.id, op: 'upsert', data: queue, userId });
  }
}

export async function workingSetOf(q: Queryable, tenantId: string, userId: string): Promise<string[]> {
  const rows = await q.query<{ customer_id: string }>(
    'SELECT customer_id FROM working_set WHERE tenant_id = $1 AND user_id = $2 ORDER BY customer_id',
    [tenantId, userId],
  );
  return rows.map((r) => r.customer_id);
}

/** SQL predicate (over change_log `cl`) for "this row is in scope for user $3 of tenant $1". */
export const VISIBLE_TO_USER = `(CASE
    WHEN cl.user_id IS NOT NULL THEN cl.user_id = $3
    WHEN cl.customer_id IS NOT NULL THEN EXISTS (
      SELECT 1 FROM working_set ws WHERE ws.user_id = $3 AND ws.customer_id = cl.customer_id)
    ELSE true END)`;
