// The value recompute job stores computeCustomerValues' answer and logs changes only where replicated.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CustomerValue } from '../../../shared/domain';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { seedDemo } from '../demo/seed';
import { currentVersion } from '../sync/change-log';
import { smallTenant } from '../testing/center-client';
import { computeCustomerValues } from './rfm';
import { recomputeCustomerValues } from './customer-values';

const NOW = new Date('2026-11-01T00:00:00Z');

forEachDriver('customer value recompute', ({ freshDatabase }) => {
  let db: Db;
  const data = smallTenant('demo', 7, 40);
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await seedDemo(db, { data, now: NOW });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores exactly what computeCustomerValues says for every customer after seeding', async () => {
    const expected = computeCustomerValues(
      data.customers.flatMap((c) => c.purchases.map((p) => ({ customerId: c.customer.id, at: p.at, amount: p.amount }))),
      NOW,
    );
    const rows = await db.query<{ id: string; value: CustomerValue | null }>(`SELECT id, value FROM customers WHERE tenant_id = 'demo'`);
    expect(rows).toHaveLength(40);
    for (const r of rows) expect(r.value).toEqual(expected.get(r.id) ?? null);
    expect((await recomputeCustomerValues(db, 'demo', NOW)).changed).toBe(0);
  });

  it('logs a changed value only for customers someone replicates', async () => {
    const [watched, unwatched] = [data.customers[0]!.customer.id, data.customers[1]!.customer.id];
    const [user] = await db.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = 'demo' AND username = 'agent1'`);
    await db.query(`INSERT INTO working_set (tenant_id, user_id, customer_id, reason) VALUES ('demo', $1, $2, 'search')`, [user!.id, watched]);
    await db.query(
      `INSERT INTO purchases (id, tenant_id, customer_id, at, amount) VALUES ('big-1', 'demo', $1, $3, 9999999), ('big-2', 'demo', $2, $3, 9999999)`,
      [watched, unwatched, NOW.toISOString()],
    );
    const before = await currentVersion(db);
    const r = await recomputeCustomerValues(db, 'demo', NOW);
    expect(r.changed).toBeGreaterThanOrEqual(2);
    const logged = await db.query<{ entity_id: string; data: { value: CustomerValue } }>(
      `SELECT entity_id, data FROM change_log WHERE version > $1::bigint AND entity = 'customer'`,
      [before],
    );
    expect(logged.map((l) => l.entity_id)).toEqual([watched]);
    expect(logged[0]!.data.value.monetary).toBe(5);
  });
});
