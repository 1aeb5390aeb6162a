// The agent's inbox of chats and emails: the center's `conversation:*` pushes kept as one view the
// renderer hears as `inbox`; accept, decline, wrap up and close asked of the center; replies kept in the
// conversation outbox (SQLite, migration 0006) and sent from there, oldest first, one at a time, with
// the same client mutation id on every try, so a reply written offline goes out once when the center
// is back. On every (re)connect: what this agent holds (`conversation:mine`), the messages missed
// (`conversation:fetch` after the last seq held), then the outbox.
import type { InboxItem, InboxView, KeptReply } from '../../../shared/api/inbox';
import {
  Conversation,
  ConversationFetchResponse,
  ConversationMessage,
  ConversationMessagePush,
  ConversationOffered,
  ConversationWithdrawn,
  EVENTS,
  MyConversationsResponse,
  type OutboundState,
} from '../../../shared/protocol/index';
import type { ScreenPop } from '../../../shared/domain/entities';
import { nextReplyToSend, queueReply, queuedReplies, replyDone, replyTried, type Db, type StoreLogger } from '../../db/index';
import { DesktopApiError } from '../api-dispatch';
import { CenterRequestError, type CenterLink } from '../center-link';
import { desktopErrorFromCenter, type CenterErrorWords } from '../center-errors';
import type { EventHub } from '../events';
import { uuidv7 } from '../uuid';
import { z } from 'zod';

const WithdrawnAck = z.object({ conversationId: z.string() });
/** How long after a try that timed out the outbox is tried again (the connection itself is up). */
const RETRY_AFTER_TIMEOUT_MS = 2_000;
const FETCH_PAGE = 200;

export interface InboxRelay {
  connected(): void;
  disconnected(): void;
  view(): InboxView;
  accept(conversationId: string): Promise<Conversation>;
  decline(conversationId: string): Promise<{ conversationId: string }>;
  reply(input: { conversationId: string; text: string }): Promise<KeptReply>;
  finish(input: { conversationId: string; to: 'wrap_up' | 'closed'; disposition?: string }): Promise<Conversation>;
  fetch(conversationId: string): Promise<InboxView>;
  discard(clientMutationId: string): Promise<{ discarded: boolean }>;
  /** Resolves once the outbox has been tried as far as it can go now (tests, shutdown). */
  drained(): Promise<void>;
}

export interface InboxDeps {
  db: Db;
  link: CenterLink;
  emit: EventHub['emit'];
  logger: StoreLogger;
  /** The customer's pop from the local store, then the center (cached for notes and VOC items offline). */
  lookupPop(customerId: string): Promise<ScreenPop | null>;
}

interface Held {
  conversation: Conversation;
  messages: Map<number, ConversationMessage>;
  pop: ScreenPop | null;
}

const ASK_WORDS: CenterErrorWords = {
  offline: 'You are offline: chats and emails can be taken, wrapped up and closed when the connection returns. Replies you write are kept and sent then.',
  forbidden: 'Only agents who take contacts can handle chats and emails.',
};

/** Codes that mean the try may succeed later; anything else is the center refusing this reply for good. */
const TRANSIENT = new Set(['offline', 'timeout', 'internal', 'rate_limited', 'unauthenticated', 'bad_answer']);

export function createInboxRelay(deps: InboxDeps): InboxRelay {
  const { db, link, emit, logger } = deps;
  const held = new Map<string, Held>();
  let draining: Promise<void> | null = null;
  let runs = 0;
  let retryTimer: NodeJS.Timeout | null = null;

  const lastSeq = (h: Held) => Math.max(0, ...h.messages.keys());

  function view(): InboxView {
    const kept = queuedReplies(db);
    const items: InboxItem[] = [...held.values()]
      .sort((a, b) => a.conversation.createdAt.localeCompare(b.conversation.createdAt))
      .map((h) => {
        const messages = [...h.messages.values()].sort((a, b) => a.seq - b.seq);
        // A push can bring the stored reply before the answer to its own request does: shown once.
        const stored = new Set(messages.map((m) => m.clientMutationId).filter((id) => id !== null));
        return {
          conversation: h.conversation,
          messages,
          kept: kept.filter((k) => k.conversationId === h.conversation.id && !stored.has(k.clientMutationId)),
          pop: h.pop,
        };
      });
    return { items, connected: link.isConnected(), unsent: kept.filter((k) => !held.has(k.conversationId)) };
  }
  const publish = () => emit('inbox', view());

  function merge(h: Held, messages: readonly ConversationMessage[]): void {
    for (const m of messages) {
      // A push of the reply's new state can overtake the answer to the reply itself: never step back.
      const known = h.messages.get(m.seq);
      if (known && stateRank(known.outboundState) > stateRank(m.outboundState)) continue;
      h.messages.set(m.seq, m);
      if (m.direction === 'in' && (!h.conversation.lastCustomerMessageAt || m.createdAt > h.conversation.lastCustomerMessageAt)) {
        h.conversation = { ...h.conversation, lastCustomerMessageAt: m.createdAt };
      }
      if (m.seq > h.conversation.lastSeq) h.conversation = { ...h.conversation, lastSeq: m.seq };
    }
  }

  function hold(conversation: Conversation, pop?: ScreenPop | null): Held {
    const known = held.get(conversation.id);
    const h: Held = known ? { ...known, conversation: { ...conversation, lastCustomerMessageAt: later(conversation.lastCustomerMessageAt, known.conversation.lastCustomerMessageAt) } } : { conversation, messages: new Map(), pop: pop ?? null };
    if (pop) h.pop = pop;
    held.set(conversation.id, h);
    if (!h.pop) void popFor(h.conversation.id, h.conversation.customerId);
    return h;
  }

  async function popFor(conversationId: string, customerId: string): Promise<void> {
    try {
      const pop = await deps.lookupPop(customerId);
      const h = held.get(conversationId);
      if (h && pop) {
        h.pop = pop;
        publish();
      }
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.name : 'unknown' }, "the customer's pop for a conversation could not be read");
    }
  }

  /** Everything after the last seq held, a page at a time. */
  async function catchUp(conversationId: string): Promise<void> {
    for (;;) {
      const h = held.get(conversationId);
      if (!h) return;
      const page = await link.request(EVENTS.conversationFetch, { conversationId, afterSeq: lastSeq(h), limit: FETCH_PAGE }, ConversationFetchResponse);
      const now = held.get(conversationId);
      if (!now) return;
      now.conversation = page.conversation;
      merge(now, page.messages);
      if (!page.more || page.messages.length === 0) return;
    }
  }

  async function resync(): Promise<void> {
    const { conversations } = await link.request(EVENTS.conversationMine, {}, MyConversationsResponse);
    const mine = new Set(conversations.map((c) => c.id));
    for (const id of [...held.keys()]) if (!mine.has(id)) held.delete(id);
    for (const c of conversations) hold(c);
    for (const c of conversations) await catchUp(c.id);
    publish();
  }

  function drain(): Promise<void> {
    if (draining) return draining;
    const run = ++runs;
    draining = (async () => {
      // The first step waits, so `draining` is set before this run can end and clear it.
      await Promise.resolve();
      try {
        for (;;) {
          if (!link.isConnected()) return;
          const next = nextReplyToSend(db);
          if (!next) return;
          try {
            const stored = await link.request(EVENTS.conversationReply, { conversationId: next.conversationId, clientMutationId: next.clientMutationId, text: next.text }, ConversationMessage);
            replyDone(db, next.clientMutationId);
            const h = held.get(stored.conversationId);
            if (h) merge(h, [stored]);
            publish();
          } catch (err) {
            const code = err instanceof CenterRequestError ? err.code : 'internal';
            const refused = !TRANSIENT.has(code);
            replyTried(db, next.clientMutationId, err instanceof Error ? err.message : 'unknown error', refused);
            publish();
            if (refused) {
              logger.warn({ code }, 'the center refused a reply; kept on this computer for the agent to copy');
              continue;
            }
            // Kept as it is: the next connect, or a retry shortly if the connection is still up.
            if (link.isConnected() && !retryTimer) {
              retryTimer = setTimeout(() => {
                retryTimer = null;
                void drain();
              }, RETRY_AFTER_TIMEOUT_MS);
              retryTimer.unref?.();
            }
            return;
          }
        }
      } finally {
        if (runs === run) draining = null;
      }
    })();
    return draining;
  }

  link.on(EVENTS.conversationOffered, ConversationOffered, (offer) => {
    const h = hold(offer.conversation, offer.customer?.pop ?? null);
    merge(h, offer.messages);
    publish();
  });
  link.on(EVENTS.conversationWithdrawn, ConversationWithdrawn, (w) => {
    held.delete(w.conversationId);
    emit('conversationWithdrawn', w);
    publish();
  });
  link.on(EVENTS.conversationMessage, ConversationMessagePush, ({ message }) => {
    const h = held.get(message.conversationId);
    if (!h) {
      // Taken on another of this agent's desktops: learn what they hold now.
      resync().catch(() => undefined);
      return;
    }
    const gap = message.seq > lastSeq(h) + 1;
    merge(h, [message]);
    publish();
    if (gap) catchUp(message.conversationId).then(publish, () => undefined);
  });

  async function ask<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw desktopErrorFromCenter(err, ASK_WORDS);
    }
  }

  return {
    connected() {
      resync()
        .catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'could not catch up on chats and emails; will on the next connect'))
        .finally(() => void drain());
    },
    disconnected() {
      publish();
    },
    view,
    async accept(conversationId) {
      try {
        const c = await link.request(EVENTS.conversationAccept, { conversationId }, Conversation);
        hold(c);
        publish();
        return c;
      } catch (err) {
        // Taken by someone else, or the offer ended: it is no longer this agent's to show.
        if (err instanceof CenterRequestError && (err.code === 'conflict' || err.code === 'not_found')) {
          held.delete(conversationId);
          publish();
        }
        throw desktopErrorFromCenter(err, ASK_WORDS);
      }
    },
    async decline(conversationId) {
      const r = await ask(() => link.request(EVENTS.conversationDecline, { conversationId }, WithdrawnAck));
      held.delete(conversationId);
      publish();
      return { conversationId: r.conversationId };
    },
    async reply({ conversationId, text }) {
      const h = held.get(conversationId);
      if (h && h.conversation.state !== 'active' && h.conversation.state !== 'wrap_up') {
        throw new DesktopApiError('conflict', 'Accept this conversation before replying to it.');
      }
      const clientMutationId = uuidv7();
      queueReply(db, { clientMutationId, conversationId, text, createdAt: new Date().toISOString() });
      publish();
      void drain();
      const kept = queuedReplies(db).find((k) => k.clientMutationId === clientMutationId);
      return kept ?? { clientMutationId, conversationId, text, createdAt: new Date().toISOString(), attempts: 0, lastError: null, refused: false };
    },
    async finish({ conversationId, to, disposition }) {
      const c = await ask(() =>
        to === 'wrap_up'
          ? link.request(EVENTS.conversationWrapUp, { conversationId }, Conversation)
          : link.request(EVENTS.conversationClose, { conversationId, ...(disposition && { disposition }) }, Conversation),
      );
      if (c.state === 'closed') held.delete(conversationId);
      else hold(c);
      publish();
      return c;
    },
    async fetch(conversationId) {
      await ask(() => catchUp(conversationId));
      publish();
      return view();
    },
    async discard(clientMutationId) {
      const kept = queuedReplies(db).find((k) => k.clientMutationId === clientMutationId);
      if (!kept?.refused) return { discarded: false };
      replyDone(db, clientMutationId);
      publish();
      return { discarded: true };
    },
    drained: () => draining ?? Promise.resolve(),
  };
}

const RANK: Record<OutboundState, number> = { queued: 0, sent: 1, failed: 1, delivered: 2 };
const stateRank = (s: OutboundState | null) => (s === null ? -1 : RANK[s]);

function later(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}
