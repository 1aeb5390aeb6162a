// Chats and emails through a whole center over real socket.io on loopback (PGlite and PostgreSQL): a
// mail waits and supervisors see it in the queue's metrics, an agent is offered it with the
// customer's pop, accepts, a colleague who tries too is told who holds it, replies are stored once,
// a reconnect catches up by seq; bad payloads and the wrong roles are refused and nothing else moves.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import {
  applyDiff,
  ConversationFetchResponse,
  ConversationMessage,
  ConversationOffered,
  EVENTS,
  QueueMetricsPush,
  type QueueMetrics,
} from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { seedDemo } from '../demo/seed';
import { channelsOf, startCenter, type RunningCenter } from '../index';
import { desktop, ok, smallTenant, type Desktop } from '../testing/center-client';

forEachDriver('chats and emails over socket.io', ({ freshDatabase }) => {
  let center: RunningCenter;
  let sup: Desktop;
  const desks: Desktop[] = [];
  const data = smallTenant('demo', 1);
  const customer = data.customers.find((c) => c.customer.identities.some((i) => i.kind === 'email'))!.customer;
  const email = customer.identities.find((i) => i.kind === 'email')!.value;
  let queue = '';
  let view: Record<string, QueueMetrics> = {};
  const offers = new Map<string, ConversationOffered[]>();

  beforeAll(async () => {
    center = await startCenter({ ...(await freshDatabase()), port: 0, logLevel: 'silent', channels: { offerTimeoutMs: 60_000 } });
    await seedDemo(center.db, { data, now: new Date('2026-11-01T00:00:00Z') });
    queue = (await center.db.query<{ id: string }>(`SELECT id FROM queues WHERE tenant_id = 'demo' ORDER BY id LIMIT 1`))[0]!.id;
    // The admin watches the floor (does not take calls).
    sup = await desktop(center.url, 'demo', 'admin', undefined, (s) =>
      s.on(EVENTS.queueMetrics, (m: unknown) => {
        const p = QueueMetricsPush.parse(m);
        view = p.kind === 'full' ? p.queues : applyDiff(view, p.diff);
      }),
    );
  });
  afterAll(async () => {
    for (const d of [...desks, sup]) d?.close();
    await center?.stop();
  });

  /** Offers by conversation: a desktop connecting while the router offers may be told twice. */
  const offered = () => new Set([...offers.values()].flat().map((o) => o.conversation.id));
  const agentDesk = async (username: string) => {
    const d = await desktop(center.url, 'demo', username, undefined, (s) =>
      s.on(EVENTS.conversationOffered, (m: unknown) => offers.set(username, [...(offers.get(username) ?? []), ConversationOffered.parse(m)])),
    );
    desks.push(d);
    return d;
  };

  it('shows a waiting email in the queue metrics, offers it with the customer’s pop, and lets one agent hold it', async () => {
    const channels = channelsOf(center)!;
    const r = await channels.inbound({ tenantId: 'demo', channel: 'email', queue, identity: { email }, subject: 'Refund', text: 'Please refund order 77.', headers: { messageId: '<r1@example.com>' } });
    expect(r).toMatchObject({ customerId: customer.id, created: true });
    await vi.waitFor(() => expect(view[queue]?.channels?.email).toMatchObject({ waitingNow: 1, active: 0 }), { timeout: 10_000 });
    expect(view[queue]?.channels?.chat).toEqual({ waitingNow: 0, longestWaitSec: 0, active: 0, firstResponseSec: null });

    const a1 = await agentDesk('agent1');
    const a2 = await agentDesk('agent2');
    await vi.waitFor(() => expect(offered().size).toBe(1), { timeout: 10_000 });
    const [holder, other] = offers.has('agent1') ? [a1, a2] : [a2, a1];
    const offer = (offers.get(holder.user.username) ?? [])[0]!;
    expect(offer.conversation).toMatchObject({ id: r.conversationId, channel: 'email', state: 'offered', customerId: customer.id, subject: 'Refund' });
    expect(offer.customer?.pop?.customer.id).toBe(customer.id);
    // The pop's history already holds this contact, like a call's.
    expect(offer.customer?.pop?.history.some((h) => 'id' in h && h.id === r.interactionId)).toBe(true);
    expect(offer.messages.map((m) => m.text)).toEqual(['Please refund order 77.']);
    // A window of the same agent opened now (or a reconnect) is offered it again.
    const again: ConversationOffered[] = [];
    const window2 = await desktop(center.url, 'demo', holder.user.username, undefined, (s) => s.on(EVENTS.conversationOffered, (m: unknown) => again.push(ConversationOffered.parse(m))));
    desks.push(window2);
    await vi.waitFor(() => expect(again.map((o) => o.conversation.id)).toContain(r.conversationId), { timeout: 10_000 });
    expect(again[0]?.customer?.pop?.customer.id).toBe(customer.id);

    expect(ok(await holder.call(EVENTS.conversationAccept, { conversationId: r.conversationId }))).toMatchObject({ state: 'active', agent: holder.user.username });
    const second = await other.call(EVENTS.conversationAccept, { conversationId: r.conversationId });
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining(`${holder.user.username} holds this conversation`) } });
    await vi.waitFor(() => expect(view[queue]?.channels?.email).toMatchObject({ waitingNow: 0, active: 1 }), { timeout: 10_000 });

    // A reply resent after a lost ack is stored once; the holder's other windows see it.
    const seen: ConversationMessage[] = [];
    holder.socket.on(EVENTS.conversationMessage, (m: { message: unknown }) => seen.push(ConversationMessage.parse(m.message)));
    const reply = { conversationId: r.conversationId, clientMutationId: randomUUID(), text: 'We have refunded it.' };
    const first = ConversationMessage.parse(ok(await holder.call(EVENTS.conversationReply, reply)));
    const resent = ConversationMessage.parse(ok(await holder.call(EVENTS.conversationReply, reply)));
    expect(resent).toEqual(first);
    expect(first).toMatchObject({ seq: 2, direction: 'out', outboundState: 'queued', inReplyTo: '<r1@example.com>' });
    await vi.waitFor(() => expect(seen.map((m) => m.seq)).toEqual([2]), { timeout: 5000 });
    const rows = await center.db.query(`SELECT 1 FROM conversation_messages WHERE conversation_id = $1`, [r.conversationId]);
    expect(rows).toHaveLength(2);
    await vi.waitFor(() => expect(view[queue]?.channels?.email.firstResponseSec).not.toBeNull(), { timeout: 10_000 });

    // The customer answers; the holder is shown it at once, and a reconnect fetches only what follows its last seq.
    await channels.inbound({ tenantId: 'demo', channel: 'email', identity: { email }, text: 'Thanks!', headers: { messageId: '<r2@example.com>', inReplyTo: '<r1@example.com>' }, threadConversationId: r.conversationId });
    await vi.waitFor(() => expect(seen.map((m) => m.seq)).toEqual([2, 3]), { timeout: 5000 });
    const back = ConversationFetchResponse.parse(ok(await holder.call(EVENTS.conversationFetch, { conversationId: r.conversationId, afterSeq: 2 })));
    expect(back.messages.map((m) => [m.seq, m.text])).toEqual([[3, 'Thanks!']]);
    expect(ok(await holder.call(EVENTS.conversationMine, {}))).toMatchObject({ conversations: [{ id: r.conversationId, state: 'active' }] });

    // Wrap-up, then close with a disposition: the contact ends in the customer's history.
    expect(ok(await holder.call(EVENTS.conversationWrapUp, { conversationId: r.conversationId }))).toMatchObject({ state: 'wrap_up' });
    expect(ok(await holder.call(EVENTS.conversationClose, { conversationId: r.conversationId, disposition: 'resolved' }))).toMatchObject({ state: 'closed' });
    const [interaction] = await center.db.query<{ disposition: string; ended: boolean; agent: string }>(
      `SELECT disposition, ended_at IS NOT NULL AS ended, agent FROM interactions WHERE id = $1`,
      [r.interactionId],
    );
    expect(interaction).toEqual({ disposition: 'resolved', ended: true, agent: holder.user.username });
  });

  it('refuses bad payloads with the reason and the wrong roles, and keeps working', async () => {
    const a1 = desks[0]!;
    const bad = [
      await a1.call(EVENTS.conversationAccept, { conversationId: 'not-a-uuid' }),
      await a1.call(EVENTS.conversationReply, { conversationId: randomUUID(), clientMutationId: randomUUID(), text: '   ' }),
      await a1.call(EVENTS.conversationReply, { conversationId: randomUUID(), clientMutationId: randomUUID(), text: 'x', extra: 1 }),
      await a1.call(EVENTS.conversationReply, { conversationId: randomUUID(), clientMutationId: randomUUID(), text: 'a\u0000b' }),
      await a1.call(EVENTS.conversationFetch, { conversationId: randomUUID(), afterSeq: -1 }),
    ];
    for (const b of bad) expect(b).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(bad[1]).toMatchObject({ error: { message: expect.stringContaining('a reply needs some text') } });
    expect(await a1.call(EVENTS.conversationAccept, { conversationId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // The admin does not take calls: no accepting; a supervisor role may read any conversation back.
    expect(await sup.call(EVENTS.conversationAccept, { conversationId: randomUUID() })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const [c] = await center.db.query<{ id: string }>(`SELECT id FROM conversations WHERE tenant_id = 'demo' LIMIT 1`);
    expect(ConversationFetchResponse.parse(ok(await sup.call(EVENTS.conversationFetch, { conversationId: c!.id, afterSeq: 0 }))).messages.length).toBeGreaterThan(0);
    const staff = await desktop(center.url, 'demo', 'staff1');
    desks.push(staff);
    expect(await staff.call(EVENTS.conversationFetch, { conversationId: c!.id, afterSeq: 0 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await staff.call(EVENTS.conversationMine, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    // Still working: a chat arrives and is offered.
    const chat = await channelsOf(center)!.inbound({ tenantId: 'demo', channel: 'chat', queue, identity: { chatVisitorId: 'visitor-1' }, text: 'Hi!' });
    await vi.waitFor(() => expect(offered()).toContain(chat.conversationId), { timeout: 10_000 });
  });
});
