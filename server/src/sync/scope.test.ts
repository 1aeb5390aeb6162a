// A grant's snapshot (recordCustomerSnapshot): one customer alone (a screen pop's grant, a statement
// of its own, prepared on PGlite) carries exactly what the same customer gets in a grant of several.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import { findUser } from '../auth/users';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { seedDemo } from '../demo/seed';
import { smallTenant } from '../testing/center-client';
import { changeTx } from './change-log';
import { GRANT_INTERACTIONS, recordCustomerSnapshot } from './scope';

forEachDriver('grant snapshots', ({ freshDatabase }) => {
  const data = smallTenant('demo', 1);
  let db: Db;
  let userId: string;

  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await seedDemo(db, { data, now: new Date('2026-11-01T00:00:00Z') });
    userId = (await findUser(db, 'demo', 'agent1'))!.id;
  });
  afterAll(async () => {
    await db?.close();
  });

  const snapshot = async (customerIds: string[]) => (await changeTx(db, 'demo', (tx) => recordCustomerSnapshot(tx, customerIds, userId))).changes;

  it('gives one customer alone what a grant of several gives it: the newest contacts up to the cap, ties by id, with notes and VOC items', async () => {
    // A customer with notes and VOC items, given more contacts than a grant carries, in pairs that start at the same instant.
    const customerId = data.notes.find((n) => data.vocItems.some((v) => v.customerId === n.customerId))!.customerId;
    const other = data.customers.map((c) => c.customer.id).find((id) => id !== customerId)!;
    await db.query(
      `INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, queue, agent, started_at, disposition)
       SELECT gen_random_uuid(), 'demo', $1, 'call', 'inbound', 'general', 'agent1', timestamptz '2026-10-01T00:00:00Z' + (k / 2) * interval '1 hour', 'resolved'
         FROM generate_series(1, $2::int) k`,
      [customerId, GRANT_INTERACTIONS + 11],
    );
    const all = await db.query<{ id: string; at: number }>(`SELECT id::text AS id, extract(epoch FROM started_at)::float8 AS at FROM interactions WHERE customer_id = $1`, [customerId]);
    const newest = all
      .sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : a.at > b.at ? -1 : 1))
      .slice(0, GRANT_INTERACTIONS)
      .map((r) => r.id);

    const together = (await snapshot([customerId, other])).filter((c) => c.customerId === customerId);
    expect(together.filter((c) => c.entity === 'interaction').map((c) => c.id)).toEqual(newest);
    expect(together.filter((c) => c.entity === 'note').length).toBeGreaterThan(0);
    expect(together.filter((c) => c.entity === 'voc_item').length).toBeGreaterThan(0);
    // More runs than PostgreSQL plans custom before it may settle on a generic plan (five).
    for (let run = 0; run < 7; run++) expect(await snapshot([customerId])).toEqual(together);
  });
});
