// A web chat through a whole center over real socket.io on loopback (PGlite and PostgreSQL): a visitor
// opens a session and writes on the /visitor namespace; the message is stored once however often it is
// resent; an agent is offered the chat, accepts, and replies; the visitor's tabs get the reply (then it
// is `delivered`), typing goes both ways, a reconnect catches up from the last sequence number without
// duplicates; floods, bad payloads and strangers' tokens are refused and nothing else moves.
import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { ConversationOffered, EVENTS } from '../../../../shared/protocol';
import { ChatMessage, ChatSessionResponse, VISITOR_EVENTS } from '../../../../shared/protocol/webchat';
import { forEachDriver } from '../../../../tests/support/postgres';
import { seedDemo } from '../../demo/seed';
import { startCenter, type RunningCenter } from '../../index';
import { desktop, ok, smallTenant, type Desktop } from '../../testing/center-client';
import { RATE_BURST } from './namespace';

type Ack = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

forEachDriver('web chat visitors over socket.io', ({ freshDatabase }) => {
  let center: RunningCenter;
  let agent: Desktop;
  let session: ChatSessionResponse;
  const sockets: Socket[] = [];
  const offers: ConversationOffered[] = [];
  const typingSeen: unknown[] = [];

  const visitor = (token: string) =>
    new Promise<Socket>((resolve, reject) => {
      const s = io(`${center.url}/visitor`, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      s.once('connect', () => resolve(s));
      s.once('connect_error', reject);
    });
  const emit = (s: Socket, event: string, payload: unknown) => s.timeout(10_000).emitWithAck(event, payload) as Promise<Ack>;

  beforeAll(async () => {
    center = await startCenter({ ...(await freshDatabase()), port: 0, logLevel: 'silent', channels: { offerTimeoutMs: 60_000 } });
    await seedDemo(center.db, { data: smallTenant('demo', 1), now: new Date('2026-11-01T00:00:00Z') });
    const res = await fetch(`${center.url}/chat/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'demo', name: 'Mina' }) });
    session = ChatSessionResponse.parse(await res.json());
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    agent?.close();
    await center?.stop();
  });

  it('refuses a socket without a valid visitor token', async () => {
    await expect(visitor('chv-not-a-token')).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
    await expect(visitor('')).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
  });

  it('stores a message once, offers the chat, and carries replies and typing both ways', async () => {
    const tab1 = await visitor(session.token);
    const tab2 = await visitor(session.token);
    const heard1: ChatMessage[] = [];
    const heard2: ChatMessage[] = [];
    const agentTyping: unknown[] = [];
    tab1.on(VISITOR_EVENTS.message, (m: unknown, ack?: () => void) => {
      heard1.push(ChatMessage.parse(m));
      ack?.();
    });
    tab2.on(VISITOR_EVENTS.message, (m: unknown) => heard2.push(ChatMessage.parse(m)));
    tab1.on(VISITOR_EVENTS.agentTyping, (e: unknown) => agentTyping.push(e));

    const clientMessageId = randomUUID();
    const sent = await emit(tab1, VISITOR_EVENTS.send, { clientMessageId, text: 'Hello, <b>my parcel</b> is late' });
    expect(sent).toMatchObject({ ok: true, value: { seq: 1 } });
    const conversationId = (sent as { value: { conversationId: string } }).value.conversationId;
    // A resend after a lost ack answers the same place and stores nothing more.
    expect(await emit(tab1, VISITOR_EVENTS.send, { clientMessageId, text: 'Hello, <b>my parcel</b> is late' })).toEqual(sent);
    const stored = await center.db.query<{ text: string; direction: string }>('SELECT text, direction FROM conversation_messages WHERE conversation_id = $1', [conversationId]);
    expect(stored).toEqual([{ text: 'Hello, <b>my parcel</b> is late', direction: 'in' }]);
    // Both tabs show it once, with the sender's own id (so the sending tab drops its pending copy).
    await vi.waitFor(() => expect(heard2.map((m) => [m.seq, m.from, m.author, m.clientMessageId])).toEqual([[1, 'visitor', 'Mina', clientMessageId]]), { timeout: 5000 });

    // An agent is offered it (the center makes a connecting agent available) and accepts.
    agent = await desktop(center.url, 'demo', 'agent1', undefined, (s) => {
      s.on(EVENTS.conversationOffered, (m: unknown) => offers.push(ConversationOffered.parse(m)));
      s.on('conversation:typing', (e: unknown) => typingSeen.push(e));
    });
    await vi.waitFor(() => expect(offers.map((o) => o.conversation.id)).toContain(conversationId), { timeout: 15_000 });
    expect(offers.find((o) => o.conversation.id === conversationId)!.conversation.channel).toBe('chat');
    expect(ok(await agent.call(EVENTS.conversationAccept, { conversationId }))).toMatchObject({ state: 'active' });

    // Typing: the visitor's reaches the holder; the holder's reaches the visitor.
    expect(await emit(tab1, VISITOR_EVENTS.typing, { typing: true })).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(typingSeen).toContainEqual({ conversationId, from: 'customer', typing: true }), { timeout: 5000 });
    ok(await agent.call('conversation:typing', { conversationId, typing: true }));
    await vi.waitFor(() => expect(agentTyping).toContainEqual({ typing: true }), { timeout: 5000 });

    // The reply reaches both tabs, signed with the agent's first name, and is delivered once a tab took it.
    ok(await agent.call(EVENTS.conversationReply, { conversationId, clientMutationId: randomUUID(), text: 'Sorry about that; it leaves today.' }));
    await vi.waitFor(() => expect(heard1.filter((m) => m.from === 'agent').map((m) => [m.seq, m.text])).toEqual([[2, 'Sorry about that; it leaves today.']]), { timeout: 5000 });
    expect(heard1.find((m) => m.seq === 2)!.author).toBe(agent.user.displayName.split(/\s+/)[0]);
    await vi.waitFor(
      async () => {
        const [r] = await center.db.query<{ outbound_state: string }>('SELECT outbound_state FROM conversation_messages WHERE conversation_id = $1 AND seq = 2', [conversationId]);
        expect(r!.outbound_state).toBe('delivered');
      },
      { timeout: 15_000 },
    );

    // A third tab (a reload) catches up from the last seq it has: nothing twice.
    const tab3 = await visitor(session.token);
    const all = (await emit(tab3, VISITOR_EVENTS.catchUp, { afterSeq: 0 })) as { ok: true; value: { conversationId: string; messages: ChatMessage[] } };
    expect(all.value.conversationId).toBe(conversationId);
    expect(all.value.messages.map((m) => m.seq)).toEqual([1, 2]);
    const after1 = (await emit(tab3, VISITOR_EVENTS.catchUp, { afterSeq: 1 })) as { ok: true; value: { messages: ChatMessage[] } };
    expect(after1.value.messages.map((m) => [m.seq, m.from])).toEqual([[2, 'agent']]);
  });

  it('refuses floods and bad payloads with the reason, and keeps the chat working', async () => {
    const tab = await visitor(session.token);
    const bad = [
      await emit(tab, VISITOR_EVENTS.send, { clientMessageId: 'nope', text: 'hi' }),
      await emit(tab, VISITOR_EVENTS.send, { clientMessageId: randomUUID(), text: '   ' }),
      await emit(tab, VISITOR_EVENTS.send, { clientMessageId: randomUUID(), text: 'x'.repeat(4001) }),
      await emit(tab, VISITOR_EVENTS.send, { clientMessageId: randomUUID(), text: 'hi', tenantId: 'acme' }),
      await emit(tab, VISITOR_EVENTS.catchUp, { afterSeq: -1 }),
    ];
    for (const b of bad) expect(b).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(bad[2]).toMatchObject({ error: { message: expect.stringContaining('text') } });

    // A burst: the first few pass, the rest are refused until the bucket refills.
    const burst = await Promise.all(Array.from({ length: RATE_BURST + 4 }, (_, i) => emit(tab, VISITOR_EVENTS.send, { clientMessageId: randomUUID(), text: `flood ${i}` })));
    const refused = burst.filter((b) => !b.ok);
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(refused[0]).toMatchObject({ error: { code: 'rate_limited', message: expect.stringContaining('wait a second') } });
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await emit(tab, VISITOR_EVENTS.send, { clientMessageId: randomUUID(), text: 'after the wait' })).toMatchObject({ ok: true });

    // An agent's typing on a chat they do not hold is refused.
    expect(await agent.call('conversation:typing', { conversationId: randomUUID(), typing: true })).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});
