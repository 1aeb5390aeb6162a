// Follow-up ("happy") calls through a real center: the agents' list, one agent claiming a call and
// getting the pop of an outbound call, a second agent told who is calling, reschedule and skip, and a
// PBX fed through the webhook told to place the call by a signed POST it can verify, whose events under
// the id the center gave it are taken.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallOffered, FollowUpList, SCHEMA_VERSION, type PushResponse } from '../../../shared/protocol';
import { signCtiWebhook } from '../cti/webhook';
import { createWebhookSecret } from '../cti/webhook-store';
import { desktop, ok, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';

describe('follow-up calls', () => {
  let t: TestCenter;
  let agent1: Desktop;
  let agent2: Desktop;
  const offers: unknown[] = [];
  let vocId: string;
  let taskId: string;
  const seqs = new Map<string, number>();
  const push = async (d: Desktop, name: string, args: unknown) => {
    const seq = (seqs.get(d.clientId) ?? 0) + 1;
    seqs.set(d.clientId, seq);
    const r = ok(await d.call<PushResponse>('sync:push', { schemaVersion: SCHEMA_VERSION, clientId: d.clientId, mutations: d.mutations(seq, [{ name, args }]) }));
    expect(r.lastSeq).toBe(seq);
    return r;
  };
  const list = async (d: Desktop) => FollowUpList.parse(ok(await d.call('voc:followUps', {}))).tasks;

  beforeAll(async () => {
    t = await startTestCenter({});
    // Worked by hand below: the center's assigner must not take the item first.
    await t.center.db.query("UPDATE departments SET assignment = 'lead' WHERE tenant_id = 'demo'");
    agent1 = await desktop(t.center.url, 'demo', 'agent1', randomUUID(), (s) => s.on('cti:callOffered', (o: unknown) => offers.push(o)));
    agent2 = await desktop(t.center.url, 'demo', 'agent2');
    // A complaint told to the customer: the center schedules its happy call; make it due now.
    const customer = t.tenants.demo!.customers.find((c) => c.customer.identities.some((i) => i.kind === 'phone'))!.customer;
    vocId = randomUUID();
    const staff = await desktop(t.center.url, 'demo', 'staff1');
    expect((await push(staff, 'voc.create', { id: vocId, customerId: customer.id, interactionId: null, type: 'complaint', topic: 'Staff attitude', description: 'Rude at the store.', topicId: 'service/staff' })).rejected).toEqual([]);
    for (const [expectedStatus, step] of [
      ['routed', { action: 'take' }],
      ['assigned', { action: 'start' }],
      ['in_progress', { action: 'recordResult', result: 'Spoke to the store manager.', remedy: 'Apology and a voucher.' }],
      ['result_recorded', { action: 'notifyCustomer', via: 'sms', at: new Date().toISOString() }],
    ] as const) {
      expect((await push(staff, 'voc.act', { id: vocId, expectedStatus, ...step })).rejected).toEqual([]);
    }
    staff.close();
    const [task] = await t.center.db.query<{ id: string }>("UPDATE voc_follow_ups SET due_at = now() - interval '1 minute' WHERE voc_id = $1 RETURNING id", [vocId]);
    taskId = task!.id;
  });
  afterAll(async () => {
    agent1?.close();
    agent2?.close();
    await t?.stop();
  });

  it('lists the due follow-up with what the agent needs to ask', async () => {
    const task = (await list(agent1)).find((x) => x.vocId === vocId);
    expect(task).toMatchObject({ id: taskId, state: 'open', attempts: 0, maxAttempts: 3, result: 'Spoke to the store manager.', remedy: 'Apology and a voucher.', topic: 'Staff attitude' });
    expect(task!.number).toMatch(/^VOC-/);
    expect(task!.phone).toMatch(/^\+/);
  });

  it('claims the call for one agent, pops it as an outbound call, and tells a second agent who is calling', async () => {
    const { interactionId } = ok(await agent1.call<{ interactionId: string }>('voc:followUpCall', { id: taskId }));
    const offer = CallOffered.parse(await waitFor(() => offers.find((o) => (o as { interactionId: string }).interactionId === interactionId)));
    expect(offer).toMatchObject({ direction: 'outbound', agent: 'agent1', queue: 'follow-up' });
    const [row] = await t.center.db.query<{ direction: string; customer_id: string | null }>('SELECT direction, customer_id FROM interactions WHERE id = $1', [interactionId]);
    expect(row).toMatchObject({ direction: 'outbound' });
    expect(row!.customer_id).not.toBeNull();
    expect((await list(agent2)).find((x) => x.id === taskId)).toMatchObject({ state: 'calling', claimedBy: expect.any(String) });
    const second = await agent2.call('voc:followUpCall', { id: taskId });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/is calling this customer now/) } });
    // No answer: back in the list after the retry delay, one attempt counted.
    expect((await push(agent1, 'voc.act', { id: vocId, expectedStatus: 'follow_up', action: 'followUpOutcome', outcome: 'no_answer' })).rejected).toEqual([]);
    const [after] = await t.center.db.query<{ state: string; attempts: number }>('SELECT state, attempts FROM voc_follow_ups WHERE id = $1', [taskId]);
    expect(after).toEqual({ state: 'open', attempts: 1 });
  });

  it('reschedules and skips with a reason kept in the item history, and refuses nonsense', async () => {
    const at = new Date(Date.now() + 2 * 3_600_000).toISOString();
    ok(await agent2.call('voc:followUpReschedule', { id: taskId, at }));
    expect((await t.center.db.query<{ due_at: Date }>('SELECT due_at FROM voc_follow_ups WHERE id = $1', [taskId]))[0]!.due_at.toISOString()).toBe(at);
    expect(await agent2.call('voc:followUpReschedule', { id: taskId, at: '2020-01-01T00:00:00.000Z' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    ok(await agent2.call('voc:followUpSkip', { id: taskId, reason: 'Customer asked to be called after work.' }));
    const [h] = await t.center.db.query<{ action: string; reason: string }>("SELECT action, reason FROM voc_history WHERE voc_id = $1 AND action = 'skipFollowUp'", [vocId]);
    expect(h).toEqual({ action: 'skipFollowUp', reason: 'Customer asked to be called after work.' });
    expect(await agent2.call('voc:followUpSkip', { id: randomUUID(), reason: 'x' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const staff = await desktop(t.center.url, 'demo', 'staff2');
    expect(await staff.call('voc:followUps', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    staff.close();
  });

  it('tells a PBX fed through the webhook to place the call, signed with the tenant\'s secret', async () => {
    const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
    const pbx = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => pbx.listen(0, '127.0.0.1', resolve));
    try {
      const secret = await createWebhookSecret(t.center.db, 'demo');
      await t.center.db.query("UPDATE voc_settings SET place_call_url = $1 WHERE tenant_id = 'demo'", [`http://127.0.0.1:${(pbx.address() as AddressInfo).port}/place`]);
      await t.center.db.query("UPDATE voc_follow_ups SET due_at = now() - interval '1 minute' WHERE id = $1", [taskId]);
      const { interactionId } = ok(await agent2.call<{ interactionId: string }>('voc:followUpCall', { id: taskId }));
      expect(received).toHaveLength(1);
      const { headers, body } = received[0]!;
      expect(JSON.parse(body)).toMatchObject({ type: 'place_call', interactionId, agent: 'agent2', number: expect.stringMatching(/^\+/) });
      expect(headers['x-earshot-tenant']).toBe('demo');
      expect(headers['x-earshot-signature']).toBe(signCtiWebhook(secret, String(headers['x-earshot-timestamp']), body));
      // The switch then reports the call under the id it was given: taken, though no event of it came
      // before; the same id from another tenant's switch is not (only ids the center gave it).
      const report = async (tenant: string, key: string, event: object) => {
        const raw = JSON.stringify({ eventId: `placed-${tenant}-${randomUUID()}`, occurredAt: new Date().toISOString(), queue: 'follow-up', interactionId, ...event });
        const ts = Math.floor(Date.now() / 1000);
        const res = await fetch(`${t.center.url}/cti/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-earshot-tenant': tenant, 'x-earshot-timestamp': String(ts), 'x-earshot-signature': signCtiWebhook(key, ts, raw) },
          body: raw,
        });
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const acmeSecret = await createWebhookSecret(t.center.db, 'acme');
      expect((await report('acme', acmeSecret, { type: 'call_answered', agent: 'agent1' })).status).toBe(400);
      const answered = await report('demo', secret, { type: 'call_answered', agent: 'agent2' });
      expect(answered).toMatchObject({ status: 202, body: { applied: true, interactionId } });
      const [row] = await t.center.db.query<{ tenant_id: string; direction: string }>('SELECT tenant_id, direction FROM interactions WHERE id = $1', [interactionId]);
      expect(row).toEqual({ tenant_id: 'demo', direction: 'outbound' });
    } finally {
      await t.center.db.query("UPDATE voc_settings SET place_call_url = NULL WHERE tenant_id = 'demo'");
      await new Promise<void>((resolve) => pbx.close(() => resolve()));
    }
  });
});

async function waitFor<T>(find: () => T | undefined, ms = 5_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = find();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
