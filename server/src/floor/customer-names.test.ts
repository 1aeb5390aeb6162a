// The customer's name reaches supervisors (never agents' own state pushes), resolved within the tenant.
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { AgentStateUpdate } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { signCtiWebhook } from '../cti/webhook';
import { createWebhookSecret } from '../cti/webhook-store';
import { desktop, phoneOf, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { createCustomerNames } from './customer-names';

forEachDriver('customer names for supervisors', ({ freshDatabase }) => {
  let t: TestCenter;
  let agent: Desktop;
  let supervisor: Desktop;
  let secret: string;
  const toSupervisor: AgentStateUpdate[] = [];
  const toAgent: Array<Record<string, unknown>> = [];
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    secret = await createWebhookSecret(t.center.db, 'demo');
    supervisor = await desktop(t.center.url, 'demo', 'super1');
    supervisor.socket.on('agent:state', (m: unknown) => toSupervisor.push(AgentStateUpdate.parse(m)));
    agent = await desktop(t.center.url, 'demo', 'agent3');
    agent.socket.on('agent:state', (m: Record<string, unknown>) => toAgent.push(m));
  });
  afterAll(async () => {
    agent?.close();
    supervisor?.close();
    await t?.stop();
  });

  const post = async (n: number, type: string, extra: object = {}) => {
    const body = JSON.stringify({ eventId: `names-${n}`, type, occurredAt: new Date().toISOString(), externalCallId: 'names.1', queue: 'general', ...extra });
    const ts = Math.floor(Date.now() / 1000);
    const res = await fetch(`${t.center.url}/cti/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-earshot-tenant': 'demo', 'x-earshot-timestamp': String(ts), 'x-earshot-signature': signCtiWebhook(secret, ts, body) },
      body,
    });
    expect(res.status).toBeLessThan(300);
    return (await res.json()) as { interactionId?: string };
  };

  it("puts the caller's name on the supervisors' agent:state, not on the agent's own", async () => {
    const phone = phoneOf(t.tenants.demo!, 0);
    const [customer] = await t.center.db.query<{ display_name: string }>(
      `SELECT c.display_name FROM customers c JOIN customer_identities i ON i.customer_id = c.id WHERE c.tenant_id = 'demo' AND i.kind = 'phone' AND i.value = $1`,
      [phone],
    );
    // Signed in, the agent is made available (the supervisor, connected first, sees it): the switch may ring them.
    await vi.waitFor(() => expect(toSupervisor.some((s) => s.agent === 'agent3' && s.state === 'available')).toBe(true), { timeout: 10_000 });
    await post(1, 'call_offered', { ani: phone, dnis: '+8215880000' });
    const ringing = await post(2, 'call_ringing', { agent: 'agent3' });
    await post(3, 'call_answered', { agent: 'agent3' });
    const onCall = await vi.waitFor(
      () => {
        // The name comes with the push if it is cached already, otherwise with the same state pushed again.
        const u = toSupervisor.find((s) => s.agent === 'agent3' && s.state === 'on_call' && s.customerName);
        expect(u).toBeDefined();
        return u!;
      },
      { timeout: 5000 },
    );
    expect(onCall.interactionId).toBe(ringing.interactionId);
    expect(onCall.customerName).toBe(customer!.display_name);
    await vi.waitFor(() => expect(toAgent.some((s) => s.state === 'on_call')).toBe(true), { timeout: 5000 });
    expect(toAgent.every((s) => !('customerName' in s))).toBe(true);
    // A supervisor who connects now gets the name with the first picture.
    // Listening from before the handshake: the picture may leave the moment the socket connects.
    const first: AgentStateUpdate[] = [];
    const late = await desktop(t.center.url, 'demo', 'super1', undefined, (socket) => socket.on('agent:state', (m: unknown) => first.push(AgentStateUpdate.parse(m))));
    await vi.waitFor(() => expect(first.find((s) => s.agent === 'agent3')?.customerName).toBe(customer!.display_name), { timeout: 5000 });
    late.close();
    // Another tenant's lookup of the same interaction finds nothing.
    const names = createCustomerNames(t.center.db, { warn() {} });
    expect(await names.nameOf('acme', ringing.interactionId!)).toBeNull();
    expect(await names.nameOf('demo', ringing.interactionId!)).toBe(customer!.display_name);
  });
});

it('never holds a push for a name: states leave at once, in order, and again with the name once found', async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  const queries: unknown[][] = [];
  const db = {
    query: async (_sql: string, params: unknown[]) => {
      queries.push(params);
      await gate;
      return (params[1] as string[]).map((id) => ({ id, display_name: 'Kim Minji' }));
    },
    exec: async () => undefined,
  };
  const sent: Array<[string, unknown]> = [];
  const emit = createCustomerNames(db as never, { warn() {} }).outlet((_t, event, payload) => sent.push([event, payload]));
  const u = { agent: 'a', state: 'on_call', reason: null, interactionId: '00000000-0000-4000-8000-000000000001', queue: 'q', since: new Date(0).toISOString(), by: 'system', forcedBy: null };
  const b = { ...u, agent: 'b', interactionId: '00000000-0000-4000-8000-000000000004' };
  emit('demo', 'agent:state', u);
  emit('demo', 'agent:state', b);
  emit('demo', 'agent:state', { ...u, state: 'wrap_up' });
  emit('demo', 'queue:metrics', { kind: 'diff' });
  emit('demo', 'agent:state', { ...u, agent: 'c', state: 'available', interactionId: null });
  // Everything left at once, in the order emitted, without a name (none is cached yet).
  expect(sent.map(([e, p]) => (e === 'agent:state' ? `${(p as { agent: string }).agent}:${(p as { state: string }).state}` : e))).toEqual([
    'a:on_call',
    'b:on_call',
    'a:wrap_up',
    'queue:metrics',
    'c:available',
  ]);
  expect(sent.every(([e, p]) => e !== 'agent:state' || (p as { customerName: unknown }).customerName === null)).toBe(true);
  await vi.waitFor(() => expect(queries).toHaveLength(1));
  expect(queries[0]).toEqual(['demo', [u.interactionId, b.interactionId]]); // one query for the turn, one lookup per call
  release();
  // Each agent's latest state goes again with the name.
  await vi.waitFor(() => expect(sent).toHaveLength(7));
  expect(sent.slice(5).map(([, p]) => p)).toEqual(
    expect.arrayContaining([
      { ...u, state: 'wrap_up', customerName: 'Kim Minji' },
      { ...b, customerName: 'Kim Minji' },
    ]),
  );
  // Cached now: the next state carries the name at once, with no query.
  emit('demo', 'agent:state', { ...u, state: 'available' });
  expect(sent[7]?.[1]).toEqual({ ...u, state: 'available', customerName: 'Kim Minji' });
  expect(queries).toHaveLength(1);
});

it('remembers an unknown caller for a while instead of looking them up on every state', async () => {
  let clock = 0;
  const queries: unknown[][] = [];
  const db = { query: async (_sql: string, params: unknown[]) => (queries.push(params), []), exec: async () => undefined };
  const sent: Array<Record<string, unknown>> = [];
  const emit = createCustomerNames(db as never, { warn() {} }, [10, 10], () => clock).outlet((_t, _e, p) => sent.push(p as Record<string, unknown>));
  const u = { agent: 'a', state: 'on_call', reason: null, interactionId: '00000000-0000-4000-8000-000000000009', queue: 'q', since: new Date(0).toISOString(), by: 'system', forcedBy: null };
  emit('demo', 'agent:state', u);
  await vi.waitFor(() => expect(queries).toHaveLength(3)); // now, and after each of the two retry delays
  await new Promise((r) => setTimeout(r, 50));
  emit('demo', 'agent:state', { ...u, state: 'on_hold' });
  await new Promise((r) => setTimeout(r, 50));
  expect(queries).toHaveLength(3);
  clock += 31_000; // later the caller may have been linked to a customer: asked again
  emit('demo', 'agent:state', { ...u, state: 'on_call' });
  await vi.waitFor(() => expect(queries.length).toBeGreaterThan(3));
  expect(sent.every((p) => p.customerName === null)).toBe(true);
});

it('looks up a malformed interaction id without asking the database', async () => {
  let asked = 0;
  const db = { query: async () => (asked++, []), exec: async () => undefined };
  const names = createCustomerNames(db as never, { warn() {} });
  expect(await names.nameOf('demo', 'not-a-uuid')).toBeNull();
  expect(await names.nameOf('demo', '00000000-0000-4000-8000-000000000005')).toBeNull();
  expect(asked).toBe(1);
});

it('pushes the state again with the name when the call is recorded just after the agent moved', async () => {
  let recorded = false;
  const db = { query: async (_sql: string, params: unknown[]) => (recorded ? (params[1] as string[]).map((id) => ({ id, display_name: 'Lee Jisoo' })) : []), exec: async () => undefined };
  const sent: Array<Record<string, unknown>> = [];
  const emit = createCustomerNames(db as never, { warn() {} }, [30, 60]).outlet((_t, _e, payload) => sent.push(payload as Record<string, unknown>));
  const u = { agent: 'a', state: 'ringing', reason: null, interactionId: '00000000-0000-4000-8000-000000000002', queue: 'q', since: new Date(0).toISOString(), by: 'system', forcedBy: null };
  emit('demo', 'agent:state', u);
  await vi.waitFor(() => expect(sent).toEqual([{ ...u, customerName: null }]));
  recorded = true;
  await vi.waitFor(() => expect(sent).toEqual([{ ...u, customerName: null }, { ...u, customerName: 'Lee Jisoo' }]));
  // A later state of another interaction is not overwritten by a late name for the old one.
  recorded = false;
  const next = { ...u, state: 'ringing', interactionId: '00000000-0000-4000-8000-000000000003' };
  emit('demo', 'agent:state', next);
  emit('demo', 'agent:state', { ...next, state: 'available', interactionId: null });
  await vi.waitFor(() => expect(sent).toHaveLength(4));
  recorded = true;
  await new Promise((r) => setTimeout(r, 150));
  expect(sent.slice(2)).toEqual([{ ...next, customerName: null }, { ...next, state: 'available', interactionId: null, customerName: null }]);
});
