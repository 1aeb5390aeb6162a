// interaction.linkCustomer (issue 6): an unknown caller's contact linked to an existing customer,
// once, idempotent on redelivery, tenant-scoped, by the agent who handled it or a supervisor only, and
// audited (issue 21) — over a real socket on PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SCHEMA_VERSION, type PushResponse } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { recordOfferedCall } from '../calls/offer';
import { desktop, ok, phoneOf, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';

forEachDriver('sync:push interaction.linkCustomer', ({ freshDatabase }) => {
  let t: TestCenter;
  let customerId: string;
  let acmeCustomerId: string;

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    customerId = t.tenants.demo!.customers[2]!.customer.id;
    acmeCustomerId = t.tenants.acme!.customers[0]!.customer.id;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const push = (d: Desktop, mutations: ReturnType<Desktop['mutations']>) =>
    d.call<PushResponse>('sync:push', { schemaVersion: SCHEMA_VERSION, clientId: d.clientId, mutations });
  /** A contact handled by `agent` (a user id; by nobody when null). */
  const unknownCall = async (ani: string, agent: string | null, tenant = 'demo', customer: string | null = null) => {
    const id = randomUUID();
    await t.center.db.query(
      `INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, started_at, ani, agent_user_id) VALUES ($1, $2, $3, 'voice', 'inbound', now(), $4, $5)`,
      [id, tenant, customer, ani, agent],
    );
    return id;
  };
  const link = (interactionId: string, cid: string, addPhone = true) => ({ name: 'interaction.linkCustomer', args: { interactionId, customerId: cid, addPhone } });

  it('links the contact once, adds the number, logs the changes, and a redelivery doubles nothing', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent3');
    const interactionId = await unknownCall('010-7777-4242', d.user.id);
    const batch = d.mutations(1, [link(interactionId, customerId)]);
    const first = ok(await push(d, batch));
    expect(first.rejected).toEqual([]);
    const again = ok(await push(d, batch));
    expect(again.lastSeq).toBe(1);
    expect(again.rejected).toEqual([]);
    const [row] = await t.center.db.query<{ customer_id: string }>('SELECT customer_id FROM interactions WHERE id = $1', [interactionId]);
    expect(row!.customer_id).toBe(customerId);
    const ids = await t.center.db.query<{ customer_id: string }>(`SELECT customer_id FROM customer_identities WHERE tenant_id = 'demo' AND value = '+821077774242'`);
    expect(ids.map((x) => x.customer_id)).toEqual([customerId]);
    const log = await t.center.db.query<{ entity: string; customer_id: string; data: { customerId?: string; identities?: Array<{ value: string }> } }>(
      `SELECT entity, customer_id, data FROM change_log WHERE tenant_id = 'demo' AND entity_id IN ($1, $2) AND user_id IS NULL ORDER BY version`,
      [interactionId, customerId],
    );
    expect(log.filter((x) => x.entity === 'interaction')).toHaveLength(1);
    expect(log.find((x) => x.entity === 'interaction')!.data.customerId).toBe(customerId);
    const customerRows = log.filter((x) => x.entity === 'customer');
    expect(customerRows).toHaveLength(1);
    expect(customerRows[0]!.data.identities!.map((i) => i.value)).toContain('+821077774242');
    // Sent again under a new seq (a second desktop, say): no change, nothing logged again.
    const logged = async () =>
      (await t.center.db.query('SELECT 1 FROM change_log WHERE entity_id IN ($1, $2)', [interactionId, customerId])).length;
    const before = await logged();
    const third = ok(await push(d, d.mutations(2, [link(interactionId, customerId)])));
    expect(third.rejected).toEqual([]);
    expect(await logged()).toBe(before);
    d.close();
  });

  it('relinks a contact from a provisional customer (its number moves along), but not from a real one', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent4');
    const provisional = randomUUID();
    const fromProvisional = await unknownCall('010-7777-5999', d.user.id);
    const noPhone = await unknownCall('010-7777-5000', d.user.id);
    const fromReal = await unknownCall('010-7777-5001', d.user.id, 'demo', t.tenants.demo!.customers[4]!.customer.id);
    const r = ok(
      await push(
        d,
        d.mutations(1, [
          { name: 'customer.createProvisional', args: { id: provisional, displayName: 'Unknown caller', phone: '010-7777-5999' } },
        ]),
      ),
    );
    expect(r.rejected).toEqual([]);
    await t.center.db.query('UPDATE interactions SET customer_id = $2 WHERE id = $1', [fromProvisional, provisional]);
    const r2 = ok(await push(d, d.mutations(2, [link(fromProvisional, customerId), link(noPhone, customerId, false), link(fromReal, customerId)])));
    expect(r2.rejected.map((x) => x.seq)).toEqual([4]);
    expect(r2.rejected[0]!.reason).toMatch(/already linked/);
    const rows = await t.center.db.query<{ id: string; customer_id: string }>('SELECT id, customer_id FROM interactions WHERE id = ANY($1::uuid[])', [
      [fromProvisional, fromReal],
    ]);
    expect(rows.find((x) => x.id === fromProvisional)!.customer_id).toBe(customerId);
    // The provisional profile's number now finds the real customer, and both changes are logged.
    const moved = await t.center.db.query<{ customer_id: string }>(`SELECT customer_id FROM customer_identities WHERE value = '+821077775999'`);
    expect(moved.map((x) => x.customer_id)).toEqual([customerId]);
    const [provisionalLogged] = await t.center.db.query<{ data: { identities: unknown[] } }>(
      `SELECT data FROM change_log WHERE entity = 'customer' AND entity_id = $1 ORDER BY version DESC LIMIT 1`,
      [provisional],
    );
    expect(provisionalLogged!.data.identities).toEqual([]);
    expect(rows.find((x) => x.id === fromReal)!.customer_id).toBe(t.tenants.demo!.customers[4]!.customer.id);
    const phones = await t.center.db.query(`SELECT 1 FROM customer_identities WHERE value = '+821077775000'`);
    expect(phones).toHaveLength(0); // addPhone: false
    d.close();
  });

  it("rejects an unknown customer, another tenant's customer or interaction, and a merged customer, with a reason", async () => {
    const d = await desktop(t.center.url, 'demo', 'agent5');
    const interactionId = await unknownCall('010-7777-6000', d.user.id);
    const acmeInteraction = await unknownCall('010-7777-6001', null, 'acme');
    const merged = randomUUID();
    const knownPhone = phoneOf(t.tenants.demo!, 1);
    const r = ok(
      await push(
        d,
        d.mutations(1, [
          link(interactionId, randomUUID()),
          link(interactionId, acmeCustomerId),
          link(acmeInteraction, customerId),
          { name: 'customer.createProvisional', args: { id: merged, displayName: 'Dup', phone: knownPhone } },
          link(interactionId, merged),
        ]),
      ),
    );
    expect(r.rejected.map((x) => x.seq)).toEqual([1, 2, 3, 5]);
    expect(r.rejected[0]!.reason).toMatch(/customer does not exist/);
    expect(r.rejected[1]!.reason).toMatch(/customer does not exist/);
    expect(r.rejected[2]!.reason).toMatch(/interaction does not exist/);
    expect(r.rejected[3]!.reason).toMatch(/merged/);
    const rows = await t.center.db.query<{ customer_id: string | null }>('SELECT customer_id FROM interactions WHERE id = ANY($1::uuid[])', [
      [interactionId, acmeInteraction],
    ]);
    expect(rows.map((x) => x.customer_id)).toEqual([null, null]);
    d.close();
  });

  it("refuses an agent who did not handle the contact (the number stays off the victim's profile), and audits every link made", async () => {
    const handler = await desktop(t.center.url, 'demo', 'agent6');
    const other = await desktop(t.center.url, 'demo', 'agent7');
    const supervisor = await desktop(t.center.url, 'demo', 'super1');
    const victim = t.tenants.demo!.customers[6]!.customer.id;
    const theirs = await unknownCall('010-7777-7000', handler.user.id);
    const nobodys = await unknownCall('010-7777-7001', null);
    const r = ok(await push(other, other.mutations(1, [link(theirs, victim), link(nobodys, victim)])));
    expect(r.rejected.map((x) => x.seq)).toEqual([1, 2]);
    expect(r.rejected[0]!.reason).toMatch(/Only the agent who handled this contact, or a supervisor/);
    const rows = await t.center.db.query<{ customer_id: string | null }>('SELECT customer_id FROM interactions WHERE id = ANY($1::uuid[])', [[theirs, nobodys]]);
    expect(rows.map((x) => x.customer_id)).toEqual([null, null]);
    expect(await t.center.db.query(`SELECT 1 FROM customer_identities WHERE value IN ('+821077777000', '+821077777001')`)).toHaveLength(0);

    // The handler may link their own contact; a supervisor any contact of the tenant.
    expect(ok(await push(handler, handler.mutations(1, [link(theirs, victim)]))).rejected).toEqual([]);
    expect(ok(await push(supervisor, supervisor.mutations(1, [link(nobodys, victim)]))).rejected).toEqual([]);
    const audit = await t.center.db.query<{ user_id: string; customer_id: string; reason: string }>(
      `SELECT user_id, customer_id, reason FROM audit_log WHERE tenant_id = 'demo' AND action = 'interaction.linkCustomer' AND reason = ANY($1::text[]) ORDER BY id`,
      [[theirs, nobodys]],
    );
    expect(audit).toEqual([
      { user_id: handler.user.id, customer_id: victim, reason: theirs },
      { user_id: supervisor.user.id, customer_id: victim, reason: nobodys },
    ]);
    for (const d of [handler, other, supervisor]) d.close();
  });

  it('lets the agent a call was transferred to link it as well', async () => {
    const first = await desktop(t.center.url, 'demo', 'agent8');
    const second = await desktop(t.center.url, 'demo', 'agent9');
    const call = { tenantId: 'demo', ani: '010-7777-8000', dnis: '1588-0000', queue: 'general' };
    const offered = await recordOfferedCall(t.center.db, { ...call, agentUserId: first.user.id, agentUsername: 'agent8' });
    const interactionId = offered.value.offer.interactionId;
    // Before the transfer the second agent is refused; once it rings them, they may link it.
    expect(ok(await push(second, second.mutations(1, [link(interactionId, customerId, false)]))).rejected).toHaveLength(1);
    await recordOfferedCall(t.center.db, { ...call, agentUserId: second.user.id, agentUsername: 'agent9', interactionId });
    expect(ok(await push(second, second.mutations(2, [link(interactionId, customerId, false)]))).rejected).toEqual([]);
    first.close();
    second.close();
  });
});
