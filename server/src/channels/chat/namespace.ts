// The web chat's socket.io namespace `/visitor`: visitors of a tenant's site, authenticated by their
// visitor token (visitors.ts), never by a user's session. A visitor sends messages (each with their
// own id, so a resend after a lost ack is stored once), says when they type, and catches up after a
// reconnect from the last sequence number they hold. Agents' replies reach them through the chat
// channel's outbound port (chatOutbound); an agent's typing through `conversation:typing` (visitorTypingEvents).
// A visitor may have their conversation emailed to them (`chat:transcript`, transcript.ts); catch-up
// tells the widget whether that is offered.
// Limits per visitor: a burst of RATE_BURST messages, then one per RATE_REFILL_MS.
import type { Logger } from 'pino';
import type { Namespace, Server, Socket } from 'socket.io';
import { z } from 'zod';
import { VISITOR_EVENTS, VisitorCatchUp, VisitorSend, VisitorTranscript, VisitorTyping, type ChatMessage, type VisitorCatchUpResult } from '../../../../shared/protocol/webchat';
import { CenterError } from '../../base/errors';
import { errSummary } from '../../base/log';
import type { Db } from '../../db/db';
import { ANY_ROLE, spec, type EventTable } from '../../io/event-table';
import type { Outlet } from '../../io/rooms';
import type { Channels, OutboundPort } from '../channels';
import { sendTranscript, transcriptOffer, type TranscriptDeps } from './transcript';
import { visitorOf, type Visitor } from './visitors';

export const VISITOR_NAMESPACE = '/visitor';
export const RATE_BURST = 5;
export const RATE_REFILL_MS = 1_000;
const TYPING_MIN_GAP_MS = 300;
const CATCH_UP_LIMIT = 500;

/** Every socket of one visitor (their tabs). */
export const visitorRoom = (tenantId: string, visitorId: string) => `visitor:${tenantId}:${visitorId}`;

/** What the web chat needs of the channels (server/src/channels). */
export interface ChatChannels {
  inbound(m: {
    tenantId: string;
    channel: 'chat';
    identity: { chatVisitorId: string; customerId?: string; email?: string; displayName?: string };
    text: string;
    headers?: { messageId?: string };
  }): Promise<{ conversationId: string; seq: number; duplicate: boolean }>;
}

export interface VisitorsDeps {
  db: Db;
  channels: ChatChannels;
  outlet: Pick<Outlet, 'toAgent'>;
  log: Pick<Logger, 'info' | 'warn' | 'debug'>;
  now?: () => number;
  /** Transcripts by email ("Email me this conversation") go through this sender (transcript.ts). */
  transcripts: Pick<TranscriptDeps, 'sender' | 'domain'>;
}

/** The mail-style id a visitor's message is stored under: the channels store each id once. */
const visitorMessageId = (visitorId: string, clientMessageId: string) => `<${clientMessageId}.${visitorId}@visitor.earshot>`;
const CLIENT_ID = /^<([0-9a-f-]{36})\.[0-9a-f-]{36}@visitor\.earshot>$/;

interface MessageRow {
  conversation_id: string;
  seq: number;
  direction: 'in' | 'out';
  author: string;
  display_name: string | null;
  text: string;
  created_at: Date | string;
  message_id: string | null;
}
const MESSAGE_COLUMNS = 'm.conversation_id::text AS conversation_id, m.seq, m.direction, m.author, u.display_name, m.text, m.created_at, m.message_id';
const MESSAGE_FROM = 'conversation_messages m LEFT JOIN users u ON u.id = m.author_user_id';
const MESSAGE_SELECT = `${MESSAGE_COLUMNS} FROM ${MESSAGE_FROM}`;

export function toChatMessage(r: MessageRow, visitor: Pick<Visitor, 'displayName'>): ChatMessage {
  return {
    conversationId: r.conversation_id,
    seq: r.seq,
    from: r.direction === 'in' ? 'visitor' : 'agent',
    // Agents by their display name's first word, as a chat usually signs them.
    author: r.direction === 'in' ? (visitor.displayName ?? r.author) : ((r.display_name ?? r.author).split(/\s+/)[0] ?? r.author),
    text: r.text,
    at: new Date(r.created_at).toISOString(),
    clientMessageId: (r.message_id && CLIENT_ID.exec(r.message_id)?.[1]) ?? null,
  };
}

type Reply = (a: { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }) => void;

export function serveVisitors(io: Server, deps: VisitorsDeps): Namespace {
  const { db, channels, outlet, log } = deps;
  const now = deps.now ?? Date.now;
  const nsp = io.of(VISITOR_NAMESPACE);

  nsp.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const refuse = (message: string) => next(Object.assign(new Error(message), { data: { code: 'unauthenticated', message } }));
    if (typeof token !== 'string' || token.length > 200) return refuse('Connecting needs auth { token } from POST /chat/session.');
    visitorOf(db, token, now())
      .then((visitor) => {
        if (!visitor) return refuse('This chat session has expired or is unknown; open the chat again.');
        socket.data = { visitor };
        next();
      })
      .catch((err: unknown) => {
        log.warn({ err: errSummary(err) }, 'a visitor handshake failed');
        refuse('The center could not check the chat session; try again shortly.');
      });
  });

  /** The visitor's latest conversation (open or not), if they have written. */
  const latestConversation = async (v: Visitor) =>
    (
      await db.query<{ id: string; holder: string | null }>(
        `SELECT id::text AS id, holder_user_id::text AS holder FROM conversations
          WHERE tenant_id = $1 AND chat_visitor_id = $2 AND channel = 'chat' ORDER BY created_at DESC LIMIT 1`,
        [v.tenantId, v.id],
      )
    )[0] ?? null;

  nsp.on('connection', (socket: Socket) => {
    const { visitor } = socket.data as { visitor: Visitor };
    void socket.join(visitorRoom(visitor.tenantId, visitor.id));
    let tokens = RATE_BURST;
    let refilledAt = now();
    let typedAt = 0;
    const allowMessage = () => {
      const t = now();
      tokens = Math.min(RATE_BURST, tokens + (t - refilledAt) / RATE_REFILL_MS);
      refilledAt = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    };

    const on = <S extends z.ZodTypeAny>(event: string, schema: S, handle: (req: z.infer<S>) => Promise<unknown>) =>
      socket.on(event, (payload: unknown, ack: unknown) => {
        const reply: Reply = typeof ack === 'function' ? (ack as Reply) : () => undefined;
        const parsed = schema.safeParse(payload);
        if (!parsed.success) return reply({ ok: false, error: { code: 'bad_request', message: parsed.error.issues.map((i) => `${i.path.join('.') || 'message'}: ${i.message}`).join('; ') } });
        handle(parsed.data).then(
          (value) => reply({ ok: true, value }),
          (err: unknown) => {
            if (err instanceof CenterError) return reply({ ok: false, error: { code: err.code, message: err.message } });
            log.warn({ err: errSummary(err), event }, 'a visitor event failed');
            reply({ ok: false, error: { code: 'internal', message: 'The chat could not take that just now; send it again.' } });
          },
        );
      });

    on(VISITOR_EVENTS.send, VisitorSend, async (req) => {
      if (!allowMessage()) throw new CenterError('rate_limited', `Too many messages at once: wait a second and send again (at most ${RATE_BURST} in a row).`);
      const stored = await channels.inbound({
        tenantId: visitor.tenantId,
        channel: 'chat',
        identity: {
          chatVisitorId: visitor.id,
          ...(visitor.customerId && { customerId: visitor.customerId }),
          ...(visitor.email && visitor.verified && { email: visitor.email }),
          ...(visitor.displayName && { displayName: visitor.displayName }),
        },
        text: req.text,
        headers: { messageId: visitorMessageId(visitor.id, req.clientMessageId) },
      });
      // Every tab of the visitor shows it (the sender's too: it replaces their pending copy).
      if (!stored.duplicate) {
        const [row] = await db.query<MessageRow>(`SELECT ${MESSAGE_SELECT} WHERE m.conversation_id = $1 AND m.seq = $2`, [stored.conversationId, stored.seq]);
        if (row) nsp.to(visitorRoom(visitor.tenantId, visitor.id)).emit(VISITOR_EVENTS.message, toChatMessage(row, visitor));
      }
      return { conversationId: stored.conversationId, seq: stored.seq };
    });

    on(VISITOR_EVENTS.typing, VisitorTyping, async (req) => {
      const t = now();
      if (req.typing && t - typedAt < TYPING_MIN_GAP_MS) return null;
      typedAt = t;
      const c = await latestConversation(visitor);
      if (c?.holder) outlet.toAgent(c.holder, 'conversation:typing', { conversationId: c.id, from: 'customer', typing: req.typing });
      return null;
    });

    on(VISITOR_EVENTS.catchUp, VisitorCatchUp, async (req): Promise<VisitorCatchUpResult> => {
      const c = await latestConversation(visitor);
      const transcript = await transcriptOffer(db, visitor);
      if (!c) return { conversationId: null, messages: [], transcript };
      const rows = await db.query<MessageRow>(`SELECT ${MESSAGE_SELECT} WHERE m.tenant_id = $1 AND m.conversation_id = $2 AND m.seq > $3 ORDER BY m.seq LIMIT ${CATCH_UP_LIMIT}`, [
        visitor.tenantId,
        c.id,
        req.afterSeq,
      ]);
      return { conversationId: c.id, messages: rows.map((r) => toChatMessage(r, visitor)), transcript };
    });

    on(VISITOR_EVENTS.transcript, VisitorTranscript, (req) => sendTranscript({ db, log, now, ...deps.transcripts }, visitor, req));
  });
  return nsp;
}

/** How long a visitor's tabs have to acknowledge a reply before it stays `sent` (not `delivered`). */
export const DELIVERY_ACK_MS = 10_000;

/**
 * The chat channel's outbound port: an agent's reply goes to every tab of its visitor (with several
 * center nodes the Redis adapter carries it to the visitor's node) and is `sent`; once one of their
 * tabs acknowledges it, `delivered`. A visitor not connected now reads it when they catch up.
 */
export function chatOutbound(nsp: Namespace, db: Db, channels: Pick<Channels, 'markOutbound'>, log: Pick<Logger, 'warn'>): OutboundPort {
  return {
    async send({ tenantId, conversation, message }) {
      const [row] = await db.query<MessageRow & { visitor_id: string | null; visitor_name: string | null }>(
        `SELECT ${MESSAGE_COLUMNS}, c.chat_visitor_id AS visitor_id, v.display_name AS visitor_name
           FROM ${MESSAGE_FROM}
           JOIN conversations c ON c.id = m.conversation_id
           LEFT JOIN chat_visitors v ON v.tenant_id = c.tenant_id AND v.id::text = c.chat_visitor_id
          WHERE m.tenant_id = $1 AND m.conversation_id = $2 AND m.seq = $3`,
        [tenantId, conversation.id, message.seq],
      );
      if (!row?.visitor_id) throw new Error('the reply or its chat visitor is not stored');
      await channels.markOutbound(tenantId, conversation.id, message.seq, 'sent');
      nsp
        .to(visitorRoom(tenantId, row.visitor_id))
        .timeout(DELIVERY_ACK_MS)
        .emit(VISITOR_EVENTS.message, toChatMessage(row, { displayName: row.visitor_name }), (err: unknown, acks: unknown[]) => {
          // A tab that took it is enough (err: some tab did not answer in time). No tab took it now: it
          // stays sent, and is read on the next catch-up.
          void err;
          if (!Array.isArray(acks) || acks.length === 0) return;
          channels.markOutbound(tenantId, conversation.id, message.seq, 'delivered').catch((e: unknown) => log.warn({ err: errSummary(e) }, 'a chat reply was delivered but could not be marked so'));
        });
    },
  };
}

/** The agent's side: `conversation:typing` tells the visitor of a chat the agent holds that they are typing. */
export function visitorTypingEvents(db: Db, nsp: Namespace): EventTable {
  return {
    'conversation:typing': spec({
      roles: ANY_ROLE,
      schema: z.strictObject({ conversationId: z.string().uuid(), typing: z.boolean() }),
      handle: async (who, req) => {
        const [c] = await db.query<{ visitor: string | null }>(
          `SELECT chat_visitor_id AS visitor FROM conversations WHERE tenant_id = $1 AND id = $2 AND channel = 'chat' AND holder_user_id = $3 AND state = 'active'`,
          [who.tenantId, req.conversationId, who.userId],
        );
        if (!c?.visitor) throw new CenterError('conflict', 'You do not hold this chat (it was closed or given to someone else).');
        nsp.to(visitorRoom(who.tenantId, c.visitor)).emit(VISITOR_EVENTS.agentTyping, { typing: req.typing });
        return null;
      },
    }),
  };
}
