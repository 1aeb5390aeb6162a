// All SQL of conversations (chats and emails as work items): intake of a customer's message, the
// offer to one agent and its end (accepted, declined, timed out, the agent gone), replies stored once
// per client mutation id, wrap-up and close, the catch-up read after a sequence number. Every change
// of state is one conditional UPDATE, so two agents can never hold one conversation: the second
// finds the row no longer offered to them and is told who holds it.
import { randomUUID } from 'node:crypto';
import type { AttachmentMeta, Conversation, ConversationMessage, ConversationState, OutboundState, WorkChannel } from '../../../shared/protocol';
import { CHAT_VISITOR_AUTHOR, CHAT_VISITOR_CUSTOMER_NAME, UNKNOWN_SENDER_NAME } from '../../../shared/protocol/channels';
import { CenterError } from '../base/errors';
import { iso, isoOrNull, type Db, type Queryable } from '../db/db';
import { loadCustomers, loadInteractions } from '../db/records';
import { changeTx, type ChangeTx, type ChangeTxResult } from '../sync/change-log';
import { addToWorkingSet } from '../sync/scope';

/** What a channel (the email receiver, the chat namespace) hands in: one message from a customer. */
export interface InboundMessage {
  tenantId: string;
  channel: WorkChannel;
  /** Default: the conversation's queue when it continues one, else a queue named like the channel, else the tenant's first. */
  queue?: string;
  identity: { email?: string; chatVisitorId?: string; customerId?: string; displayName?: string };
  subject?: string;
  text: string;
  html?: string | null;
  headers?: { messageId?: string; inReplyTo?: string; references?: string[] };
  attachments?: AttachmentMeta[];
  /** The conversation this message continues (found by the channel, e.g. conversationByMessageIds). */
  threadConversationId?: string;
}

export interface InboundResult {
  conversationId: string;
  interactionId: string;
  customerId: string;
  seq: number;
  /** A new conversation was opened for it. */
  created: boolean;
  /** The same Message-ID was stored before: nothing was written, the first one's place is returned. */
  duplicate: boolean;
  state: ConversationState;
  /** The agent holding it (active or wrap-up) or offered it, who should see the message now. */
  agentUserId: string | null;
}

interface ConversationRow {
  id: string;
  channel: WorkChannel;
  customer_id: string;
  interaction_id: string;
  queue: string;
  subject: string | null;
  state: ConversationState;
  agent: string | null;
  offer_expires_at: Date | string | null;
  created_at: Date | string;
  accepted_at: Date | string | null;
  last_customer_message_at: Date | string | null;
  first_response_at: Date | string | null;
  last_seq: number;
}
const CONVERSATION_COLUMNS = `c.id, c.channel, c.customer_id, c.interaction_id, c.queue, c.subject, c.state,
  (SELECT username FROM users u WHERE u.id = COALESCE(c.holder_user_id, c.offered_to)) AS agent,
  c.offer_expires_at, c.created_at, c.accepted_at, c.last_customer_message_at, c.first_response_at, c.last_seq`;
const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  channel: r.channel,
  customerId: r.customer_id,
  interactionId: r.interaction_id,
  queue: r.queue,
  subject: r.subject,
  state: r.state,
  agent: r.agent,
  offerExpiresAt: isoOrNull(r.offer_expires_at),
  createdAt: iso(r.created_at),
  acceptedAt: isoOrNull(r.accepted_at),
  lastCustomerMessageAt: isoOrNull(r.last_customer_message_at),
  firstResponseAt: isoOrNull(r.first_response_at),
  lastSeq: r.last_seq,
});

interface MessageRow {
  conversation_id: string;
  seq: number;
  direction: 'in' | 'out';
  author: string;
  text: string;
  html: string | null;
  message_id: string | null;
  in_reply_to: string | null;
  references: string[] | null;
  outbound_state: OutboundState | null;
  outbound_error: string | null;
  client_mutation_id: string | null;
  attachments: AttachmentMeta[] | string;
  created_at: Date | string;
}
const MESSAGE_COLUMNS = `conversation_id, seq, direction, author, text, html, message_id, in_reply_to, "references",
  outbound_state, outbound_error, client_mutation_id, attachments, created_at`;
const toMessage = (r: MessageRow): ConversationMessage => ({
  conversationId: r.conversation_id,
  seq: r.seq,
  direction: r.direction,
  author: r.author,
  text: r.text,
  html: r.html,
  messageId: r.message_id,
  inReplyTo: r.in_reply_to,
  references: r.references,
  outboundState: r.outbound_state,
  outboundError: r.outbound_error,
  clientMutationId: r.client_mutation_id,
  attachments: typeof r.attachments === 'string' ? (JSON.parse(r.attachments) as AttachmentMeta[]) : r.attachments,
  createdAt: iso(r.created_at),
});

export async function readConversation(q: Queryable, tenantId: string, id: string): Promise<Conversation | null> {
  const [row] = await q.query<ConversationRow>(`SELECT ${CONVERSATION_COLUMNS} FROM conversations c WHERE c.tenant_id = $1 AND c.id = $2`, [tenantId, id]);
  return row ? toConversation(row) : null;
}

/** Messages after `afterSeq`, oldest first, at most `limit`. */
export async function readMessages(q: Queryable, tenantId: string, conversationId: string, afterSeq: number, limit: number): Promise<ConversationMessage[]> {
  const rows = await q.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM conversation_messages WHERE tenant_id = $1 AND conversation_id = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
    [tenantId, conversationId, afterSeq, limit],
  );
  return rows.map(toMessage);
}

/** The newest `limit` messages, oldest first (what an offer carries). */
export async function readLastMessages(q: Queryable, tenantId: string, conversationId: string, limit: number): Promise<ConversationMessage[]> {
  const rows = await q.query<MessageRow>(
    `SELECT ${MESSAGE_COLUMNS} FROM conversation_messages WHERE tenant_id = $1 AND conversation_id = $2 ORDER BY seq DESC LIMIT $3`,
    [tenantId, conversationId, limit],
  );
  return rows.reverse().map(toMessage);
}

/** The conversation holding any of these mail Message-IDs (an In-Reply-To or References header), newest message first. */
export async function conversationByMessageIds(q: Queryable, tenantId: string, ids: readonly string[]): Promise<string | null> {
  if (ids.length === 0) return null;
  const [row] = await q.query<{ conversation_id: string }>(
    `SELECT conversation_id FROM conversation_messages WHERE tenant_id = $1 AND message_id = ANY($2::text[]) ORDER BY created_at DESC, seq DESC LIMIT 1`,
    [tenantId, ids],
  );
  return row?.conversation_id ?? null;
}

/** Thrown inside a transaction (rolling it back) when another stored the same Message-ID or reply meanwhile. */
class DuplicateMessage extends Error {}

/** What intake stored: the result, and the new message itself (none for a duplicate), so it is shown without reading it back. */
export type StoredInbound = InboundResult & { message?: ConversationMessage };

export async function storeInbound(db: Db, m: InboundMessage, now: Date): Promise<ChangeTxResult<StoredInbound>> {
  const duplicateOf = async (q: Queryable): Promise<InboundResult | null> => {
    const messageId = m.headers?.messageId;
    if (!messageId) return null;
    const [row] = await q.query<{ conversation_id: string; seq: number; interaction_id: string; customer_id: string; state: ConversationState; holder_user_id: string | null }>(
      `SELECT m.conversation_id, m.seq, c.interaction_id, c.customer_id, c.state, COALESCE(c.holder_user_id, c.offered_to) AS holder_user_id
         FROM conversation_messages m JOIN conversations c ON c.id = m.conversation_id
        WHERE m.tenant_id = $1 AND m.message_id = $2`,
      [m.tenantId, messageId],
    );
    if (!row) return null;
    return { conversationId: row.conversation_id, interactionId: row.interaction_id, customerId: row.customer_id, seq: row.seq, created: false, duplicate: true, state: row.state, agentUserId: row.holder_user_id };
  };
  try {
    return await changeTx(db, m.tenantId, async (tx) => (await duplicateOf(tx.q)) ?? (await intake(tx, m, now)));
  } catch (err) {
    if (!(err instanceof DuplicateMessage)) throw err;
    const found = await duplicateOf(db);
    if (!found) throw err;
    return { value: found, version: '0', changes: [] };
  }
}

async function intake(tx: ChangeTx, m: InboundMessage, now: Date): Promise<StoredInbound> {
  const { q, tenantId } = tx;
  let conversation = await continued(q, m);
  let created = false;
  if (!conversation) {
    const customerId = await customerFor(tx, m);
    const queue = await queueFor(q, m);
    const interactionId = randomUUID();
    const id = randomUUID();
    await q.query(
      `INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, queue, started_at, subject)
       VALUES ($1, $2, $3, $4, 'inbound', $5, $6, $7)`,
      [interactionId, tenantId, customerId, m.channel, queue, now, m.subject ?? null],
    );
    await q.query(
      `INSERT INTO conversations (tenant_id, id, channel, customer_id, interaction_id, queue, subject, chat_visitor_id, queued_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9)`,
      [tenantId, id, m.channel, customerId, interactionId, queue, m.subject ?? null, m.identity.chatVisitorId ?? null, now],
    );
    await recordInteraction(tx, interactionId, customerId);
    conversation = { id, interactionId, customerId };
    created = true;
  }
  // The next sequence number, under the row's lock; a closed email thread the customer writes to again is queued again.
  const [before] = await q.query<{ state: ConversationState }>(`SELECT state FROM conversations WHERE tenant_id = $1 AND id = $2 FOR UPDATE`, [tenantId, conversation.id]);
  const reopened = before?.state === 'closed';
  const [bumped] = await q.query<{ last_seq: number; state: ConversationState; holder_user_id: string | null }>(
    `UPDATE conversations SET last_seq = last_seq + 1, last_customer_message_at = $3, updated_at = $3,
            state = CASE WHEN $4 THEN 'queued' ELSE state END,
            queued_at = CASE WHEN $4 THEN $3 ELSE queued_at END,
            closed_at = CASE WHEN $4 THEN NULL ELSE closed_at END
      WHERE tenant_id = $1 AND id = $2
      RETURNING last_seq, state, COALESCE(holder_user_id, offered_to) AS holder_user_id`,
    [tenantId, conversation.id, now, reopened],
  );
  if (!bumped) throw new Error('the conversation vanished while a message was stored');
  if (reopened) {
    await q.query('UPDATE interactions SET ended_at = NULL WHERE tenant_id = $1 AND id = $2', [tenantId, conversation.interactionId]);
    await recordInteraction(tx, conversation.interactionId, conversation.customerId);
  }
  const inserted = await q.query<MessageRow>(
    `INSERT INTO conversation_messages (tenant_id, conversation_id, seq, direction, author, text, html, message_id, in_reply_to, "references", attachments, created_at)
     VALUES ($1, $2, $3, 'in', $4, $5, $6, $7, $8, $9, $10::jsonb, $11)
     ON CONFLICT (tenant_id, message_id) WHERE message_id IS NOT NULL DO NOTHING RETURNING ${MESSAGE_COLUMNS}`,
    [
      tenantId,
      conversation.id,
      bumped.last_seq,
      // A mail's author is its address (replies go back to it); a chat's, the name the visitor gave.
      (m.channel === 'email' ? m.identity.email : undefined) ?? m.identity.displayName ?? m.identity.email ?? CHAT_VISITOR_AUTHOR,
      m.text,
      m.html ?? null,
      m.headers?.messageId ?? null,
      m.headers?.inReplyTo ?? null,
      m.headers?.references ?? null,
      JSON.stringify(m.attachments ?? []),
      now,
    ],
  );
  if (!inserted[0]) throw new DuplicateMessage('the same Message-ID was stored meanwhile');
  return {
    message: toMessage(inserted[0]),
    conversationId: conversation.id,
    interactionId: conversation.interactionId,
    customerId: conversation.customerId,
    seq: bumped.last_seq,
    created,
    duplicate: false,
    state: bumped.state,
    agentUserId: bumped.holder_user_id,
  };
}

/** The conversation a message continues: the one the channel named, or the visitor's open chat. */
async function continued(q: Queryable, m: InboundMessage): Promise<{ id: string; interactionId: string; customerId: string } | null> {
  const pick = (rows: Array<{ id: string; interaction_id: string; customer_id: string }>) => (rows[0] ? { id: rows[0].id, interactionId: rows[0].interaction_id, customerId: rows[0].customer_id } : null);
  if (m.threadConversationId) {
    const found = pick(
      await q.query(`SELECT id, interaction_id, customer_id FROM conversations WHERE tenant_id = $1 AND id = $2 AND channel = $3`, [m.tenantId, m.threadConversationId, m.channel]),
    );
    if (found) return found;
  }
  if (m.channel === 'chat' && m.identity.chatVisitorId) {
    return pick(
      await q.query(
        `SELECT id, interaction_id, customer_id FROM conversations
          WHERE tenant_id = $1 AND chat_visitor_id = $2 AND channel = 'chat' AND state <> 'closed' ORDER BY created_at DESC LIMIT 1`,
        [m.tenantId, m.identity.chatVisitorId],
      ),
    );
  }
  return null;
}

async function queueFor(q: Queryable, m: InboundMessage): Promise<string> {
  const rows = await q.query<{ id: string }>(
    `SELECT id FROM queues WHERE tenant_id = $1 AND ($2::text IS NULL OR id = $2) ORDER BY (id = $3) DESC, id LIMIT 1`,
    [m.tenantId, m.queue ?? null, m.channel],
  );
  const queue = rows[0]?.id;
  if (!queue) {
    throw new CenterError('bad_request', m.queue ? `Tenant ${m.tenantId} has no queue "${m.queue}"; add it or send the message to an existing one.` : `Tenant ${m.tenantId} has no queue to put the ${m.channel} in; add one first.`);
  }
  return queue;
}

/**
 * The customer a message is from: the one named (a verified identity), the owner of the email address,
 * the chat visitor's earlier customer, or a new provisional customer, as an unknown caller becomes.
 */
async function customerFor(tx: ChangeTx, m: InboundMessage): Promise<string> {
  const { q, tenantId } = tx;
  const live = async (id: string | undefined): Promise<string | null> => {
    if (!id) return null;
    const [row] = await q.query<{ id: string }>(`SELECT COALESCE(merged_into, id) AS id FROM customers WHERE tenant_id = $1 AND id = $2`, [tenantId, id]);
    return row?.id ?? null;
  };
  const named = await live(m.identity.customerId);
  if (named) return named;
  const email = m.identity.email?.trim().toLowerCase();
  if (email) {
    const [owner] = await q.query<{ customer_id: string }>(`SELECT customer_id FROM customer_identities WHERE tenant_id = $1 AND kind = 'email' AND value = $2`, [tenantId, email]);
    const found = await live(owner?.customer_id);
    if (found) return found;
  }
  if (m.identity.chatVisitorId) {
    const [earlier] = await q.query<{ customer_id: string }>(
      `SELECT customer_id FROM conversations WHERE tenant_id = $1 AND chat_visitor_id = $2 ORDER BY created_at DESC LIMIT 1`,
      [tenantId, m.identity.chatVisitorId],
    );
    const found = await live(earlier?.customer_id);
    if (found) return found;
  }
  const id = randomUUID();
  const displayName = m.identity.displayName?.trim() || email || (m.channel === 'chat' ? CHAT_VISITOR_CUSTOMER_NAME : UNKNOWN_SENDER_NAME);
  await q.query(`INSERT INTO customers (id, tenant_id, display_name, provisional) VALUES ($1, $2, $3, true)`, [id, tenantId, displayName.slice(0, 200)]);
  if (email) await q.query(`INSERT INTO customer_identities (tenant_id, customer_id, kind, value) VALUES ($1, $2, 'email', $3)`, [tenantId, id, email]);
  for (const c of await loadCustomers(q, tenantId, [id])) tx.record({ entity: 'customer', id: c.id, op: 'upsert', data: c, customerId: c.id });
  return id;
}

async function recordInteraction(tx: ChangeTx, interactionId: string, customerId: string): Promise<void> {
  for (const i of await loadInteractions(tx.q, tx.tenantId, [interactionId])) tx.record({ entity: 'interaction', id: i.id, op: 'upsert', data: i, customerId });
}

/** The queue's oldest waiting conversations, for routing. */
export async function waitingConversations(q: Queryable, tenantId: string, limit = 200): Promise<Array<{ id: string; channel: WorkChannel; queue: string }>> {
  return q.query(`SELECT id, channel, queue FROM conversations WHERE tenant_id = $1 AND state = 'queued' ORDER BY queued_at, id LIMIT $2`, [tenantId, limit]);
}

/** What each agent holds or is offered now, per channel and queue (their load). */
export async function heldByAgents(q: Queryable, tenantId: string): Promise<Array<{ user_id: string; channel: WorkChannel; queue: string; n: number }>> {
  return q.query(
    `SELECT COALESCE(holder_user_id, offered_to) AS user_id, channel, queue, count(*)::int AS n
       FROM conversations WHERE tenant_id = $1 AND state IN ('offered', 'active', 'wrap_up') GROUP BY 1, 2, 3`,
    [tenantId],
  );
}

/** Tenants with conversations not yet closed (the router's round). */
export async function tenantsWithOpenConversations(q: Queryable): Promise<string[]> {
  return (await q.query<{ tenant_id: string }>(`SELECT DISTINCT tenant_id FROM conversations WHERE state <> 'closed'`)).map((r) => r.tenant_id);
}

/**
 * Offers a waiting conversation to one agent until `expiresAt`: their working set gets the customer
 * (their pop travels with the offer) and they may act on the contact afterwards. Null when it no longer waits.
 */
export async function offerConversation(db: Db, tenantId: string, id: string, userId: string, now: Date, expiresAt: Date): Promise<ChangeTxResult<Conversation | null>> {
  return changeTx(db, tenantId, async (tx) => {
    const { q } = tx;
    const [row] = await q.query<{ customer_id: string; interaction_id: string }>(
      `UPDATE conversations SET state = 'offered', offered_to = $3, offered_at = $4, offer_expires_at = $5, updated_at = $4
        WHERE tenant_id = $1 AND id = $2 AND state = 'queued' RETURNING customer_id, interaction_id`,
      [tenantId, id, userId, now, expiresAt],
    );
    if (!row) return null;
    await q.query(`INSERT INTO interaction_agents (tenant_id, interaction_id, user_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [tenantId, row.interaction_id, userId]);
    await addToWorkingSet(tx, userId, row.customer_id, 'offered');
    return readConversation(q, tenantId, id);
  });
}

/** Offers that ran out by `now` go back to the queue (keeping their place); returns whose they were. */
export async function expireOffers(q: Queryable, tenantId: string, now: Date): Promise<Array<{ id: string; user_id: string }>> {
  return q.query(
    `UPDATE conversations c SET state = 'queued', offered_to = NULL, offer_expires_at = NULL, updated_at = $2
       FROM (SELECT id, offered_to FROM conversations WHERE tenant_id = $1 AND state = 'offered' AND offer_expires_at <= $2 FOR UPDATE) old
      WHERE c.tenant_id = $1 AND c.id = old.id RETURNING c.id, old.offered_to AS user_id`,
    [tenantId, now],
  );
}

/** Everything offered to or held by these agents goes back to the queue (they went offline). */
export async function requeueOf(q: Queryable, tenantId: string, userIds: readonly string[], now: Date): Promise<Array<{ id: string; user_id: string; state: ConversationState }>> {
  if (userIds.length === 0) return [];
  return q.query(
    `UPDATE conversations c SET state = 'queued', offered_to = NULL, offer_expires_at = NULL, holder_user_id = NULL, updated_at = $3
       FROM (SELECT id, COALESCE(holder_user_id, offered_to) AS user_id, state FROM conversations
              WHERE tenant_id = $1 AND state IN ('offered', 'active', 'wrap_up') AND COALESCE(holder_user_id, offered_to) = ANY($2::uuid[]) FOR UPDATE) old
      WHERE c.tenant_id = $1 AND c.id = old.id RETURNING c.id, old.user_id, old.state`,
    [tenantId, userIds, now],
  );
}

/** Who has it now, said to an agent who cannot take it. */
async function refusal(q: Queryable, tenantId: string, id: string, userId: string, what: string): Promise<CenterError> {
  const [row] = await q.query<{ state: ConversationState; holder: string | null; mine: boolean }>(
    `SELECT c.state, (SELECT username FROM users u WHERE u.id = COALESCE(c.holder_user_id, c.offered_to)) AS holder,
            COALESCE(c.holder_user_id, c.offered_to) = $3 AS mine
       FROM conversations c WHERE c.tenant_id = $1 AND c.id = $2`,
    [tenantId, id, userId],
  );
  if (!row) return new CenterError('not_found', `There is no conversation ${id}; it may belong to another tenant or never existed.`);
  if (row.holder && !row.mine) return new CenterError('conflict', `${row.holder} holds this conversation now; you cannot ${what} it.`);
  if (row.state === 'queued') return new CenterError('conflict', `This conversation is no longer offered to you (the offer ended); it waits in the queue for the next agent, so you cannot ${what} it.`);
  return new CenterError('conflict', `This conversation is ${row.state.replace('_', ' ')}; you cannot ${what} it now.`);
}

/** The agent accepts their offer (before it expires): they hold it, and the contact is answered. */
export async function acceptConversation(db: Db, tenantId: string, id: string, who: { userId: string; username: string }, now: Date): Promise<ChangeTxResult<Conversation>> {
  return changeTx(db, tenantId, async (tx) => {
    const { q } = tx;
    const [row] = await q.query<{ interaction_id: string; customer_id: string }>(
      `UPDATE conversations SET state = 'active', holder_user_id = $3, offered_to = NULL, offer_expires_at = NULL, accepted_at = COALESCE(accepted_at, $4), updated_at = $4
        WHERE tenant_id = $1 AND id = $2 AND state = 'offered' AND offered_to = $3 AND offer_expires_at > $4 RETURNING interaction_id, customer_id`,
      [tenantId, id, who.userId, now],
    );
    if (!row) {
      // Accepting twice (a retried ack) answers the same.
      const held = await readConversation(q, tenantId, id);
      const [mine] = await q.query(`SELECT 1 FROM conversations WHERE tenant_id = $1 AND id = $2 AND state = 'active' AND holder_user_id = $3`, [tenantId, id, who.userId]);
      if (held && mine) return held;
      throw await refusal(q, tenantId, id, who.userId, 'accept');
    }
    await q.query(
      `UPDATE interactions SET agent = $3, agent_user_id = $4, answered_at = COALESCE(answered_at, $5) WHERE tenant_id = $1 AND id = $2`,
      [tenantId, row.interaction_id, who.username, who.userId, now],
    );
    await recordInteraction(tx, row.interaction_id, row.customer_id);
    return (await readConversation(q, tenantId, id)) as Conversation;
  });
}

/** The agent declines their offer: it goes back to the queue at once. */
export async function declineConversation(q: Queryable, tenantId: string, id: string, userId: string, now: Date): Promise<void> {
  const rows = await q.query(
    `UPDATE conversations SET state = 'queued', offered_to = NULL, offer_expires_at = NULL, updated_at = $4
      WHERE tenant_id = $1 AND id = $2 AND state = 'offered' AND offered_to = $3 RETURNING id`,
    [tenantId, id, userId, now],
  );
  if (rows.length === 0) throw await refusal(q, tenantId, id, userId, 'decline');
}

/** The holder ends work on it: active → wrap_up, or (active or wrap_up) → closed with an optional disposition. */
export async function finishConversation(
  db: Db,
  tenantId: string,
  id: string,
  userId: string,
  to: 'wrap_up' | 'closed',
  now: Date,
  disposition?: string,
): Promise<ChangeTxResult<Conversation>> {
  return changeTx(db, tenantId, async (tx) => {
    const { q } = tx;
    const [row] = await q.query<{ interaction_id: string; customer_id: string }>(
      `UPDATE conversations SET state = $4, closed_at = CASE WHEN $4 = 'closed' THEN $5::timestamptz ELSE closed_at END,
              holder_user_id = CASE WHEN $4 = 'closed' THEN NULL ELSE holder_user_id END, updated_at = $5
        WHERE tenant_id = $1 AND id = $2 AND holder_user_id = $3 AND state IN ('active', 'wrap_up') RETURNING interaction_id, customer_id`,
      [tenantId, id, userId, to, now],
    );
    if (!row) throw await refusal(q, tenantId, id, userId, to === 'closed' ? 'close' : 'wrap up');
    if (to === 'closed') {
      await q.query(`UPDATE interactions SET ended_at = $3, disposition = COALESCE($4, disposition) WHERE tenant_id = $1 AND id = $2`, [tenantId, row.interaction_id, now, disposition ?? null]);
      await recordInteraction(tx, row.interaction_id, row.customer_id);
    }
    return (await readConversation(q, tenantId, id)) as Conversation;
  });
}

/**
 * The holder's reply, stored once per client mutation id (a resend returns the stored one) with the
 * outbound state `queued`; `fresh` is false for a resend. Refused to anyone but the holder.
 */
export async function storeReply(
  db: Db,
  tenantId: string,
  who: { userId: string; username: string },
  req: { conversationId: string; clientMutationId: string; text: string; html?: string },
  now: Date,
): Promise<{ message: ConversationMessage; fresh: boolean }> {
  const stored = async (q: Queryable): Promise<ConversationMessage | null> => {
    const [known] = await q.query<MessageRow & { author_user_id: string | null }>(
      `SELECT ${MESSAGE_COLUMNS}, author_user_id FROM conversation_messages WHERE tenant_id = $1 AND client_mutation_id = $2`,
      [tenantId, req.clientMutationId],
    );
    if (!known) return null;
    if (known.conversation_id !== req.conversationId || known.author_user_id !== who.userId) {
      throw new CenterError('conflict', 'This clientMutationId was already used for another reply; give every new reply its own id.');
    }
    return toMessage(known);
  };
  const first = await stored(db);
  if (first) return { message: first, fresh: false };
  const written = await db.tx(async (q): Promise<ConversationMessage | null> => {
    const [bumped] = await q.query<{ last_seq: number }>(
      `UPDATE conversations SET last_seq = last_seq + 1, first_response_at = COALESCE(first_response_at, $4), updated_at = $4
        WHERE tenant_id = $1 AND id = $2 AND holder_user_id = $3 AND state IN ('active', 'wrap_up') RETURNING last_seq`,
      [tenantId, req.conversationId, who.userId, now],
    );
    if (!bumped) throw await refusal(q, tenantId, req.conversationId, who.userId, 'reply to');
    // The same reply sent twice at once: the first held the row's lock and committed; this one answers with it.
    if (await stored(q)) throw new DuplicateMessage('the same reply was stored meanwhile');
    // Threading for mail: the reply answers the customer's latest message.
    const [last] = await q.query<{ message_id: string | null; references: string[] | null }>(
      `SELECT message_id, "references" FROM conversation_messages WHERE tenant_id = $1 AND conversation_id = $2 AND direction = 'in' ORDER BY seq DESC LIMIT 1`,
      [tenantId, req.conversationId],
    );
    const inReplyTo = last?.message_id ?? null;
    const references = inReplyTo ? [...(last?.references ?? []), inReplyTo] : null;
    const [row] = await q.query<MessageRow>(
      `INSERT INTO conversation_messages (tenant_id, conversation_id, seq, direction, author, author_user_id, text, html, in_reply_to, "references", outbound_state, client_mutation_id, created_at)
       VALUES ($1, $2, $3, 'out', $4, $5, $6, $7, $8, $9, 'queued', $10, $11) RETURNING ${MESSAGE_COLUMNS}`,
      [tenantId, req.conversationId, bumped.last_seq, who.username, who.userId, req.text, req.html ?? null, inReplyTo, references, req.clientMutationId, now],
    );
    return toMessage(row as MessageRow);
  }).catch((err: unknown) => {
    if (err instanceof DuplicateMessage) return null;
    throw err;
  });
  if (written) return { message: written, fresh: true };
  const again = await stored(db);
  if (!again) throw new Error('a reply stored at the same time could not be read back');
  return { message: again, fresh: false };
}

/** A reply's outbound state as its channel reports it (and our own Message-ID on a sent mail). Null when there is no such reply. */
export async function setOutboundState(
  q: Queryable,
  tenantId: string,
  conversationId: string,
  seq: number,
  state: OutboundState,
  opts: { error?: string; messageId?: string } = {},
): Promise<{ message: ConversationMessage; authorUserId: string | null } | null> {
  const [row] = await q.query<MessageRow & { author_user_id: string | null }>(
    `UPDATE conversation_messages SET outbound_state = $4, outbound_error = $5, message_id = COALESCE($6, message_id)
      WHERE tenant_id = $1 AND conversation_id = $2 AND seq = $3 AND direction = 'out' RETURNING ${MESSAGE_COLUMNS}, author_user_id`,
    [tenantId, conversationId, seq, state, state === 'failed' ? (opts.error ?? 'not sent') : null, opts.messageId ?? null],
  );
  if (!row) return null;
  return { message: toMessage(row), authorUserId: row.author_user_id };
}

/** What the agent holds or is offered now. */
export async function conversationsOf(q: Queryable, tenantId: string, userId: string): Promise<Conversation[]> {
  const rows = await q.query<ConversationRow>(
    `SELECT ${CONVERSATION_COLUMNS} FROM conversations c
      WHERE c.tenant_id = $1 AND ((c.state IN ('active', 'wrap_up') AND c.holder_user_id = $2) OR (c.state = 'offered' AND c.offered_to = $2))
      ORDER BY c.created_at`,
    [tenantId, userId],
  );
  return rows.map(toConversation);
}

/** Whether the user was ever offered this conversation (may read it back). */
export async function wasOffered(q: Queryable, tenantId: string, conversationId: string, userId: string): Promise<boolean> {
  const rows = await q.query(
    `SELECT 1 FROM conversations c JOIN interaction_agents a ON a.tenant_id = c.tenant_id AND a.interaction_id = c.interaction_id
      WHERE c.tenant_id = $1 AND c.id = $2 AND a.user_id = $3`,
    [tenantId, conversationId, userId],
  );
  return rows.length > 0;
}
