// The desk's inbox against a REAL center over loopback: a chat put in through the center's channels
// intake is offered to the agent's desktop with the customer's pop, accepted, answered (the reply's
// outbound state pushed back), wrapped up and closed; a reply written while the center is down is kept
// in SQLite and stored by the center exactly once, in order, when it is back; a second agent trying to
// take a conversation someone holds is told who holds it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { channelsOf, startCenter, type RunningCenter } from '../../server/src/index';
import type { DesktopServices } from '../../main/services/index';
import type { InboxView } from '../../shared/api/inbox';
import { twoAgentDesks, waitFor } from './desktop-harness';

describe('the inbox of chats and emails against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-inbox-'));
  let center: RunningCenter;
  let desk: DesktopServices;
  let other: DesktopServices;
  let inbox: InboxView = { items: [], connected: false, unsent: [] };
  const withdrawn: string[] = [];

  const startOn = (port = 0) => startCenter({ port, demo: true, logLevel: 'silent', dataDir: join(dir, 'center'), channels: { offerTimeoutMs: 60_000 } });
  const chat = (visitor: string, text: string) => {
    const channels = channelsOf(center);
    if (!channels) throw new Error('the center runs no channels module');
    return channels.inbound({ tenantId: 'demo', channel: 'chat', identity: { chatVisitorId: visitor, displayName: 'Visitor' }, text });
  };
  const storedReplies = (conversationId: string) =>
    center.db.query<{ seq: number; text: string; client_mutation_id: string; outbound_state: string }>(
      `SELECT seq, text, client_mutation_id, outbound_state FROM conversation_messages WHERE conversation_id = $1 AND direction = 'out' ORDER BY seq`,
      [conversationId],
    );
  const item = (id: string) => inbox.items.find((i) => i.conversation.id === id);

  beforeAll(async () => {
    center = await startOn();
    // agent2 stays out of routing, so the chat goes to agent1.
    ({ desk, other } = await twoAgentDesks(center.url, dir, (v) => (inbox = v), (d) => d.on('conversationWithdrawn', (w) => withdrawn.push(w.conversationId))));
  });
  afterAll(async () => {
    await desk?.stop();
    await other?.stop();
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  let conversationId = '';

  it('is offered a chat with its messages and the pop, accepts it, and sees its reply sent', async () => {
    const visitor = randomUUID();
    const put = await chat(visitor, 'Hello, my parcel has not arrived.');
    conversationId = put.conversationId;
    const offered = await waitFor('the chat to be offered to agent1', () => item(conversationId));
    expect(offered.conversation.state).toBe('offered');
    expect(offered.messages.map((m) => m.text)).toEqual(['Hello, my parcel has not arrived.']);
    await waitFor("the customer's pop", () => item(conversationId)?.pop);

    const accepted = await desk.handlers.acceptConversation({ conversationId });
    expect(accepted).toMatchObject({ state: 'active', agent: 'agent1' });

    const kept = await desk.handlers.replyToConversation({ conversationId, text: 'Let me look that up.' });
    const sent = await waitFor('the reply to be stored and sent', () =>
      item(conversationId)?.messages.find((m) => m.clientMutationId === kept.clientMutationId && m.outboundState === 'sent'),
      () => ({ kept: item(conversationId)?.kept, out: item(conversationId)?.messages.filter((m) => m.direction === 'out') }),
      15_000,
    );
    expect(sent.direction).toBe('out');
    expect(item(conversationId)?.kept).toEqual([]);

    // The customer writes again: pushed to the holder, "since the customer's last message" moves.
    await chat(visitor, 'Order 1234.');
    const second = await waitFor('the second customer message', () => item(conversationId)?.messages.find((m) => m.text === 'Order 1234.'));
    expect(item(conversationId)?.conversation.lastCustomerMessageAt).toBe(second.createdAt);
  });

  it('tells a second agent who holds the conversation', async () => {
    await expect(other.handlers.acceptConversation({ conversationId })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('agent1') });
  });

  it('keeps replies written while the center is down and sends each exactly once, in order, when it is back', async () => {
    const port = center.port;
    await center.stop();
    await waitFor('the desktop to notice', () => !inbox.connected && inbox);
    const first = await desk.handlers.replyToConversation({ conversationId, text: 'Written offline, first.' });
    const second = await desk.handlers.replyToConversation({ conversationId, text: 'Written offline, second.' });
    expect(item(conversationId)?.kept.map((k) => k.text)).toEqual(['Written offline, first.', 'Written offline, second.']);
    // Still kept across a restart of the desktop itself: it is in SQLite, not in memory.
    await desk.stop();
    await desk.start();
    expect((await desk.handlers.getInbox()).items).toEqual([]); // the view is rebuilt from the center on connect

    center = await startOn(port);
    await waitFor('both replies stored and sent', async () => {
      const rows = await storedReplies(conversationId);
      return rows.filter((r) => r.outbound_state === 'sent').length === 3 && rows;
    }, () => storedReplies(conversationId));
    await waitFor('the outbox to empty', () => item(conversationId)?.kept.length === 0 && item(conversationId)?.messages.some((m) => m.clientMutationId === second.clientMutationId));
    // Send again what is already stored (a retry after a lost answer): still once.
    await desk.handlers.fetchConversation({ conversationId });
    const rows = await storedReplies(conversationId);
    expect(rows.map((r) => r.text)).toEqual(['Let me look that up.', 'Written offline, first.', 'Written offline, second.']);
    expect(rows.filter((r) => r.client_mutation_id === first.clientMutationId)).toHaveLength(1);
    expect(rows.filter((r) => r.client_mutation_id === second.clientMutationId)).toHaveLength(1);
    expect(rows[1]!.seq).toBeLessThan(rows[2]!.seq);
  });

  it('wraps up, then closes with a disposition; the conversation leaves the inbox', async () => {
    await waitFor('the conversation back in the inbox', () => item(conversationId)?.conversation.state === 'active');
    expect(await desk.handlers.finishConversation({ conversationId, to: 'wrap_up' })).toMatchObject({ state: 'wrap_up' });
    expect(item(conversationId)?.conversation.state).toBe('wrap_up');
    expect(await desk.handlers.finishConversation({ conversationId, to: 'closed', disposition: 'resolved' })).toMatchObject({ state: 'closed' });
    expect(item(conversationId)).toBeUndefined();
    const [row] = await center.db.query<{ state: string }>(`SELECT state FROM conversations WHERE id = $1`, [conversationId]);
    expect(row?.state).toBe('closed');
  });

  it('keeps a reply the center refuses (the conversation is closed) to copy, never resends it, and discards it when asked', async () => {
    const kept = await desk.handlers.replyToConversation({ conversationId, text: 'One more thing…' });
    const refused = await waitFor('the refusal', () => inbox.unsent.find((k) => k.clientMutationId === kept.clientMutationId && k.refused));
    expect(refused.lastError).toMatch(/closed/);
    // The next reply is not held up behind it, and nothing of it reached the center.
    expect((await storedReplies(conversationId)).map((r) => r.text)).not.toContain('One more thing…');
    expect(await desk.handlers.discardReply({ clientMutationId: kept.clientMutationId })).toEqual({ discarded: true });
    expect((await desk.handlers.getInbox()).unsent).toEqual([]);
  });
});
