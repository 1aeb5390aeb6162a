// Customer value recompute: RFM and lifetime value from purchases, for one tenant at a time.

import type { Db } from '../db/db';
import { loadCustomers } from '../db/records';
import { changeTx } from '../sync/change-log';
import { computeCustomerValues } from './rfm';

/**
 * Recomputes every customer's value in `tenantId` and stores the ones that changed. Changes are
 * logged only for customers someone replicates (in a working set): the others reach desktops by
 * snapshot when they enter a working set. Returns how many customers changed.
 */
export async function recomputeCustomerValues(db: Db, tenantId: string, now = new Date()): Promise<{ changed: number; version: string }> {
  const purchases = await db.query<{ customer_id: string; at: Date; amount: string }>(
    'SELECT customer_id, at, amount::text AS amount FROM purchases WHERE tenant_id = $1',
    [tenantId],
  );
  const values = computeCustomerValues(
    purchases.map((p) => ({ customerId: p.customer_id, at: new Date(p.at).toISOString(), amount: Number(p.amount) })),
    now,
  );
  const rows = [...values].map(([id, value]) => ({ id, value }));
  const r = await changeTx(db, tenantId, async (tx) => {
    const changed = await tx.q.query<{ id: string }>(
      `UPDATE customers c SET value = v.value, updated_at = now()
         FROM jsonb_to_recordset($2::jsonb) AS v(id uuid, value jsonb)
        WHERE c.tenant_id = $1 AND c.id = v.id AND c.value IS DISTINCT FROM v.value
        RETURNING c.id`,
      [tenantId, JSON.stringify(rows)],
    );
    // Customers with no purchases any more have no value.
    const cleared = await tx.q.query<{ id: string }>(
      `UPDATE customers SET value = NULL, updated_at = now()
        WHERE tenant_id = $1 AND value IS NOT NULL AND NOT (id = ANY($2::uuid[])) RETURNING id`,
      [tenantId, rows.map((v) => v.id)],
    );
    const ids = [...changed, ...cleared].map((c) => c.id);
    const watched = await tx.q.query<{ customer_id: string }>(
      'SELECT DISTINCT customer_id FROM working_set WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[])',
      [tenantId, ids],
    );
    for (const c of await loadCustomers(tx.q, tenantId, watched.map((w) => w.customer_id))) {
      tx.record({ entity: 'customer', id: c.id, op: 'upsert', data: c, customerId: c.id });
    }
    return ids.length;
  });
  return { changed: r.value, version: r.version };
}

