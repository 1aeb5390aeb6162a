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

  const post = async (n: number, type: string, extra: object = {}, callId = 'names.1') => {
    const body = JSON.stringify({ eventId: `${callId}-${n}`, type, occurredAt: new Date().toISOString(), externalCallId: callId, queue: 'general', ...extra });
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

  it("an offered call's states reach supervisors with the caller's name from the offer, with no lookup query", async () => {
    const phone = phoneOf(t.tenants.demo!, 1);
    const [customer] = await t.center.db.query<{ display_name: string }>(
      `SELECT c.display_name FROM customers c JOIN customer_identities i ON i.customer_id = c.id WHERE c.tenant_id = 'demo' AND i.kind = 'phone' AND i.value = $1`,
      [phone],
    );
    // The center's own database object: every statement it sends from here on is seen.
    const db = t.center.db as { query: typeof t.center.db.query };
    const query = db.query.bind(db);
    let lookups = 0;
    db.query = ((sql: string, params?: readonly unknown[]) => {
      if (/FROM interactions i\s+JOIN customers c/.test(sql)) lookups += 1;
      return query(sql, params);
    }) as typeof db.query;
    const second = await desktop(t.center.url, 'demo', 'agent4');
    try {
      await vi.waitFor(() => expect(toSupervisor.some((s) => s.agent === 'agent4' && s.state === 'available')).toBe(true), { timeout: 10_000 });
      await post(1, 'call_offered', { ani: phone, dnis: '+8215880000' }, 'names.2');
      const ringing = await post(2, 'call_ringing', { agent: 'agent4' }, 'names.2');
      await post(3, 'call_answered', { agent: 'agent4' }, 'names.2');
      await post(4, 'call_held', { agent: 'agent4' }, 'names.2');
      await vi.waitFor(() => expect(toSupervisor.some((s) => s.agent === 'agent4' && s.state === 'on_hold')).toBe(true), { timeout: 5000 });
      // Past the grace in which a nameless state waits for the offer before it is looked up.
      await new Promise((r) => setTimeout(r, 1500));
      const pushes = toSupervisor.filter((s) => s.agent === 'agent4' && s.interactionId === ringing.interactionId);
      // The switch rings the agent just before the offer is recorded: that state may go once without the
      // name and once more with it. Every later state carries it in its one push.
      const rang = pushes.filter((s) => s.state === 'ringing');
      expect(rang.length).toBeLessThanOrEqual(2);
      expect(rang.at(-1)?.customerName).toBe(customer!.display_name);
      expect(pushes.filter((s) => s.state !== 'ringing').map((s) => [s.state, s.customerName])).toEqual([
        ['on_call', customer!.display_name],
        ['on_hold', customer!.display_name],
      ]);
      expect(lookups).toBe(0);
    } finally {
      db.query = query;
      second.close();
    }
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
  const emit = createCustomerNames(db as never, { warn() {} }, [10, 10]).outlet((_t, event, payload) => sent.push([event, payload]));
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
  const emit = createCustomerNames(db as never, { warn() {} }, [10, 10, 10], () => clock).outlet((_t, _e, p) => sent.push(p as Record<string, unknown>));
  const u = { agent: 'a', state: 'on_call', reason: null, interactionId: '00000000-0000-4000-8000-000000000009', queue: 'q', since: new Date(0).toISOString(), by: 'system', forcedBy: null };
  emit('demo', 'agent:state', u);
  await vi.waitFor(() => expect(queries).toHaveLength(3)); // after the grace for the offer, and after each of the two retry delays
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
  const emit = createCustomerNames(db as never, { warn() {} }, [10, 30, 60]).outlet((_t, _e, payload) => sent.push(payload as Record<string, unknown>));
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

const state = (agent: string, interactionId: string | null, s = 'on_call') => ({ agent, state: s, reason: null, interactionId, queue: 'q', since: new Date(0).toISOString(), by: 'system', forcedBy: null });

it("takes the name from the offer: no query, and the ringing state (pushed just before the offer) goes again once", async () => {
  const queries: unknown[][] = [];
  const db = { query: async (_sql: string, params: unknown[]) => (queries.push(params), []), exec: async () => undefined };
  const sent: Array<Record<string, unknown>> = [];
  const names = createCustomerNames(db as never, { warn() {} }, [20, 20]);
  const emit = names.outlet((_t, _e, p) => sent.push(p as Record<string, unknown>));
  const id = '00000000-0000-4000-8000-000000000011';
  emit('demo', 'agent:state', state('a', id, 'ringing'));
  names.callerFound('demo', id, '00000000-0000-4000-8000-0000000000c1', 'Park Sora');
  expect(sent).toEqual([
    { ...state('a', id, 'ringing'), customerName: null },
    { ...state('a', id, 'ringing'), customerName: 'Park Sora' },
  ]);
  emit('demo', 'agent:state', state('a', id, 'on_call'));
  emit('demo', 'agent:state', state('a', id, 'wrap_up'));
  expect(sent.slice(2)).toEqual([
    { ...state('a', id, 'on_call'), customerName: 'Park Sora' },
    { ...state('a', id, 'wrap_up'), customerName: 'Park Sora' },
  ]);
  // Past the grace and every retry: the database was never asked, and nothing was pushed again.
  await new Promise((r) => setTimeout(r, 100));
  expect(queries).toHaveLength(0);
  expect(sent).toHaveLength(4);
  expect(await names.nameOf('demo', id)).toBe('Park Sora');
  expect(await names.nameOf('acme', id)).toBeNull(); // another tenant's is its own (looked up: nothing)
  expect(queries).toHaveLength(1);
});

it('an offer with no customer for the number costs neither a query nor a second push, until the call is linked', async () => {
  let linked = false;
  const queries: unknown[][] = [];
  const db = {
    query: async (_sql: string, params: unknown[]) => (queries.push(params), linked ? (params[1] as string[]).map((i) => ({ id: i, customer_id: 'c2', display_name: 'Choi Yuna' })) : []),
    exec: async () => undefined,
  };
  const sent: Array<Record<string, unknown>> = [];
  const names = createCustomerNames(db as never, { warn() {} }, [20, 20]);
  const emit = names.outlet((_t, _e, p) => sent.push(p as Record<string, unknown>));
  const id = '00000000-0000-4000-8000-000000000012';
  emit('demo', 'agent:state', state('a', id, 'ringing'));
  names.callerFound('demo', id, null, null);
  emit('demo', 'agent:state', state('a', id, 'on_call'));
  await new Promise((r) => setTimeout(r, 100));
  expect(queries).toHaveLength(0);
  expect(sent.map((p) => [p.state, p.customerName])).toEqual([
    ['ringing', null],
    ['on_call', null],
  ]);
  // The offer's own commit (no customer) changes nothing; the agent linking the call to a customer does.
  names.interactionChanged('demo', id, null);
  emit('demo', 'agent:state', state('a', id, 'on_hold'));
  await new Promise((r) => setTimeout(r, 60));
  expect(queries).toHaveLength(0);
  linked = true;
  names.interactionChanged('demo', id, 'c2');
  emit('demo', 'agent:state', state('a', id, 'on_call'));
  await vi.waitFor(() => expect(sent.at(-1)).toEqual({ ...state('a', id, 'on_call'), customerName: 'Choi Yuna' }));
  expect(queries).toHaveLength(1);
});

it('looks up the misses (calls offered elsewhere) in bounded batches, one query per tenant in flight', async () => {
  // Fake timers: the 1,200 follow-up timers fall due at one instant and all run before the flush, so a
  // pause of the machine between them cannot split the first batch (a CI run once saw 459 + 41).
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] });
  try {
    await missesInBatches();
  } finally {
    vi.useRealTimers();
  }
});

async function missesInBatches() {
  const asked: number[] = [];
  let inFlight = 0;
  let most = 0;
  const db = {
    query: async (_sql: string, params: unknown[]) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      asked.push((params[1] as string[]).length);
      await new Promise((r) => setTimeout(r, 20));
      inFlight -= 1;
      return (params[1] as string[]).map((i) => ({ id: i, customer_id: 'c', display_name: 'Han Jiwoo' }));
    },
    exec: async () => undefined,
  };
  const sent: Array<Record<string, unknown>> = [];
  const emit = createCustomerNames(db as never, { warn() {} }, [10, 10]).outlet((_t, _e, p) => sent.push(p as Record<string, unknown>));
  const ids = Array.from({ length: 1200 }, (_, i) => `00000000-0000-4000-8000-${String(100000000000 + i)}`);
  ids.forEach((id, i) => emit('demo', 'agent:state', state(`a${i}`, id)));
  await vi.waitFor(() => expect(sent).toHaveLength(2400), { timeout: 5000 });
  expect(asked).toEqual([500, 500, 200]);
  expect(most).toBe(1);
  expect(sent.slice(1200).every((p) => p.customerName === 'Han Jiwoo')).toBe(true);
}
