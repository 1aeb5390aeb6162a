// The pop travels with the ring: a call's offer carries the caller's pop, read after the offer
// granted them to the agent's working set, and nothing of another tenant.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { toE164 } from '../../../shared/domain';
import { CallOffered, SCHEMA_VERSION } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { offerCall } from '../index';
import { login, phoneOf, startTestCenter, type TestCenter } from '../testing/center-client';

forEachDriver('the pop pushed with a call offer', ({ freshDatabase }) => {
  let t: TestCenter;
  const open: Socket[] = [];
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
  });
  afterAll(async () => {
    open.forEach((s) => s.close());
    await t?.stop();
  });

  const connectAgent = async (username: string) => {
    const session = await login(t.center.url, 'demo', username);
    const socket = io(t.center.url, { auth: { token: session.token, schemaVersion: SCHEMA_VERSION, clientId: randomUUID() }, transports: ['websocket'], reconnection: false, autoConnect: false });
    const offers: CallOffered[] = [];
    // Parsed as the desktop parses it: the pushed pop must pass the wire schema.
    socket.on('cti:callOffered', (m: unknown) => offers.push(CallOffered.parse(m)));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
      socket.connect();
    });
    open.push(socket);
    return { offers, userId: session.user.id };
  };
  const offered = async (agent: { offers: CallOffered[] }, interactionId: string) => {
    await vi.waitFor(() => expect(agent.offers.some((o) => o.interactionId === interactionId)).toBe(true), { timeout: 10_000 });
    return agent.offers.find((o) => o.interactionId === interactionId)!;
  };

  it("carries the caller's profile and history, granted to the agent and audited once as a screen pop", async () => {
    const agent = await connectAgent('agent5');
    const phone = phoneOf(t.tenants.demo!, 2);
    const call = await offerCall(t.center, { tenant: 'demo', username: 'agent5', ani: phone, queue: 'general' });
    expect(call).not.toHaveProperty('caller'); // what offerCall returns stays the bare offer
    const offer = await offered(agent, call.interactionId);
    const pop = offer.caller!.pop!;
    expect(pop.source).toBe('center');
    expect(pop.customer.identities).toContainEqual({ kind: 'phone', value: toE164(phone) });
    // Read after the offer committed: the call itself heads the history, on this customer.
    expect(pop.history[0]).toMatchObject({ id: call.interactionId, customerId: pop.customer.id, channel: 'call' });
    expect(pop.asOf).toBe(offer.caller!.asOf);
    const [logged] = await t.center.db.query<{ v: string }>(`SELECT max(version)::text AS v FROM change_log`);
    expect(BigInt(pop.asOf!)).toBeLessThanOrEqual(BigInt(logged!.v));
    expect(BigInt(pop.asOf!)).toBeGreaterThan(0n);
    // Granted to this agent (so its changes follow to their desktop), and audited as a screen pop.
    const granted = await t.center.db.query(`SELECT reason FROM working_set WHERE user_id = $1 AND customer_id = $2`, [agent.userId, pop.customer.id]);
    expect(granted).toHaveLength(1);
    const audit = await t.center.db.query<{ action: string; reason: string }>(
      `SELECT action, reason FROM audit_log WHERE user_id = $1 AND customer_id = $2 AND action LIKE 'customer.lookup%'`,
      [agent.userId, pop.customer.id],
    );
    expect(audit).toEqual([{ action: 'customer.lookup', reason: 'screen_pop' }]);
  });

  it("says a number no customer of the tenant holds is unknown, even when another tenant's customer holds it", async () => {
    const agent = await connectAgent('agent6');
    const theirs = phoneOf(t.tenants.acme!, 0);
    const ours = await t.center.db.query(`SELECT 1 FROM customer_identities WHERE tenant_id = 'demo' AND kind = 'phone' AND value = $1`, [toE164(theirs)]);
    expect(ours).toEqual([]); // the number belongs to acme only
    const call = await offerCall(t.center, { tenant: 'demo', username: 'agent6', ani: theirs, queue: 'general' });
    const offer = await offered(agent, call.interactionId);
    expect(offer.caller).toEqual({ asOf: expect.stringMatching(/^\d+$/), pop: null });
    const granted = await t.center.db.query(`SELECT customer_id FROM working_set WHERE user_id = $1`, [agent.userId]);
    expect(granted).toEqual([]);
  });

  it('grants and pops the caller for the second agent a call rings (a transfer)', async () => {
    const first = await connectAgent('agent7');
    const second = await connectAgent('agent8');
    const phone = phoneOf(t.tenants.demo!, 3);
    const call = await offerCall(t.center, { tenant: 'demo', username: 'agent7', ani: phone, queue: 'general' });
    const customerId = (await offered(first, call.interactionId)).caller!.pop!.customer.id;
    // The switch rings the same call at another agent (same interaction id).
    const { offererOf } = await import('../center/center');
    await offererOf(t.center)!({ tenantId: 'demo', ani: phone, dnis: '1588', queue: 'general', agentUserId: second.userId, agentUsername: 'agent8', interactionId: call.interactionId });
    const offer = await offered(second, call.interactionId);
    expect(offer.caller!.pop!.customer.id).toBe(customerId);
    expect(offer.caller!.pop!.history[0]!.id).toBe(call.interactionId);
    expect(await t.center.db.query(`SELECT 1 FROM working_set WHERE user_id = $1 AND customer_id = $2`, [second.userId, customerId])).toHaveLength(1);
  });
});
