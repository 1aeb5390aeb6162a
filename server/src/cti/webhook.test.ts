// The webhook over a real HTTP server on 127.0.0.1, with requests signed the way docs/cti-webhook.md tells integrators to.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CtiEvent } from '../floor/model/cti-events';
import { createMemoryWebhookStore, handleCtiWebhook, signCtiWebhook, WEBHOOK_PATH, type CtiWebhookDeps } from './webhook';

const SECRET = 'whsec-acme-0123456789abcdef';
const NOW = Date.parse('2026-11-25T01:30:00.000Z');
const received: Array<{ tenant: string; event: CtiEvent }> = [];
const logged: Array<Record<string, unknown>> = [];
let deps: CtiWebhookDeps;
let server: Server;
let base: string;

beforeEach(() => {
  received.length = 0;
  logged.length = 0;
  deps = {
    secretsFor: async (tenant) => (tenant === 'acme' ? ['old-secret-being-rotated-out', SECRET] : []),
    store: createMemoryWebhookStore(),
    callIdKey: async (tenant) => `key-of-${tenant}`,
    onEvent: (tenant, event) => {
      received.push({ tenant, event: CtiEvent.parse(event) });
    },
    now: () => NOW,
    logger: { warn: (fields) => logged.push(fields) },
  };
});

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== WEBHOOK_PATH) {
        res.writeHead(404).end();
        return;
      }
      const headers: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v[0] : v;
      void handleCtiWebhook({ headers, rawBody: Buffer.concat(chunks) }, deps).then(
        ({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
        () => res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'internal', message: 'Try again.' } })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

async function post(body: string | object, opts: { secret?: string; tenant?: string | null; ts?: number; signature?: string } = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const ts = opts.ts ?? Math.floor(NOW / 1000);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-earshot-timestamp': String(ts) };
  if (opts.tenant !== null) headers['X-Earshot-Tenant'] = opts.tenant ?? 'acme';
  headers['X-Earshot-Signature'] = opts.signature ?? signCtiWebhook(opts.secret ?? SECRET, ts, raw);
  const res = await fetch(`${base}${WEBHOOK_PATH}`, { method: 'POST', headers, body: raw });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const call = (eventId: string, type: string, occurredAt: string, extra: object = {}) => ({
  eventId,
  type,
  occurredAt,
  externalCallId: '1795453322.4',
  queue: 'support',
  ani: '010-1234-5678',
  dnis: '+8215880000',
  ...extra,
});

describe('CTI webhook: signatures', () => {
  it('accepts a signed event, normalises it to our CTI event and makes a stable interaction id', async () => {
    const first = await post(call('e1', 'call_offered', '2026-11-25T01:29:50Z'));
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ accepted: true, applied: true, eventId: 'e1' });
    const second = await post(call('e2', 'call_ringing', '2026-11-25T01:29:52Z', { agent: 'minji' }));
    expect(second.body['interactionId']).toBe(first.body['interactionId']);
    expect(received).toEqual([
      { tenant: 'acme', event: { type: 'call_offered', interactionId: first.body['interactionId'], ani: '+821012345678', dnis: '+8215880000', queue: 'support', at: '2026-11-25T01:29:50.000Z' } },
      { tenant: 'acme', event: expect.objectContaining({ type: 'call_ringing', agent: 'minji', at: '2026-11-25T01:29:52.000Z' }) },
    ]);
  });

  it('refuses unsigned, badly signed, replayed and unknown-tenant requests with 401, logging no personal data', async () => {
    const event = call('e1', 'call_offered', '2026-11-25T01:29:50Z');
    expect((await post(event, { signature: '' })).status).toBe(401);
    expect((await post(event, { tenant: null })).status).toBe(401);
    expect((await post(event, { secret: 'not-the-secret' })).body).toMatchObject({ error: { code: 'unauthenticated', message: expect.stringMatching(/signature does not match/) } });
    expect((await post(event, { tenant: 'globex' })).status).toBe(401);
    // A body signed for another timestamp, or a captured request replayed later, fails.
    const raw = JSON.stringify(event);
    expect((await post(raw, { signature: signCtiWebhook(SECRET, Math.floor(NOW / 1000) - 1, raw) })).status).toBe(401);
    const old = Math.floor(NOW / 1000) - 301;
    expect((await post(raw, { ts: old, signature: signCtiWebhook(SECRET, old, raw) })).body).toMatchObject({ error: { message: expect.stringMatching(/more than 300 s/) } });
    // The tampered body: signed, then one digit changed.
    const signed = signCtiWebhook(SECRET, Math.floor(NOW / 1000), raw);
    expect((await post(raw.replace('5678', '5679'), { signature: signed })).status).toBe(401);
    expect(received).toEqual([]);
    expect(logged.map((l) => l['reason'])).toEqual(['missing_headers', 'missing_headers', 'bad_signature', 'bad_signature', 'bad_signature', 'stale_timestamp', 'bad_signature']);
    expect(JSON.stringify(logged)).not.toMatch(/1234|5678|010/);
  });

  it('checks a signature no cached secret matches against fresh secrets once, before refusing it', async () => {
    const asked: boolean[] = [];
    deps.secretsFor = async (_tenant, fresh) => (asked.push(Boolean(fresh)), fresh ? [SECRET] : ['a-secret-since-rotated-out']);
    expect((await post(call('e1', 'call_offered', '2026-11-25T01:29:50Z'))).status).toBe(202);
    expect(asked).toEqual([false, true]);
    asked.length = 0;
    expect((await post(call('e2', 'call_offered', '2026-11-25T01:29:50Z'), { secret: 'not-the-secret' })).status).toBe(401);
    expect(asked).toEqual([false, true]);
  });

  it('accepts a secret being rotated in alongside the old one', async () => {
    expect((await post(call('e1', 'call_offered', '2026-11-25T01:29:50Z'), { secret: 'old-secret-being-rotated-out' })).status).toBe(202);
  });
});

describe('CTI webhook: bodies', () => {
  it('says what is wrong with a malformed event, without echoing its values', async () => {
    const notJson = await post('{"eventId": "e1",');
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'bad_request', message: expect.stringMatching(/not valid JSON/) } } });
    const noQueue = await post({ ...call('e1', 'call_offered', '2026-11-25T01:29:50Z'), queue: undefined });
    expect(noQueue.status).toBe(400);
    expect(String((noQueue.body['error'] as { message: string }).message)).toMatch(/queue/);
    const unknownType = await post(call('e1', 'call_parked', '2026-11-25T01:29:50Z'));
    expect(unknownType.status).toBe(400);
    const noCallId = await post({ ...call('e1', 'call_offered', '2026-11-25T01:29:50Z'), externalCallId: undefined });
    expect((noCallId.body['error'] as { message: string }).message).toMatch(/interactionId or externalCallId/);
    const extraField = await post(call('e1', 'call_offered', '2026-11-25T01:29:50Z', { callerName: 'Kim Minji' }));
    expect(extraField.status).toBe(400);
    expect(JSON.stringify([noQueue.body, extraField.body])).not.toMatch(/1234|Minji/);
    expect(received).toEqual([]);
  });

  it('refuses a control character or an impossible time with a 400 naming the field, so the PBX stops retrying', async () => {
    const cases: Array<[object, RegExp]> = [
      [{ queue: 'sup\u0000port' }, /queue: holds an invisible control character \(U\+0000\) at character 4/],
      [{ ani: '010\u00071234' }, /ani: holds an invisible control character \(U\+0007\)/],
      [{ externalCallId: 'call-\ud83d' }, /externalCallId: holds a broken character/],
      [{ occurredAt: '0000-01-01T00:00:00Z' }, /occurredAt: is not a real date and time/],
    ];
    for (const [fields, reason] of cases) {
      const r = await post({ ...call(`bad-${JSON.stringify(fields).length}`, 'call_offered', '2026-11-25T01:29:50Z'), ...fields });
      expect(r.status, JSON.stringify(fields)).toBe(400);
      expect((r.body['error'] as { message: string }).message).toMatch(reason);
    }
    const agent = await post({ eventId: 'pause-bad', type: 'agent_paused', occurredAt: '2026-11-25T01:29:50Z', agent: 'agent\u00851', paused: true });
    expect(agent.status).toBe(400);
    expect(received).toEqual([]);
  });

  it('acknowledges a repeated event id once applied, and applies it only once', async () => {
    const event = call('dup-1', 'call_offered', '2026-11-25T01:29:50Z');
    const replies = await Promise.all(Array.from({ length: 12 }, () => post(event)));
    expect(replies.filter((r) => r.status === 202)).toHaveLength(1);
    expect(replies.filter((r) => r.status === 200).map((r) => r.body)).toEqual(Array(11).fill({ duplicate: true, eventId: 'dup-1' }));
    expect(received).toHaveLength(1);
  });

  it('never rolls a call back: an older event is acknowledged but not applied', async () => {
    await post(call('a', 'call_offered', '2026-11-25T01:29:00Z'));
    await post(call('b', 'call_answered', '2026-11-25T01:29:12Z', { agent: 'minji' }));
    const late = await post(call('c', 'call_ringing', '2026-11-25T01:29:05Z', { agent: 'minji' }));
    expect(late).toMatchObject({ status: 200, body: { accepted: true, applied: false, reason: expect.stringMatching(/older than the last event/) } });
    await post(call('d', 'call_held', '2026-11-25T01:29:40Z'));
    // A transfer into another queue at the same instant is that queue's offer, not an old event.
    await post(call('d2', 'call_transferred', '2026-11-25T01:29:45Z', { target: 'billing' }));
    await post(call('d3', 'call_offered', '2026-11-25T01:29:45Z', { queue: 'billing' }));
    await post(call('d4', 'call_answered', '2026-11-25T01:29:48Z', { queue: 'billing', agent: 'joon' }));
    await post(call('e', 'call_ended', '2026-11-25T01:30:00Z', { queue: 'billing', endedBy: 'caller' }));
    const afterEnd = await post(call('f', 'call_resumed', '2026-11-25T01:30:01Z'));
    expect(afterEnd.body).toMatchObject({ applied: false, reason: expect.stringMatching(/already ended/) });
    // The same instant: a later phase wins over an earlier one arriving after it.
    await post({ ...call('g', 'call_offered', '2026-11-25T01:29:58Z'), externalCallId: 'x2' });
    await post({ ...call('h', 'call_abandoned', '2026-11-25T01:29:59Z'), externalCallId: 'x2' });
    expect((await post({ ...call('i', 'call_ringing', '2026-11-25T01:29:59Z', { agent: 'joon' }), externalCallId: 'x2' })).body).toMatchObject({ applied: false });
    expect(received.map((r) => r.event.type)).toEqual(['call_offered', 'call_answered', 'call_held', 'call_transferred', 'call_offered', 'call_answered', 'call_ended', 'call_offered', 'call_abandoned']);
    // Durations the PBX left out are worked out from its own timestamps; ANI travels from the first event.
    expect(received[1]?.event).toMatchObject({ holdTimeSec: 12, agent: 'minji' });
    expect(received[4]?.event).toMatchObject({ queue: 'billing', interactionId: received[0]?.event.type === 'call_offered' ? received[0].event.interactionId : '' });
    expect(received[5]?.event).toMatchObject({ holdTimeSec: 3, agent: 'joon' });
    expect(received[6]?.event).toMatchObject({ talkTimeSec: 12, endedBy: 'caller', agent: 'joon', ani: '+821012345678' });
    expect(received[8]?.event).toMatchObject({ holdTimeSec: 1, position: null });
  });

  it('keeps event times within the tolerance of the center clock', async () => {
    await post(call('future', 'call_offered', '2026-11-25T02:30:00Z'));
    await post({ ...call('past', 'call_offered', '2026-11-24T01:30:00Z'), externalCallId: 'x3' });
    expect(received.map((r) => r.event.at)).toEqual(['2026-11-25T01:30:00.000Z', '2026-11-25T01:25:00.000Z']);
  });

  it('answers 500 and remembers nothing when the center cannot take the event, so the PBX retries', async () => {
    let fail = true;
    deps.onEvent = () => {
      if (fail) throw new Error('database down');
    };
    expect((await post(call('r1', 'call_offered', '2026-11-25T01:29:50Z'))).status).toBe(500);
    fail = false;
    expect((await post(call('r1', 'call_offered', '2026-11-25T01:29:50Z'))).status).toBe(202);
  });

  it('passes agent pauses through', async () => {
    const r = await post({ eventId: 'p1', type: 'agent_paused', occurredAt: '2026-11-25T01:29:30Z', agent: 'minji', paused: true, reason: 'lunch' });
    expect(r.status).toBe(202);
    expect(received[0]?.event).toEqual({ type: 'agent_paused', agent: 'minji', queue: null, paused: true, reason: 'lunch', at: '2026-11-25T01:29:30.000Z' });
  });
});
