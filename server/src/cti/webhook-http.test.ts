// The CTI webhook mounted in a running center, over real HTTP on loopback: signed events pop the
// agent's screen and move agent states; unsigned, wrongly signed and repeated events change nothing.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { AgentStateUpdate, CallOffered } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { desktop, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import { signCtiWebhook } from './webhook';
import { createWebhookSecret, webhookSecretsFor } from './webhook-store';

forEachDriver('CTI webhook over HTTP', ({ freshDatabase }) => {
  let t: TestCenter;
  let agent: Desktop;
  let secret: string;
  const offers: CallOffered[] = [];
  const states: AgentStateUpdate[] = [];
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    secret = await createWebhookSecret(t.center.db, 'demo');
    agent = await desktop(t.center.url, 'demo', 'agent2');
    agent.socket.on('cti:callOffered', (m: unknown) => offers.push(CallOffered.parse(m)));
    agent.socket.on('agent:state', (m: unknown) => states.push(AgentStateUpdate.parse(m)));
  });
  afterAll(async () => {
    agent?.close();
    await t?.stop();
  });

  const post = async (event: object, sign: string | null = secret, tenant = 'demo') => {
    const body = JSON.stringify(event);
    const ts = Math.floor(Date.now() / 1000);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-earshot-tenant': tenant, 'x-earshot-timestamp': String(ts) };
    if (sign !== null) headers['x-earshot-signature'] = signCtiWebhook(sign, ts, body);
    const res = await fetch(`${t.center.url}/cti/events`, { method: 'POST', headers, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const call = (n: number, type: string, extra: object = {}) => ({
    eventId: `pbx-${n}`,
    type,
    occurredAt: new Date().toISOString(),
    externalCallId: '1795453322.4',
    queue: 'general',
    ...extra,
  });

  it('refuses unsigned and wrongly signed events, and events of a tenant without a secret', async () => {
    const ev = call(1, 'call_offered', { ani: '+821012345678', dnis: '+8215880000' });
    expect((await post(ev, null)).status).toBe(401);
    expect((await post(ev, 'not-the-secret')).status).toBe(401);
    expect((await post(ev, secret, 'acme')).status).toBe(401);
    const rows = await t.center.db.query('SELECT 1 FROM cti_webhook_events');
    expect(rows).toHaveLength(0);
  });

  it('applies signed events: the ringing agent gets the screen pop and goes ringing, then on_call', async () => {
    // Signed in: the center made the agent available (audited), so the switch may ring them.
    await vi.waitFor(async () => {
      const rows = await t.center.db.query(`SELECT 1 FROM audit_log WHERE user_id = $1 AND action = 'agent_state.available'`, [agent.user.id]);
      expect(rows).toHaveLength(1);
    }, { timeout: 5000 });
    expect((await post(call(2, 'call_offered', { ani: '+821012345678', dnis: '+8215880000' }))).status).toBe(202);
    const ringing = await post(call(3, 'call_ringing', { agent: 'agent2' }));
    expect(ringing).toMatchObject({ status: 202, body: { accepted: true, applied: true } });
    await vi.waitFor(() => expect(offers).toHaveLength(1), { timeout: 5000 });
    expect(offers[0]).toMatchObject({ agent: 'agent2', queue: 'general', ani: '+821012345678', interactionId: ringing.body.interactionId });
    await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ state: 'ringing', interactionId: offers[0]!.interactionId }), { timeout: 5000 });
    expect((await post(call(4, 'call_answered', { agent: 'agent2' }))).status).toBe(202);
    await vi.waitFor(() => expect(states.at(-1)?.state).toBe('on_call'), { timeout: 5000 });
    const [row] = await t.center.db.query<{ agent: string }>('SELECT agent FROM interactions WHERE id = $1', [offers[0]!.interactionId]);
    expect(row).toEqual({ agent: 'agent2' });
  });

  it('answers a repeated event id as a duplicate and applies it once', async () => {
    const again = await post(call(3, 'call_ringing', { agent: 'agent2' }));
    expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
    expect(offers).toHaveLength(1);
  });

  it('keeps the previous secret working after a rotation', async () => {
    const next = await createWebhookSecret(t.center.db, 'demo');
    expect(await webhookSecretsFor(t.center.db, 'demo')).toEqual([next, secret]);
    expect((await post(call(5, 'call_held', { agent: 'agent2' }), secret)).status).toBe(202);
    expect((await post(call(6, 'call_resumed', { agent: 'agent2' }), next)).status).toBe(202);
  });

  it("does not let another tenant's PBX take a tenant's future interaction id", async () => {
    const acmeSecret = await createWebhookSecret(t.center.db, 'acme');
    const external = 'victim-call-77';
    // What anyone could compute before ids were keyed by a tenant secret: UUIDv5 of "<tenant>:<call id>".
    const ns = Buffer.from('5d0c9f7e2b414f0a8d538f1e6a7c3b29', 'hex');
    const h = createHash('sha1').update(ns).update(`demo:${external}`).digest();
    h[6] = (h[6]! & 0x0f) | 0x50;
    h[8] = (h[8]! & 0x3f) | 0x80;
    const x = h.subarray(0, 16).toString('hex');
    const predicted = `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
    for (const id of [predicted, '0b6f1a52-7d0e-4c44-9a5e-2f8c1d3b4a10']) {
      const squat = { eventId: `squat-${id}`, occurredAt: new Date().toISOString(), interactionId: id, queue: 'general', ani: '+821099990000' };
      const offered = await post({ ...squat, type: 'call_offered' }, acmeSecret, 'acme');
      expect(offered).toMatchObject({ status: 400, body: { error: { message: expect.stringMatching(/send externalCallId/) } } });
      expect((await post({ ...squat, eventId: `${squat.eventId}-r`, type: 'call_ringing', agent: 'agent2' }, acmeSecret, 'acme')).status).toBe(400);
    }
    expect(await t.center.db.query(`SELECT 1 FROM interactions WHERE tenant_id = 'acme' AND id = $1`, [predicted])).toHaveLength(0);

    // The same PBX call id in two tenants: two ids, neither the predictable one; the victim's call still pops.
    const both = { occurredAt: new Date().toISOString(), externalCallId: external, queue: 'general', ani: '+821012345679' };
    const acmeCall = await post({ ...both, eventId: 'acme-77', type: 'call_offered' }, acmeSecret, 'acme');
    const before = offers.length;
    const demoCall = await post({ ...both, eventId: 'demo-77', type: 'call_ringing', agent: 'agent2' });
    expect(demoCall.status).toBe(202);
    expect(demoCall.body.interactionId).not.toBe(acmeCall.body.interactionId);
    expect(demoCall.body.interactionId).not.toBe(predicted);
    await vi.waitFor(() => expect(offers.length).toBe(before + 1), { timeout: 5000 });
    expect(offers.at(-1)!.interactionId).toBe(demoCall.body.interactionId);
    // And its later events may name it by the id it was answered with.
    expect((await post({ ...both, eventId: 'demo-78', type: 'call_answered', agent: 'agent2', externalCallId: undefined, interactionId: demoCall.body.interactionId })).status).toBe(202);
  });
});
