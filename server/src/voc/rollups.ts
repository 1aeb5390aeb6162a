// The VOC analysis' rollups (migration 0018): kept by triggers on voc_items in the transaction of
// every change, rebuilt from the items and their history on demand (`voc rollups rebuild`), and
// compared with a plain GROUP BY over the items (the property test, the bench's baseline).
import type { Db, Queryable } from '../db/db';
import { factOf, ROLLUP_COUNTS, ROLLUP_KEY } from '../db/migrations/0018-voc-analysis';

export { ROLLUP_COUNTS, ROLLUP_KEY, TOLD_BOUNDS_MINUTES, TOLD_BUCKETS } from '../db/migrations/0018-voc-analysis';

export type RollupRow = Record<(typeof ROLLUP_KEY)[number], string> & Record<(typeof ROLLUP_COUNTS)[number], number>;

const keyCols = ROLLUP_KEY.map((k) => `f.${k}`).join(', ');
const sumCols = ROLLUP_COUNTS.map((c) => `sum(f.${c})${c === 'told_minutes' ? '::double precision' : '::int'} AS ${c}`).join(', ');
const dayText = (col: string) => `to_char(${col}, 'YYYY-MM-DD')`;

/** The rollup as a plain GROUP BY over the raw items would give it (cells with no item left out). */
export async function rollupFromItems(q: Queryable, tenantId: string): Promise<RollupRow[]> {
  return q.query<RollupRow>(
    `SELECT ${ROLLUP_KEY.map((k) => (k === 'day' ? `${dayText('f.day')} AS day` : `f.${k}`)).join(', ')}, ${sumCols}
       FROM voc_items v, LATERAL ${factOf('v')} f WHERE v.tenant_id = $1
      GROUP BY ${keyCols} ORDER BY ${keyCols}`,
    [tenantId],
  );
}

const monthKey = ROLLUP_KEY.map((k) => (k === 'day' ? "date_trunc('month', day)::date" : k)).join(', ');

/** The monthly rollup as kept, and as the daily one sums up by month (the two must agree). */
export async function monthsAsKept(q: Queryable, tenantId: string): Promise<{ kept: RollupRow[]; fromDays: RollupRow[] }> {
  const read = (sql: string) => q.query<RollupRow>(sql, [tenantId]);
  const cols = (agg: boolean) =>
    `${ROLLUP_KEY.map((k) => (k === 'day' ? `${dayText(agg ? "date_trunc('month', day)::date" : 'day')} AS day` : k)).join(', ')}, ${ROLLUP_COUNTS.map((c) => `${agg ? `sum(${c})` : c}${c === 'told_minutes' ? '::double precision' : '::int'} AS ${c}`).join(', ')}`;
  return {
    kept: await read(`SELECT ${cols(false)} FROM voc_rollup_months WHERE tenant_id = $1 AND raised <> 0 ORDER BY ${ROLLUP_KEY.join(', ')}`),
    fromDays: await read(`SELECT ${cols(true)} FROM voc_rollup_days WHERE tenant_id = $1 GROUP BY ${monthKey} HAVING sum(raised) <> 0 ORDER BY ${monthKey}`),
  };
}

/** The rollup as kept (cells whose items all left them are left out: they hold only zeros). */
export async function rollupAsKept(q: Queryable, tenantId: string): Promise<RollupRow[]> {
  const keys = ROLLUP_KEY.join(', ');
  return q.query<RollupRow>(
    `SELECT ${ROLLUP_KEY.map((k) => (k === 'day' ? `${dayText('day')} AS day` : k)).join(', ')},
            ${ROLLUP_COUNTS.map((c) => `${c}${c === 'told_minutes' ? '::double precision' : ''} AS ${c}`).join(', ')}
       FROM voc_rollup_days WHERE tenant_id = $1 AND raised <> 0 ORDER BY ${keys}`,
    [tenantId],
  );
}

export interface RebuildResult {
  tenantId: string;
  items: number;
  cells: number;
}

/**
 * Recomputes a tenant's rollup from its items: the day raised in the tenant's time zone now, the
 * reopens from the history, then every cell afresh. VOC writes of the tenant wait while it runs (a
 * lock on voc_items), so no change slips between the count and the write.
 */
export async function rebuildRollups(db: Db, tenantId: string): Promise<RebuildResult> {
  return db.tx(async (q) => {
    await q.query('LOCK TABLE voc_items IN SHARE ROW EXCLUSIVE MODE');
    await q.query(
      `UPDATE voc_items v SET raised_day = (v.created_at AT TIME ZONE t.time_zone)::date
         FROM tenants t WHERE t.id = v.tenant_id AND v.tenant_id = $1 AND v.raised_day IS DISTINCT FROM (v.created_at AT TIME ZONE t.time_zone)::date`,
      [tenantId],
    );
    await q.query(
      `UPDATE voc_items v SET reopens = COALESCE(h.n, 0)
         FROM voc_items w LEFT JOIN (SELECT voc_id, count(*)::int AS n FROM voc_history
                                       WHERE tenant_id = $1 AND to_status = 'reopened' AND from_status IS DISTINCT FROM 'reopened' GROUP BY voc_id) h ON h.voc_id = w.id
        WHERE w.id = v.id AND v.tenant_id = $1 AND v.reopens <> COALESCE(h.n, 0)`,
      [tenantId],
    );
    await q.query('DELETE FROM voc_rollup_days WHERE tenant_id = $1', [tenantId]);
    await q.query('DELETE FROM voc_rollup_months WHERE tenant_id = $1', [tenantId]);
    await q.query(
      `INSERT INTO voc_rollup_days (${ROLLUP_KEY.join(', ')}, ${ROLLUP_COUNTS.join(', ')})
       SELECT ${keyCols}, ${ROLLUP_COUNTS.map((c) => `sum(f.${c})`).join(', ')}
         FROM voc_items v, LATERAL ${factOf('v')} f WHERE v.tenant_id = $1 GROUP BY ${keyCols}`,
      [tenantId],
    );
    await q.query(
      `INSERT INTO voc_rollup_months (${ROLLUP_KEY.join(', ')}, ${ROLLUP_COUNTS.join(', ')})
       SELECT ${monthKey}, ${ROLLUP_COUNTS.map((c) => `sum(${c})`).join(', ')} FROM voc_rollup_days WHERE tenant_id = $1 GROUP BY ${monthKey}`,
      [tenantId],
    );
    const [n] = await q.query<{ items: number; cells: number }>(
      `SELECT (SELECT count(*)::int FROM voc_items WHERE tenant_id = $1) AS items, (SELECT count(*)::int FROM voc_rollup_days WHERE tenant_id = $1) AS cells`,
      [tenantId],
    );
    return { tenantId, items: n!.items, cells: n!.cells };
  });
}
