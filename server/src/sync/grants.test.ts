// The working-set grant queue's pacing: on a one-session database a grant waits while a screen pop
// reads and until the pops are quiet, never longer than its bound; a pull and a stopping center do not
// wait; PostgreSQL does not pace.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import { smallTenant, startTestCenter, type TestCenter } from '../testing/center-client';
import { createGrantQueue, grantQueue, type GrantPacing, type GrantQueue } from './grants';

forEachDriver('working-set grant queue', ({ driver, freshDatabase }) => {
  let t: TestCenter;
  let userId: string;
  let customers: string[];

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase(), [smallTenant('demo', 1)]);
    [{ id: userId }] = (await t.center.db.query<{ id: string }>("SELECT id::text AS id FROM users WHERE tenant_id = 'demo' AND username = 'agent1'")) as [{ id: string }];
    customers = t.tenants.demo!.customers.map((c) => c.customer.id);
  });
  afterAll(async () => {
    await t?.stop();
  });
  beforeEach(async () => {
    await t.center.db.query('DELETE FROM working_set WHERE user_id = $1', [userId]);
  });

  const held = async (customerId: string) => (await t.center.db.query('SELECT 1 FROM working_set WHERE user_id = $1 AND customer_id = $2', [userId, customerId])).length === 1;
  const grant = (q: GrantQueue, customerId: string) => q.touch('demo', { userId, customerId, reason: 'screen_pop' });
  /** Runs `body` on a queue of its own, paced as given, while a pop is reading. */
  const whilePopReads = async (pacing: GrantPacing, body: (q: GrantQueue) => Promise<void>) => {
    const q = createGrantQueue(t.center.db, () => 1_000, pacing);
    const release = q.foreground();
    try {
      await body(q);
    } finally {
      release();
    }
  };

  it('paced: a grant waits while a pop reads, then until the pops are quiet, then brings the customer', async () => {
    const q = createGrantQueue(t.center.db, () => 1_000, { quietMs: 30, maxWaitMs: 60_000 });
    const release = q.foreground();
    const granted = grant(q, customers[0]!);
    await sleep(100);
    expect(await held(customers[0]!)).toBe(false);
    const releasedAt = Date.now();
    release();
    const r = await granted;
    expect(Date.now() - releasedAt).toBeGreaterThanOrEqual(25);
    expect(r.changes.map((c) => [c.entity, c.id, c.userId])).toContainEqual(['customer', customers[0], userId]);
    expect(await held(customers[0]!)).toBe(true);
  });

  it('paced: never waits longer than its bound, even while pops keep reading; what waited together is written together', async () => {
    await whilePopReads({ quietMs: 60_000, maxWaitMs: 50 }, async (q) => {
      const t0 = Date.now();
      const [a, b] = await Promise.all([grant(q, customers[1]!), grant(q, customers[2]!)]);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(45);
      expect(a.version).toBe(b.version); // one transaction
      expect([await held(customers[1]!), await held(customers[2]!)]).toEqual([true, true]);
    });
  });

  it("a pull does not wait for the pacing: settled() writes the user's grants at once", async () => {
    await whilePopReads({ quietMs: 60_000, maxWaitMs: 60_000 }, async (q) => {
      void grant(q, customers[3]!);
      await q.settled(userId);
      expect(await held(customers[3]!)).toBe(true);
    });
  });

  it('a stopping center does not wait for the pacing: drain() writes everything queued', async () => {
    await whilePopReads({ quietMs: 60_000, maxWaitMs: 60_000 }, async (q) => {
      const pending = [grant(q, customers[4]!), grant(q, customers[5]!)];
      await q.drain();
      expect([await held(customers[4]!), await held(customers[5]!)]).toEqual([true, true]);
      await Promise.all(pending);
    });
  });

  it(driver === 'pg' ? 'PostgreSQL: a grant is written while a pop reads (its pool runs both)' : 'PGlite: a grant waits for a reading pop (one session)', async () => {
    const q = grantQueue(t.center.db);
    const release = q.foreground();
    let written = false;
    const granted = grant(q, customers[6]!).then(() => (written = true));
    if (driver === 'pg') {
      await granted;
      expect(await held(customers[6]!)).toBe(true);
      release();
    } else {
      await sleep(20);
      expect(written).toBe(false);
      release();
      await granted;
      expect(await held(customers[6]!)).toBe(true);
    }
  });
});
