// The channels' work items, composed: what the email receiver and the chat namespace call when a
// customer writes (`inbound`), the routing of waiting conversations to agents (offers with a time
// limit; back to the queue on a decline, a timeout or the agent gone), what agents do with them
// (accept, decline, reply, wrap up, close, catch up) and what the holder's desktops are told. Replies
// leave through a pluggable outbound port per channel (email: the SMTP sender; chat: sent at once
// until the chat namespace plugs its own). Routing needs the floor's agent states, so it runs where the
// floor lives (`routes()`); everything else works on any node, on the database alone.
import type { Logger } from 'pino';
import type { ScreenPop } from '../../../shared/domain';
import {
  EVENTS,
  type Conversation,
  type ConversationFetchResponse,
  type ConversationMessage,
  type ConversationOffered,
  type ConversationWithdrawn,
  type OutboundState,
  type ReplyRequest,
  type WorkChannel,
} from '../../../shared/protocol';
import { CenterError } from '../base/errors';
import { errSummary } from '../base/log';
import type { Db } from '../db/db';
import type { AgentStates } from '../floor/model/agent-state';
import type { Outlet } from '../io/rooms';
import type { Poke } from '../sync/events';
import { keepsCallsAway, pickAgent, readCapacities, type Candidate, type HeldItem } from './capacity';
import { InboundMessage as InboundSchema } from './inbound-schema';
import {
  acceptConversation,
  conversationByMessageIds,
  conversationsOf,
  declineConversation,
  expireOffers,
  finishConversation,
  heldByAgents,
  offerConversation,
  readConversation,
  readLastMessages,
  readMessages,
  requeueOf,
  setOutboundState,
  storeInbound,
  storeReply,
  tenantsWithOpenConversations,
  waitingConversations,
  wasOffered,
  type InboundMessage,
  type InboundResult,
} from './store';

/** Connect's accept limit: an offer not accepted within it goes back to the queue. */
export const DEFAULT_OFFER_TIMEOUT_MS = 20_000;
/** How long an agent who let an offer go (declined or timed out) is passed by for that conversation. */
const REFUSED_COOL_OFF_MS = 60_000;
/** An agent the floor does not know (the center restarted) keeps their items this long before they are requeued. */
const UNKNOWN_AGENT_GRACE_MS = 60_000;
const OFFER_MESSAGES = 50;

/** One reply for a channel to send. The port reports back with `markOutbound` (sent, delivered or failed). */
export interface OutboundReply {
  tenantId: string;
  channel: WorkChannel;
  conversation: Conversation;
  message: ConversationMessage;
}
export interface OutboundPort {
  send(reply: OutboundReply): Promise<void>;
}

export interface ChannelsDeps {
  db: Db;
  outlet: Pick<Outlet, 'toAgent'>;
  poke: Poke;
  /** The floor's agent states of a tenant (this node's floor; routing runs only where `routes()` says). */
  agentStates(tenantId: string): Promise<AgentStates>;
  /** Whether this node routes (it owns the floor). */
  routes(): boolean;
  /** The pop of the customer an item is offered with (lookup/screen-pop.ts, audited there). */
  readPop(who: { tenantId: string; userId: string }, customerId: string): Promise<ScreenPop | null>;
  log: Pick<Logger, 'warn' | 'debug'>;
  /**
   * The users with a desktop connected (any node): only they are offered chats and emails, so a demo's
   * simulated colleagues, who take calls without a desktop, never hold one. Everyone the floor knows when absent.
   */
  present?: (tenantId: string) => Promise<ReadonlySet<string>>;
  offerTimeoutMs?: number;
  now?: () => number;
}

export function createChannels(deps: ChannelsDeps) {
  const { db, outlet, poke, log } = deps;
  const now = deps.now ?? Date.now;
  const offerTimeoutMs = deps.offerTimeoutMs ?? DEFAULT_OFFER_TIMEOUT_MS;
  const ports = new Map<WorkChannel, OutboundPort>();
  const lastOfferedAt = new Map<string, number>();
  /** conversation id → user id → until when that agent is passed by for it. */
  const refused = new Map<string, Map<string, number>>();
  const startedAt = now();
  /** One routing pass per tenant at a time; a kick during one asks for another after it. */
  const passes = new Map<string, { running: Promise<void>; again: boolean }>();
  /** Tenants where the last pass kept calls from someone: routed again until it is lifted. */
  const blocking = new Set<string>();

  const push = (userId: string, event: string, payload: unknown) => outlet.toAgent(userId, event, payload);
  const withdraw = (userId: string, conversationId: string, reason: ConversationWithdrawn['reason']) =>
    push(userId, EVENTS.conversationWithdrawn, { conversationId, reason } satisfies ConversationWithdrawn);
  const refuse = (conversationId: string, userId: string) => {
    const m = refused.get(conversationId) ?? new Map<string, number>();
    m.set(userId, now() + REFUSED_COOL_OFF_MS);
    refused.set(conversationId, m);
  };

  const sendOut = async (tenantId: string, conversation: Conversation, message: ConversationMessage): Promise<void> => {
    const port = ports.get(conversation.channel);
    try {
      if (port) await port.send({ tenantId, channel: conversation.channel, conversation, message });
      // A chat reply has reached the center that serves the chat: sent, unless a chat port says otherwise.
      else if (conversation.channel === 'chat') await markOutbound(tenantId, conversation.id, message.seq, 'sent');
    } catch (err) {
      log.warn({ tenant: tenantId, channel: conversation.channel, err: errSummary(err) }, 'a reply could not be handed to its channel; marked failed');
      await markOutbound(tenantId, conversation.id, message.seq, 'failed', { error: 'The channel could not take the reply; write it again as a new reply.' }).catch(() => undefined);
    }
  };

  /** A reply's new outbound state, stored and shown on its author's desktops (also after the conversation closed). */
  async function markOutbound(tenantId: string, conversationId: string, seq: number, state: OutboundState, opts: { error?: string; messageId?: string } = {}): Promise<ConversationMessage | null> {
    const r = await setOutboundState(db, tenantId, conversationId, seq, state, opts);
    if (!r) return null;
    if (r.authorUserId) push(r.authorUserId, EVENTS.conversationMessage, { message: r.message });
    return r.message;
  }

  /** Offers what waits in a tenant to agents who may take it, and keeps calls from agents holding chats. */
  async function routeTenant(tenantId: string): Promise<void> {
    const agents = await deps.agentStates(tenantId);
    const at = now();
    for (const gone of await expireOffers(db, tenantId, new Date(at))) {
      refuse(gone.id, gone.user_id);
      withdraw(gone.user_id, gone.id, 'timeout');
    }
    const statuses = agents.list();
    const users = await db.query<{ id: string; username: string }>(`SELECT id, username FROM users WHERE tenant_id = $1 AND username = ANY($2::text[])`, [
      tenantId,
      statuses.map((s) => s.agent),
    ]);
    const userOf = new Map(users.map((u) => [u.username, u.id]));
    const held = new Map<string, HeldItem[]>();
    for (const h of await heldByAgents(db, tenantId)) {
      const list = held.get(h.user_id) ?? [];
      for (let i = 0; i < h.n; i++) list.push({ channel: h.channel, queue: h.queue });
      held.set(h.user_id, list);
    }
    // Items of agents who went offline (after the floor's grace), or whom the floor has not seen since a restart, wait again.
    const known = new Set(users.map((u) => u.id));
    const offline = statuses.filter((s) => s.state === 'offline').map((s) => userOf.get(s.agent)).filter((id): id is string => id !== undefined);
    const unseen = at - startedAt >= UNKNOWN_AGENT_GRACE_MS ? [...held.keys()].filter((id) => !known.has(id)) : [];
    for (const r of await requeueOf(db, tenantId, [...offline.filter((id) => held.has(id)), ...unseen], new Date(at))) {
      held.delete(r.user_id);
      withdraw(r.user_id, r.id, r.state === 'offered' ? 'offline' : 'requeued');
    }
    const capacityOf = await readCapacities(db, tenantId);
    const candidates: Array<Candidate & { userId: string }> = [];
    const here = deps.present ? await deps.present(tenantId) : null;
    for (const s of statuses) {
      const userId = userOf.get(s.agent);
      if (userId && (!here || here.has(userId))) candidates.push({ status: s, held: held.get(userId) ?? [], lastOfferedAt: lastOfferedAt.get(userId) ?? null, userId });
    }
    for (const item of await waitingConversations(db, tenantId)) {
      const passedBy = refused.get(item.id);
      const chosen = pickAgent(candidates, item, capacityOf, (agent) => {
        const until = passedBy?.get(userOf.get(agent) ?? '');
        return until !== undefined && until > at;
      }) as (Candidate & { userId: string }) | null;
      if (!chosen) continue;
      const r = await offerConversation(db, tenantId, item.id, chosen.userId, new Date(at), new Date(at + offerTimeoutMs));
      if (!r.value) continue;
      (chosen.held as HeldItem[]).push(item);
      lastOfferedAt.set(chosen.userId, at);
      await announceOffer(tenantId, chosen.userId, r.value, r.version);
      void poke(tenantId, r);
    }
    let anyBlocked = false;
    for (const c of candidates) {
      const blocked = keepsCallsAway(c.held, capacityOf);
      agents.setVoiceBlocked(c.status.agent, blocked);
      anyBlocked ||= blocked;
    }
    if (anyBlocked) blocking.add(tenantId);
    else blocking.delete(tenantId);
    for (const [id, m] of refused) {
      for (const [u, until] of m) if (until <= at) m.delete(u);
      if (m.size === 0) refused.delete(id);
    }
  }

  async function announceOffer(
    tenantId: string,
    userId: string,
    conversation: Conversation,
    version: string,
    send: (event: string, payload: unknown) => void = (event, payload) => push(userId, event, payload),
  ): Promise<void> {
    const messages = await readLastMessages(db, tenantId, conversation.id, OFFER_MESSAGES);
    let customer: ConversationOffered['customer'];
    try {
      const pop = await deps.readPop({ tenantId, userId }, conversation.customerId);
      customer = { asOf: pop?.asOf ?? version, pop };
    } catch (err) {
      log.warn({ tenant: tenantId, err: errSummary(err) }, "the customer's pop could not be read for the offer; the desktop will look it up");
    }
    send(EVENTS.conversationOffered, { conversation, messages, ...(customer && { customer }) } satisfies ConversationOffered);
  }

  /** Routes a tenant now (after a message, a decline or a close), one pass at a time; only where the floor lives. */
  function kick(tenantId: string): Promise<void> {
    if (!deps.routes()) return Promise.resolve();
    const pass = passes.get(tenantId);
    if (pass) {
      pass.again = true;
      return pass.running;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      try {
        do {
          entry.again = false;
          await routeTenant(tenantId).catch((err: unknown) => log.warn({ tenant: tenantId, err: errSummary(err) }, 'routing chats and emails failed; will retry'));
        } while (entry.again);
      } finally {
        passes.delete(tenantId);
      }
    })();
    passes.set(tenantId, entry);
    return entry.running;
  }

  return {
    /** A channel hands in a customer's message: stored (once per Message-ID), then routed, or shown to the agent holding or offered it. */
    async inbound(message: InboundMessage): Promise<InboundResult> {
      const m = InboundSchema.parse(message);
      const r = await storeInbound(db, m, new Date(now()));
      const { message: stored, ...result } = r.value;
      if (result.duplicate) return result;
      void poke(m.tenantId, r);
      // The holder sees it at once: the stored row came back from the INSERT, no read after the commit.
      if (result.agentUserId && stored) push(result.agentUserId, EVENTS.conversationMessage, { message: stored });
      if (result.state === 'queued') void kick(m.tenantId);
      return result;
    },

    /** The conversation a mail belongs to, by the Message-IDs of its In-Reply-To and References headers. */
    conversationByMessageIds: (tenantId: string, ids: readonly string[]) => conversationByMessageIds(db, tenantId, ids),

    /** The channel's sender for replies (email: the SMTP sender). */
    setOutbound(channel: WorkChannel, port: OutboundPort | null): void {
      if (port) ports.set(channel, port);
      else ports.delete(channel);
    },

    markOutbound,

    async accept(who: { tenantId: string; userId: string; username: string }, conversationId: string): Promise<Conversation> {
      const r = await acceptConversation(db, who.tenantId, conversationId, who, new Date(now()));
      void poke(who.tenantId, r);
      return r.value;
    },

    async decline(who: { tenantId: string; userId: string }, conversationId: string): Promise<{ conversationId: string }> {
      await declineConversation(db, who.tenantId, conversationId, who.userId, new Date(now()));
      refuse(conversationId, who.userId);
      void kick(who.tenantId);
      return { conversationId };
    },

    async reply(who: { tenantId: string; userId: string; username: string }, req: ReplyRequest): Promise<ConversationMessage> {
      const r = await storeReply(db, who.tenantId, who, req, new Date(now()));
      if (!r.fresh) return r.message;
      // The agent's other desktops show it too; then the channel sends it.
      push(who.userId, EVENTS.conversationMessage, { message: r.message });
      const conversation = await readConversation(db, who.tenantId, req.conversationId);
      if (conversation) void sendOut(who.tenantId, conversation, r.message);
      return r.message;
    },

    async finish(who: { tenantId: string; userId: string }, conversationId: string, to: 'wrap_up' | 'closed', disposition?: string): Promise<Conversation> {
      const r = await finishConversation(db, who.tenantId, conversationId, who.userId, to, new Date(now()), disposition);
      void poke(who.tenantId, r);
      if (to === 'closed') void kick(who.tenantId);
      return r.value;
    },

    /** Messages after `afterSeq` for someone who was offered it (or a supervisor). */
    async fetch(who: { tenantId: string; userId: string; supervising: boolean }, conversationId: string, afterSeq: number, limit = 200): Promise<ConversationFetchResponse> {
      const conversation = await readConversation(db, who.tenantId, conversationId);
      if (!conversation || (!who.supervising && !(await wasOffered(db, who.tenantId, conversationId, who.userId)))) {
        // Said the same way for both, so ids of other tenants cannot be probed.
        throw new CenterError('not_found', `There is no conversation ${conversationId} you may read; it may belong to another tenant, or it was never offered to you.`);
      }
      const messages = await readMessages(db, who.tenantId, conversationId, afterSeq, limit + 1);
      return { conversation, messages: messages.slice(0, limit), more: messages.length > limit };
    },

    mine: async (who: { tenantId: string; userId: string }) => ({ conversations: await conversationsOf(db, who.tenantId, who.userId) }),

    /**
     * A desktop of the agent connected: the offers still open to them are sent to it again (the push
     * may have gone to the connection that dropped). What they hold, they read with `mine` and `fetch`.
     */
    async offersAgain(who: { tenantId: string; userId: string }, send: (event: string, payload: unknown) => void): Promise<void> {
      for (const c of await conversationsOf(db, who.tenantId, who.userId)) {
        if (c.state === 'offered') await announceOffer(who.tenantId, who.userId, c, '0', send);
      }
    },

    kick,

    /** Once a second where the floor lives: offers that ran out, agents gone, what waits. */
    async tick(): Promise<void> {
      if (!deps.routes()) return;
      for (const tenantId of new Set([...(await tenantsWithOpenConversations(db)), ...blocking])) await kick(tenantId);
    },
  };
}
export type Channels = ReturnType<typeof createChannels>;
