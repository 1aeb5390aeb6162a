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

  it('agrees with computeCustomerValues on random purchases: ties, refunds, new customers, customers left without purchases', async () => {
    await db.query(`INSERT INTO tenants (id, name) VALUES ('rnd', 'Random')`);
    let seed = 20261206;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const ids = Array.from({ length: 120 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await db.query(
      `INSERT INTO customers (id, tenant_id, external_id, display_name) SELECT u::uuid, 'rnd', u, 'R' FROM unnest($1::text[]) AS u`,
      [ids],
    );
    // Whole days and amounts in halves: sums and instants every side computes exactly; many ties on purpose.
    const purchases = Array.from({ length: 600 }, (_, i) => ({
      id: `r-${i}`,
      customerId: ids[rand(100)]!,
      at: new Date(NOW.getTime() - rand(400) * 86_400_000).toISOString(),
      amount: (rand(40) - 5) * 500 + (rand(2) ? 0.5 : 0),
    }));
    // Five customers whose first purchase is recent: new, whatever their scores.
    for (let i = 0; i < 5; i++) purchases.push({ id: `r-new-${i}`, customerId: ids[100 + i]!, at: new Date(NOW.getTime() - (i + 1) * 86_400_000).toISOString(), amount: 100 });
    const insert = (rows: typeof purchases) =>
      db.query(
        `INSERT INTO purchases (id, tenant_id, customer_id, at, amount)
         SELECT p.id, 'rnd', p.customer_id, p.at, p.amount FROM jsonb_to_recordset($1::jsonb) AS p(id text, customer_id uuid, at timestamptz, amount numeric)`,
        [JSON.stringify(rows.map((p) => ({ id: p.id, customer_id: p.customerId, at: p.at, amount: p.amount })))],
      );
    const stored = async () => new Map((await db.query<{ id: string; value: CustomerValue | null }>(`SELECT id, value FROM customers WHERE tenant_id = 'rnd'`)).map((r) => [r.id, r.value]));
    const check = async (current: typeof purchases) => {
      const expected = computeCustomerValues(current, NOW);
      const got = await stored();
      expect(got.size).toBe(120);
      for (const id of ids) expect([id, got.get(id)]).toEqual([id, expected.get(id) ?? null]);
    };
    await insert(purchases);
    expect((await recomputeCustomerValues(db, 'rnd', NOW)).changed).toBe(new Set(purchases.map((p) => p.customerId)).size);
    await check(purchases);
    expect([...(await stored()).values()].map((v) => v?.tier ?? null)).toEqual(expect.arrayContaining(['vip', 'new', 'at_risk', 'regular', null]));
    // Customers whose purchases are gone lose their value; everyone else's scores move with the tenant.
    const gone = new Set(ids.slice(0, 30));
    await db.query(`DELETE FROM purchases WHERE tenant_id = 'rnd' AND customer_id = ANY($1::uuid[])`, [[...gone]]);
    await recomputeCustomerValues(db, 'rnd', NOW);
    await check(purchases.filter((p) => !gone.has(p.customerId)));
  });
});
