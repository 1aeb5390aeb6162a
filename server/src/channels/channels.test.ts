// Chats and emails as work items, on a real database (PGlite and PostgreSQL) with the floor's own
// agent state machine and a clock the test moves: intake and threading, routing order, capacity,
// voice exclusivity both ways, offer timeout, decline, an agent gone offline, one holder only,
// idempotent replies, catch-up after a sequence number, refused input.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { EVENTS, type ConversationOffered, type ConversationWithdrawn } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { CenterError } from '../base/errors';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { AgentStates } from '../floor/model/agent-state';
import { setCapacity } from './capacity';
import { createChannels, type Channels } from './channels';

const T0 = Date.parse('2026-12-01T09:00:00Z');
const GRACE_MS = 5_000;

forEachDriver('chats and emails routed to agents', ({ freshDatabase }) => {
  let db: Db;
  let clock = T0;
  let states: AgentStates;
  let channels: Channels;
  let tenant = '';
  const ids: Record<string, string> = {};
  const pushed: Array<{ userId: string; event: string; payload: unknown }> = [];
  const offersTo = (name: string) => pushed.filter((p) => p.userId === ids[name] && p.event === EVENTS.conversationOffered).map((p) => p.payload as ConversationOffered);
  const withdrawnFrom = (name: string) => pushed.filter((p) => p.userId === ids[name] && p.event === EVENTS.conversationWithdrawn).map((p) => p.payload as ConversationWithdrawn);
  const who = (name: string) => ({ tenantId: tenant, userId: ids[name] as string, username: name });
  const stateOf = async (id: string) => (await db.query<{ state: string; holder: string | null }>(`SELECT state, (SELECT username FROM users WHERE id = COALESCE(holder_user_id, offered_to)) AS holder FROM conversations WHERE id = $1`, [id]))[0];
  const chat = (visitor: string, text = 'hello') => channels.inbound({ tenantId: tenant, channel: 'chat', queue: 'support', identity: { chatVisitorId: visitor }, text });

  beforeAll(async () => {
    db = await openDb(await freshDatabase());
  });
  afterAll(async () => {
    await db?.close();
  });

  // Each test gets its own tenant, floor and channels: nothing carries over.
  beforeEach(async () => {
    tenant = `ch${randomUUID().slice(0, 8)}`;
    clock = T0;
    pushed.length = 0;
    await db.query(`INSERT INTO tenants (id, name, time_zone) VALUES ($1, 'Channels', 'UTC')`, [tenant]);
    for (const q of ['sales', 'support']) await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ($1, $2, $2)`, [tenant, q]);
    states = new AgentStates({ now: () => clock, disconnectGraceMs: GRACE_MS });
    for (const name of ['ann', 'bo', 'cy']) {
      ids[name] = randomUUID();
      await db.query(`INSERT INTO users (id, tenant_id, username, display_name, role, password_hash) VALUES ($1, $2, $3, $3, 'agent', 'x')`, [ids[name], tenant, name]);
      states.register(name, ['sales', 'support']);
    }
    channels = createChannels({
      db,
      outlet: { toAgent: (userId, event, payload) => void pushed.push({ userId, event, payload }) },
      poke: async () => undefined,
      agentStates: async () => states,
      routes: () => true,
      readPop: async () => null,
      log: { warn: () => undefined, debug: () => undefined },
      now: () => clock,
    });
  });

  const available = (name: string, at: number) => {
    clock = at;
    states.setByAgent(name, 'available');
  };

  it('opens one conversation per email thread, stores a Message-ID once, and finds a new sender a provisional customer', async () => {
    const first = await channels.inbound({
      tenantId: tenant,
      channel: 'email',
      identity: { email: 'Min.Ji@Example.com', displayName: 'Min-ji Kim' },
      subject: 'Order 1234',
      text: 'Where is my order?',
      headers: { messageId: '<a1@example.com>' },
    });
    expect(first).toMatchObject({ created: true, duplicate: false, seq: 1, state: 'queued' });
    const [customer] = await db.query<{ display_name: string; provisional: boolean }>(`SELECT display_name, provisional FROM customers WHERE id = $1`, [first.customerId]);
    expect(customer).toEqual({ display_name: 'Min-ji Kim', provisional: true });
    const [interaction] = await db.query<{ channel: string; subject: string; customer_id: string }>(`SELECT channel, subject, customer_id FROM interactions WHERE id = $1`, [first.interactionId]);
    expect(interaction).toEqual({ channel: 'email', subject: 'Order 1234', customer_id: first.customerId });

    // The same mail delivered twice: stored once, the first one's place answered.
    const again = await channels.inbound({ tenantId: tenant, channel: 'email', identity: { email: 'min.ji@example.com' }, text: 'Where is my order?', headers: { messageId: '<a1@example.com>' } });
    expect(again).toMatchObject({ conversationId: first.conversationId, seq: 1, duplicate: true });

    // A reply found by its References joins the thread; a new mail from the same address is a new conversation of the same customer.
    const thread = await channels.conversationByMessageIds(tenant, ['<unknown@x>', '<a1@example.com>']);
    expect(thread).toBe(first.conversationId);
    const second = await channels.inbound({
      tenantId: tenant,
      channel: 'email',
      identity: { email: 'min.ji@example.com' },
      text: 'Any news?',
      headers: { messageId: '<a2@example.com>', inReplyTo: '<a1@example.com>', references: ['<a1@example.com>'] },
      threadConversationId: thread as string,
    });
    expect(second).toMatchObject({ conversationId: first.conversationId, seq: 2, created: false });
    const other = await channels.inbound({ tenantId: tenant, channel: 'email', identity: { email: 'min.ji@example.com' }, text: 'Another matter', headers: { messageId: '<b1@example.com>' } });
    expect(other.conversationId).not.toBe(first.conversationId);
    expect(other.customerId).toBe(first.customerId);
    expect(await db.query(`SELECT 1 FROM customers WHERE tenant_id = $1`, [tenant])).toHaveLength(1);
    // No queue given: a queue named like the channel would be chosen; this tenant has none, so its first.
    expect((await db.query<{ queue: string }>(`SELECT queue FROM conversations WHERE id = $1`, [first.conversationId]))[0]?.queue).toBe('sales');
  });

  it('refuses what breaks the intake limits and stores nothing', async () => {
    await expect(channels.inbound({ tenantId: tenant, channel: 'email', identity: {}, text: 'who am I' })).rejects.toThrow(/needs who sent it/);
    await expect(channels.inbound({ tenantId: tenant, channel: 'fax' as 'email', identity: { email: 'a@b.c' }, text: 'x' })).rejects.toThrow();
    await expect(channels.inbound({ tenantId: tenant, channel: 'email', identity: { email: 'not an address' }, text: 'x' })).rejects.toThrow(/name@domain/);
    await expect(channels.inbound({ tenantId: tenant, channel: 'chat', queue: 'nope', identity: { chatVisitorId: 'v' }, text: 'x' })).rejects.toThrow(/no queue "nope"/);
    expect(await db.query(`SELECT 1 FROM conversations WHERE tenant_id = $1`, [tenant])).toEqual([]);
    // Invisible control characters are removed, not refused.
    const r = await chat('v-ctl', 'hi\u0000 there');
    const fetched = await channels.fetch({ ...who('ann'), supervising: true }, r.conversationId, 0);
    expect(fetched.messages.map((m) => m.text)).toEqual(['hi there']);
  });

  it('offers to the longest idle agent first, spreads chats, and keeps a visitor in one open chat', async () => {
    available('bo', T0 + 1_000);
    available('ann', T0 + 2_000);
    clock = T0 + 10_000;
    const c1 = await chat('v1');
    await channels.kick(tenant);
    expect(offersTo('bo').map((o) => o.conversation.id)).toEqual([c1.conversationId]);
    expect(offersTo('bo')[0]).toMatchObject({ conversation: { state: 'offered', agent: 'bo', channel: 'chat' }, messages: [{ seq: 1, text: 'hello', direction: 'in' }], customer: { pop: null } });
    // bo was just offered one: ann has been idle longer now.
    clock = T0 + 11_000;
    const c2 = await chat('v2');
    await channels.kick(tenant);
    expect(offersTo('ann').map((o) => o.conversation.id)).toEqual([c2.conversationId]);
    // The same visitor writing again stays in their open chat.
    const more = await chat('v1', 'are you there?');
    expect(more).toMatchObject({ conversationId: c1.conversationId, seq: 2, created: false });
    // bo, offered it, sees the new message at once.
    const toBo = pushed.filter((p) => p.userId === ids.bo && p.event === EVENTS.conversationMessage).map((p) => (p.payload as { message: { seq: number; text: string } }).message);
    expect(toBo).toEqual([expect.objectContaining({ seq: 2, text: 'are you there?' })]);
  });

  it('never offers more than the queue’s capacity, and holds the rest until a place frees', async () => {
    await setCapacity(db, tenant, 'support', 'chat', { capacity: 1, exclusive: false, interruptible: false });
    available('ann', T0 + 1_000);
    clock = T0 + 2_000;
    const c1 = await chat('v1');
    // A moment later: the queue's order is by arrival (equal times would be ordered by id).
    clock = T0 + 2_001;
    const c2 = await chat('v2');
    await channels.kick(tenant);
    expect(offersTo('ann').map((o) => o.conversation.id)).toEqual([c1.conversationId]);
    expect(await stateOf(c2.conversationId)).toEqual({ state: 'queued', holder: null });
    await channels.accept(who('ann'), c1.conversationId);
    await channels.kick(tenant);
    expect(offersTo('ann')).toHaveLength(1);
    // Closing frees the place: the waiting chat is offered.
    await channels.finish(who('ann'), c1.conversationId, 'closed');
    await channels.kick(tenant);
    expect(offersTo('ann').map((o) => o.conversation.id)).toEqual([c1.conversationId, c2.conversationId]);
    // Email has its own capacity (default 2): ann may still get one while she holds a chat.
    const e1 = await channels.inbound({ tenantId: tenant, channel: 'email', queue: 'support', identity: { email: 'x@y.z' }, text: 'mail' });
    await channels.kick(tenant);
    expect(offersTo('ann').map((o) => o.conversation.id)).toContain(e1.conversationId);
  });

  it('offers nothing to an agent on a call, and passes an agent holding a chat by for calls (not one holding only emails)', async () => {
    available('ann', T0 + 1_000);
    available('bo', T0 + 2_000);
    clock = T0 + 3_000;
    states.setBySystem('ann', { to: 'ringing', interactionId: randomUUID(), queue: 'sales' }, 'test');
    states.setBySystem('ann', { to: 'on_call' }, 'test');
    const e1 = await channels.inbound({ tenantId: tenant, channel: 'email', queue: 'sales', identity: { email: 'x@y.z' }, text: 'mail' });
    await channels.kick(tenant);
    expect(offersTo('ann')).toEqual([]);
    expect(offersTo('bo').map((o) => o.conversation.id)).toEqual([e1.conversationId]);
    // bo holds an email only: calls still reach him.
    expect(states.longestIdle('sales')).toEqual(['bo']);
    const c1 = await chat('v1');
    await channels.kick(tenant);
    expect(offersTo('bo').map((o) => o.conversation.id)).toEqual([e1.conversationId, c1.conversationId]);
    // Now he holds a chat (offered counts): calls pass him by, until it is closed.
    expect(states.longestIdle('sales')).toEqual([]);
    await channels.accept(who('bo'), c1.conversationId);
    await channels.finish(who('bo'), c1.conversationId, 'closed');
    await channels.kick(tenant);
    expect(states.longestIdle('sales')).toEqual(['bo']);
  });

  it('takes an offer back after the time limit and offers it to someone else', async () => {
    available('ann', T0 + 1_000);
    available('bo', T0 + 2_000);
    clock = T0 + 3_000;
    const c1 = await chat('v1');
    await channels.kick(tenant);
    expect(offersTo('ann').map((o) => o.conversation.offerExpiresAt)).toEqual([new Date(T0 + 23_000).toISOString()]);
    clock = T0 + 22_999;
    await channels.tick();
    expect(withdrawnFrom('ann')).toEqual([]);
    clock = T0 + 23_000;
    await channels.tick();
    expect(withdrawnFrom('ann')).toEqual([{ conversationId: c1.conversationId, reason: 'timeout' }]);
    expect(offersTo('bo').map((o) => o.conversation.id)).toEqual([c1.conversationId]);
    // Too late: ann is told who has it now.
    await expect(channels.accept(who('ann'), c1.conversationId)).rejects.toThrow(/bo holds this conversation/);
  });

  it('sends a declined offer to the next agent at once', async () => {
    available('ann', T0 + 1_000);
    available('bo', T0 + 2_000);
    clock = T0 + 3_000;
    const c1 = await chat('v1');
    await channels.kick(tenant);
    await channels.decline(who('ann'), c1.conversationId);
    await channels.kick(tenant);
    expect(offersTo('bo').map((o) => o.conversation.id)).toEqual([c1.conversationId]);
    expect(offersTo('ann')).toHaveLength(1);
    // Declining what is no longer yours is refused with who has it.
    await expect(channels.decline(who('ann'), c1.conversationId)).rejects.toThrow(/bo holds/);
  });

  it('puts an offline agent’s offered and active items back in the queue after the grace period', async () => {
    available('ann', T0 + 1_000);
    clock = T0 + 2_000;
    const c1 = await chat('v1');
    const c2 = await chat('v2');
    await channels.kick(tenant);
    await channels.accept(who('ann'), c1.conversationId);
    states.disconnected('ann');
    clock = T0 + 2_000 + GRACE_MS - 1;
    states.tick();
    await channels.tick();
    expect(await stateOf(c1.conversationId)).toEqual({ state: 'active', holder: 'ann' });
    clock = T0 + 2_000 + GRACE_MS;
    states.tick();
    expect(states.get('ann').state).toBe('offline');
    await channels.tick();
    expect(await stateOf(c1.conversationId)).toEqual({ state: 'queued', holder: null });
    expect(await stateOf(c2.conversationId)).toEqual({ state: 'queued', holder: null });
    expect(withdrawnFrom('ann')).toEqual(
      expect.arrayContaining([
        { conversationId: c1.conversationId, reason: 'requeued' },
        { conversationId: c2.conversationId, reason: 'offline' },
      ]),
    );
    // bo signs in and gets both.
    available('bo', clock);
    await channels.tick();
    expect(offersTo('bo').map((o) => o.conversation.id).sort()).toEqual([c1.conversationId, c2.conversationId].sort());
  });

  it('lets one agent hold a conversation: the second is told who holds it, even when both accept at once', async () => {
    available('ann', T0 + 1_000);
    clock = T0 + 2_000;
    const c1 = await chat('v1');
    await channels.kick(tenant);
    const results = await Promise.allSettled([channels.accept(who('ann'), c1.conversationId), channels.accept(who('bo'), c1.conversationId)]);
    expect(results[0]).toMatchObject({ status: 'fulfilled', value: { state: 'active', agent: 'ann' } });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.any(CenterError) });
    expect((results[1] as PromiseRejectedResult).reason.message).toMatch(/ann holds this conversation/);
    // Accepting twice answers the same; a reply or close by bo is refused.
    expect(await channels.accept(who('ann'), c1.conversationId)).toMatchObject({ state: 'active', agent: 'ann' });
    await expect(channels.reply(who('bo'), { conversationId: c1.conversationId, clientMutationId: randomUUID(), text: 'me too' })).rejects.toThrow(/ann holds/);
    await expect(channels.finish(who('bo'), c1.conversationId, 'closed')).rejects.toThrow(/ann holds/);
    const [interaction] = await db.query<{ agent: string; answered: boolean }>(`SELECT agent, answered_at IS NOT NULL AS answered FROM interactions WHERE id = $1`, [c1.interactionId]);
    expect(interaction).toEqual({ agent: 'ann', answered: true });
  });

  it('stores a reply once per client mutation id, marks a chat reply sent, and catches a reconnect up after its last seq', async () => {
    available('ann', T0 + 1_000);
    clock = T0 + 2_000;
    const c1 = await chat('v1', 'one');
    await channels.kick(tenant);
    await channels.accept(who('ann'), c1.conversationId);
    clock = T0 + 32_000;
    const mutation = randomUUID();
    const reply = { conversationId: c1.conversationId, clientMutationId: mutation, text: 'Hello, how can I help?' };
    const [a, b] = await Promise.all([channels.reply(who('ann'), reply), channels.reply(who('ann'), reply)]);
    const again = await channels.reply(who('ann'), reply);
    expect(a.seq).toBe(2);
    expect([b.seq, again.seq]).toEqual([2, 2]);
    expect(await db.query(`SELECT 1 FROM conversation_messages WHERE conversation_id = $1 AND direction = 'out'`, [c1.conversationId])).toHaveLength(1);
    const v9 = await chat('v9');
    await expect(channels.reply(who('ann'), { ...reply, conversationId: v9.conversationId })).rejects.toThrow(/already used for another reply/);
    // The chat reply is sent (no chat port yet: the center is the chat's end) and the holder sees it so.
    const sent = pushed.filter((p) => p.event === EVENTS.conversationMessage).map((p) => (p.payload as { message: { seq: number; outboundState: string } }).message);
    expect(sent).toEqual(expect.arrayContaining([expect.objectContaining({ seq: 2, outboundState: 'sent' })]));
    const [conv] = await db.query<{ first: Date }>(`SELECT first_response_at AS first FROM conversations WHERE id = $1`, [c1.conversationId]);
    expect(new Date(conv!.first).getTime()).toBe(T0 + 32_000);

    await chat('v1', 'three');
    await chat('v1', 'four');
    const caughtUp = await channels.fetch({ ...who('ann'), supervising: false }, c1.conversationId, 2);
    expect(caughtUp.messages.map((m) => [m.seq, m.text])).toEqual([
      [3, 'three'],
      [4, 'four'],
    ]);
    expect(caughtUp.more).toBe(false);
    const page = await channels.fetch({ ...who('ann'), supervising: false }, c1.conversationId, 0, 2);
    expect(page).toMatchObject({ more: true, messages: [{ seq: 1 }, { seq: 2 }] });
    // Someone never offered it may not read it.
    await expect(channels.fetch({ ...who('cy'), supervising: false }, c1.conversationId, 0)).rejects.toThrow(/no conversation .* you may read/);
    // What she holds and what she is offered (v9's chat, routed to her as it came in: the pass that
    // intake started may still run, so one more is awaited), for a desktop back from a reconnect.
    await channels.kick(tenant);
    expect((await channels.mine(who('ann'))).conversations.map((c) => [c.id, c.state])).toEqual([
      [c1.conversationId, 'active'],
      [v9.conversationId, 'offered'],
    ]);
  });

  it('marks an email reply failed when the outbound port throws, and as the port reports it otherwise', async () => {
    const sent: number[] = [];
    channels.setOutbound('email', {
      send: async (r) => {
        if (r.message.text === 'boom') throw new Error('smtp down');
        sent.push(r.message.seq);
        await channels.markOutbound(r.tenantId, r.conversation.id, r.message.seq, 'sent', { messageId: `<out-${r.message.seq}@earshot>` });
      },
    });
    available('ann', T0 + 1_000);
    const e1 = await channels.inbound({ tenantId: tenant, channel: 'email', identity: { email: 'x@y.z' }, text: 'mail', headers: { messageId: '<in1@y.z>' } });
    await channels.kick(tenant);
    await channels.accept(who('ann'), e1.conversationId);
    const ok = await channels.reply(who('ann'), { conversationId: e1.conversationId, clientMutationId: randomUUID(), text: 'answer' });
    expect(ok).toMatchObject({ outboundState: 'queued', inReplyTo: '<in1@y.z>', references: ['<in1@y.z>'] });
    const bad = await channels.reply(who('ann'), { conversationId: e1.conversationId, clientMutationId: randomUUID(), text: 'boom' });
    const after = async () => (await channels.fetch({ ...who('ann'), supervising: false }, e1.conversationId, 1)).messages.map((m) => [m.seq, m.outboundState, m.messageId]);
    await expect.poll(after).toEqual([
      [ok.seq, 'sent', `<out-${ok.seq}@earshot>`],
      [bad.seq, 'failed', null],
    ]);
    // Our own Message-ID threads the customer's answer back.
    expect(await channels.conversationByMessageIds(tenant, [`<out-${ok.seq}@earshot>`])).toBe(e1.conversationId);
  });
});
