// customer:lookup: the screen pop by phone/email/social/id, its audit trail, its limits, tenants apart.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatPhone, isVocOpen, ScreenPop, type VocStatus } from '../../../shared/domain';
import { SCHEMA_VERSION } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { desktop, ok, phoneOf, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { grantQueue } from '../sync/grants';
import { createSession, hashToken, authenticateHash } from '../auth/sessions';
import { findUser } from '../auth/users';
import type { Db } from '../db/db';
import { buildScreenPop, HISTORY_LIMIT, lookupCustomer } from './screen-pop';

forEachDriver('customer:lookup', ({ freshDatabase }) => {
  let t: TestCenter;
  let agent: Desktop;

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    agent = await desktop(t.center.url, 'demo', 'agent1');
  });
  afterAll(async () => {
    agent?.close();
    await t?.stop();
  });

  const lookup = async (by: string, value: string, reason = 'screen_pop') => {
    const pop = ok(await agent.call('customer:lookup', { by, value, reason }));
    return pop === null ? null : ScreenPop.parse(pop);
  };

  it('pops the unified profile, open VOC items and newest-first history with notes and VOC', async () => {
    const data = t.tenants.demo!;
    // the customer with the most contacts, to see ordering and the per-contact attachments
    const counts = new Map<string, number>();
    for (const i of data.interactions) if (i.customerId) counts.set(i.customerId, (counts.get(i.customerId) ?? 0) + 1);
    const [customerId] = [...counts].sort((x, y) => y[1] - x[1])[0]!;
    const entry = data.customers.find((c) => c.customer.id === customerId)!;
    const phone = entry.customer.identities.find((i) => i.kind === 'phone')!.value;
    const pop = (await lookup('phone', formatPhone(phone)))!; // as a person would type it
    expect(pop.source).toBe('center');
    expect(pop.customer.id).toBe(customerId);
    expect(pop.customer.identities).toEqual(expect.arrayContaining(entry.customer.identities));
    const expected = data.interactions.filter((i) => i.customerId === customerId).sort((x, y) => y.startedAt.localeCompare(x.startedAt));
    expect(pop.history.map((h) => h.id)).toEqual(expected.map((i) => i.id));
    for (const h of pop.history) {
      expect(h.notes.map((n) => n.id).sort()).toEqual(data.notes.filter((n) => n.interactionId === h.id).map((n) => n.id).sort());
      expect(h.vocItems.map((v) => v.id).sort()).toEqual(data.vocItems.filter((v) => v.interactionId === h.id).map((v) => v.id).sort());
    }
    // The workflow moved the seeded items on: their statuses are the center's.
    const items = await t.center.db.query<{ id: string; status: VocStatus; number: string | null }>('SELECT id, status, number FROM voc_items WHERE customer_id = $1', [customerId]);
    expect(pop.openVocItems.map((v) => v.id).sort()).toEqual(items.filter((v) => isVocOpen(v.status)).map((v) => v.id).sort());
    for (const v of pop.openVocItems) expect(v.number).toBe(items.find((i) => i.id === v.id)!.number);
  });

  it('finds by email (any case) and by id, and answers null for strangers and nonsense', async () => {
    const data = t.tenants.demo!;
    const withEmail = data.customers.find((c) => c.customer.identities.some((i) => i.kind === 'email'))!.customer;
    const email = withEmail.identities.find((i) => i.kind === 'email')!.value;
    expect((await lookup('email', email.toUpperCase(), 'search'))?.customer.id).toBe(withEmail.id);
    expect((await lookup('id', withEmail.id, 'search'))?.customer.id).toBe(withEmail.id);
    expect(await lookup('phone', '+82 10-0000-0000')).toBeNull();
    expect(await lookup('phone', 'not a number')).toBeNull();
    expect(await lookup('id', 'not-a-uuid')).toBeNull();
    expect(await lookup('id', randomUUID())).toBeNull();
  });

  it("never finds another tenant's customer", async () => {
    const acme = t.tenants.acme!;
    const acmeCustomer = acme.customers[0]!.customer;
    expect(await lookup('id', acmeCustomer.id)).toBeNull();
    // A number only the other tenant has (the demo tenants' generated numbers may coincide).
    const demoPhones = new Set(t.tenants.demo!.customers.flatMap((c) => c.customer.identities.map((i) => i.value)));
    const acmeOnly = acme.customers.flatMap((c) => c.customer.identities).find((i) => i.kind === 'phone' && !demoPhones.has(i.value));
    expect(acmeOnly).toBeDefined();
    expect(await lookup('phone', acmeOnly!.value)).toBeNull();
  });

  it('audits who looked up which customer and why, without the number', async () => {
    const data = t.tenants.demo!;
    // (The grant that follows a lookup is in the trail too, as customer.granted: audit/audit.test.ts.)
    const before = await t.center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'customer.lookup%'`);
    await lookup('phone', phoneOf(data, 4), 'search');
    const rows = await t.center.db.query<{ user_id: string; customer_id: string; reason: string; action: string; tenant_id: string }>(
      `SELECT tenant_id, user_id, customer_id, reason, action FROM audit_log WHERE action LIKE 'customer.lookup%' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]).toEqual({ tenant_id: 'demo', user_id: agent.user.id, customer_id: data.customers[4]!.customer.id, reason: 'search', action: 'customer.lookup' });
    const after = await t.center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action LIKE 'customer.lookup%'`);
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    // The working-set grant is written after the answer; a pull would wait for it, and so does this.
    await grantQueue(t.center.db).settled(agent.user.id);
    const ws = await t.center.db.query('SELECT 1 FROM working_set WHERE user_id = $1 AND customer_id = $2', [agent.user.id, data.customers[4]!.customer.id]);
    expect(ws).toHaveLength(1);
  });

  it(`caps history at ${HISTORY_LIMIT} contacts, the newest`, async () => {
    const customerId = t.tenants.demo!.customers[6]!.customer.id;
    await t.center.db.query(
      `INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, started_at)
       SELECT gen_random_uuid(), 'demo', $1, 'email', 'inbound', now() - (n || ' minutes')::interval FROM generate_series(1, 60) n`,
      [customerId],
    );
    const pop = (await lookup('id', customerId))!;
    expect(pop.history).toHaveLength(HISTORY_LIMIT);
    const times = pop.history.map((h) => h.startedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('answers from one statement exactly what the one-query-per-part loaders build', async () => {
    const data = t.tenants.demo!;
    for (const n of [0, 2, 6, 9]) {
      const id = data.customers[n]!.customer.id;
      const highWater = async () => BigInt((await t.center.db.query<{ v: string }>('SELECT COALESCE(max(version), 0)::text AS v FROM change_log'))[0]!.v);
      const before = await highWater();
      const { asOf, ...pop } = (await lookup('id', id))!;
      expect(pop).toEqual(ScreenPop.parse(await buildScreenPop(t.center.db, 'demo', id)));
      // The change-log version the answer was read at: what had committed before it, at least (its grant may follow).
      expect(BigInt(asOf!)).toBeGreaterThanOrEqual(before);
      expect(BigInt(asOf!)).toBeLessThanOrEqual(await highWater());
    }
  });

  it('caps a working set at the center, evicting the least recently used', async () => {
    const data = t.tenants.demo!;
    const d = await desktop(t.center.url, 'demo', 'agent2');
    const saved = process.env.EARSHOT_WORKING_SET_MAX;
    process.env.EARSHOT_WORKING_SET_MAX = '3';
    try {
      const ids = [10, 11, 12, 13, 14].map((n) => data.customers[n]!.customer.id);
      for (const [k, id] of ids.entries()) {
        ok(await d.call('customer:lookup', { by: 'id', value: id, reason: 'search' }));
        await grantQueue(t.center.db).settled(d.user.id);
        // customer 10 is used again after 12 went in: it is recent, 11 and 12 are the oldest
        if (k === 2) {
          ok(await d.call('customer:lookup', { by: 'id', value: ids[0], reason: 'search' }));
          await grantQueue(t.center.db).settled(d.user.id);
        }
      }
      const rows = await t.center.db.query<{ customer_id: string }>('SELECT customer_id FROM working_set WHERE user_id = $1 ORDER BY customer_id', [d.user.id]);
      expect(rows.map((r) => r.customer_id)).toEqual([ids[0], ids[3], ids[4]].sort());

      // Writing about a customer adds it too (the push's own insert), one over the cap until the next grant.
      const noteAbout = data.customers[15]!.customer.id;
      const push = ok<{ rejected: unknown[] }>(
        await d.call('sync:push', {
          schemaVersion: SCHEMA_VERSION,
          clientId: d.clientId,
          mutations: d.mutations(1, [{ name: 'note.save', args: { id: randomUUID(), customerId: noteAbout, interactionId: null, text: 'about the bill', revision: 1 } }]),
        }),
      );
      expect(push.rejected).toEqual([]);
      const sizes = async () => (await t.center.db.query<{ n: number }>('SELECT n FROM working_set_sizes WHERE user_id = $1', [d.user.id]))[0]?.n;
      expect(await sizes()).toBe(4);
      ok(await d.call('customer:lookup', { by: 'id', value: data.customers[16]!.customer.id, reason: 'search' }));
      await grantQueue(t.center.db).settled(d.user.id);
      const after = await t.center.db.query<{ customer_id: string }>('SELECT customer_id FROM working_set WHERE user_id = $1', [d.user.id]);
      expect(after.map((r) => r.customer_id).sort()).toEqual([data.customers[15]!.customer.id, data.customers[16]!.customer.id, ids[4]].sort());
      // The counts kept by migration 0012's triggers equal the rows, for every user of every tenant.
      const mismatched = await t.center.db.query(
        `SELECT u.user_id FROM (SELECT user_id, count(*)::int AS n FROM working_set GROUP BY user_id) u
           FULL JOIN working_set_sizes s ON s.user_id = u.user_id
          WHERE COALESCE(u.n, 0) <> COALESCE(s.n, 0)`,
      );
      expect(mismatched).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.EARSHOT_WORKING_SET_MAX;
      else process.env.EARSHOT_WORKING_SET_MAX = saved;
      d.close();
    }
  });
  it('answers the pop even when its working-set grant fails, and reports the failure', async () => {
    const user = (await findUser(t.center.db, 'demo', 'agent7'))!;
    const { token } = await createSession(t.center.db, user);
    const who = (await authenticateHash(t.center.db, hashToken(token)))!;
    // Reads work; every transaction (the grant) fails as if the database had gone away mid-way.
    const failing: Db = { ...t.center.db, tx: () => Promise.reject(new Error('connection terminated')) };
    const reported: unknown[] = [];
    const r = await lookupCustomer(failing, who, { by: 'phone', value: phoneOf(t.tenants.demo!, 3), reason: 'screen_pop' }, (err) => reported.push(err));
    expect(r.value?.customer.id).toBeTruthy();
    await expect.poll(() => reported.length).toBe(1);
    expect(String(reported[0])).toMatch(/connection terminated/);
  });
  it('marks a customer already in the working set as used in the lookup itself', async () => {
    const phone = phoneOf(t.tenants.demo!, 4);
    const first = (await lookup('phone', phone))!;
    await grantQueue(t.center.db).settled(agent.user.id);
    const usedAt = async () =>
      (await t.center.db.query<{ at: string }>('SELECT last_used_at::text AS at FROM working_set WHERE user_id = $1 AND customer_id = $2', [agent.user.id, first.customer.id]))[0]!.at;
    const before = await usedAt();
    await new Promise((r) => setTimeout(r, 20));
    await lookup('phone', phone);
    // Already written when the answer arrives: no grant runs after it.
    expect(await usedAt()).not.toBe(before);
  });
});
