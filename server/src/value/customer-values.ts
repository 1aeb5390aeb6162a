// Customer value recompute: RFM and lifetime value from purchases, for one tenant at a time.

import type { Db } from '../db/db';
import { loadCustomers } from '../db/records';
import { changeTx } from '../sync/change-log';
import { NEW_CUSTOMER_DAYS } from './rfm';

/** The score 1–5 of `col` by mid-rank quintile among the tenant's customers, exactly as rfm.ts's quintileScores. */
const quintile = (col: string): string =>
  `LEAST(5, 1 + (5 * (2 * (rank() OVER (ORDER BY ${col}) - 1) + count(*) OVER (PARTITION BY ${col}))) / (2 * count(*) OVER ()))`;

/**
 * The value of every customer of tenant $1 with purchases, at instant $2: rfm.ts's computeCustomerValues
 * (its doc says what the scores and tiers mean) written as one query, so a tenant's purchases are summed
 * where they are stored instead of read into the center (1M purchases would be 1M objects in memory).
 * Integer arithmetic for the quintiles and an exact numeric sum; customer-values.test.ts checks that
 * this and computeCustomerValues agree.
 */
const VALUES_SQL = `
  WITH totals AS (
    SELECT customer_id, min(at) AS first, max(at) AS last, count(*) AS n, sum(amount) AS total
      FROM purchases WHERE tenant_id = $1 GROUP BY customer_id),
  scored AS (
    SELECT customer_id, first, total, ${quintile('last')} AS r, ${quintile('n')} AS f, ${quintile('total')} AS m FROM totals)
  SELECT customer_id,
         jsonb_build_object('recency', r, 'frequency', f, 'monetary', m, 'lifetimeValue', GREATEST(0, total)::float8,
           'tier', CASE WHEN m = 5 AND f >= 4 AND r >= 3 THEN 'vip'
                        WHEN first > $2::timestamptz - interval '${NEW_CUSTOMER_DAYS * 24} hours' THEN 'new'
                        WHEN r <= 2 AND (f >= 3 OR m >= 3) THEN 'at_risk'
                        WHEN f >= 4 AND r >= 3 THEN 'loyal'
                        ELSE 'regular' END) AS value
    FROM scored`;

/**
 * Recomputes every customer's value in `tenantId` and stores the ones that changed. The whole tenant,
 * not only the customers whose purchases changed: scores are quintiles within the tenant, so one
 * customer's new purchase can move another's score. Everything happens in the database; only the
 * customers whose value changed are written. Changes are logged only for customers someone replicates
 * (in a working set): the others reach desktops by snapshot when they enter a working set. Returns
 * how many customers changed.
 */
export async function recomputeCustomerValues(db: Db, tenantId: string, now = new Date()): Promise<{ changed: number; version: string }> {
  const r = await changeTx(db, tenantId, async (tx) => {
    const [outcome] = await tx.q.query<{ changed: number; watched: string[] }>(
      `WITH computed AS (${VALUES_SQL}),
       changed AS (
         UPDATE customers c SET value = v.value, updated_at = now() FROM computed v
          WHERE c.tenant_id = $1 AND c.id = v.customer_id AND c.value IS DISTINCT FROM v.value
          RETURNING c.id),
       -- Customers with no purchases any more have no value.
       cleared AS (
         UPDATE customers c SET value = NULL, updated_at = now()
          WHERE c.tenant_id = $1 AND c.value IS NOT NULL AND NOT EXISTS (SELECT 1 FROM computed v WHERE v.customer_id = c.id)
          RETURNING c.id)
       SELECT ((SELECT count(*) FROM changed) + (SELECT count(*) FROM cleared))::int AS changed,
              ARRAY(SELECT DISTINCT w.customer_id FROM working_set w
                     WHERE w.tenant_id = $1 AND w.customer_id IN (SELECT id FROM changed UNION ALL SELECT id FROM cleared)) AS watched`,
      [tenantId, now],
    );
    for (const c of await loadCustomers(tx.q, tenantId, outcome?.watched ?? [])) {
      tx.record({ entity: 'customer', id: c.id, op: 'upsert', data: c, customerId: c.id });
    }
    return outcome?.changed ?? 0;
  });
  return { changed: r.value, version: r.version };
}
