// The web chat widget <-> center messages (server/src/channels/chat): a visitor's session, what they send
// and what they are sent. A visitor is not an Earshot user: they hold a visitor token from
// POST /chat/session and speak on the socket.io namespace `/visitor` only.
import { z } from 'zod';
import { cleaned } from '../domain/text-policy';

/** The longest chat message a visitor may send (characters). */
export const CHAT_TEXT_MAX = 4000;

/**
 * Who the visitor is, as the tenant's site vouches: signed there with the tenant's chat identity
 * secret (HMAC-SHA256 of `chatIdentityPayload`, hex). Without it the visitor stays provisional.
 */
export const ChatSiteIdentity = z.strictObject({
  externalId: z.string().min(1).max(200),
  email: z.string().max(320).regex(/^[^\s@]+@[^\s@]+$/, 'an email address looks like name@domain').optional(),
  name: z.string().min(1).max(200).optional(),
  /** Seconds since the epoch when the site signed it: accepted for 10 minutes. */
  ts: z.number().int().positive(),
  sig: z.string().regex(/^[0-9a-f]{64}$/, 'sig is the HMAC-SHA256 in hex (64 characters)'),
});
export type ChatSiteIdentity = z.infer<typeof ChatSiteIdentity>;

/** What the site signs: the fields in this order, one per line (an absent one is empty). */
export const chatIdentityPayload = (i: Pick<ChatSiteIdentity, 'externalId' | 'email' | 'name' | 'ts'>): string =>
  [i.externalId, i.email ?? '', i.name ?? '', String(i.ts)].join('\n');

export const ChatSessionRequest = cleaned(
  z.strictObject({
    tenant: z.string().min(1).max(64),
    /** A name the visitor typed (not verified). */
    name: z.string().min(1).max(200).optional(),
    identity: ChatSiteIdentity.optional(),
  }),
);
export type ChatSessionRequest = z.infer<typeof ChatSessionRequest>;

export const ChatSessionResponse = z.object({ visitorId: z.string(), token: z.string(), verified: z.boolean(), expiresAt: z.string() });
export type ChatSessionResponse = z.infer<typeof ChatSessionResponse>;

export const VISITOR_EVENTS = {
  send: 'chat:send',
  typing: 'chat:typing',
  catchUp: 'chat:catchUp',
  transcript: 'chat:transcript',
  message: 'chat:message',
  agentTyping: 'chat:agentTyping',
} as const;

export const VisitorSend = cleaned(z.strictObject({ clientMessageId: z.string().uuid(), text: z.string().trim().min(1).max(CHAT_TEXT_MAX) }));
export type VisitorSend = z.infer<typeof VisitorSend>;

export const VisitorTyping = z.strictObject({ typing: z.boolean() });
export const VisitorCatchUp = z.strictObject({ afterSeq: z.number().int().min(0) });

/** The most transcript mails one conversation may send (every attempt counts). */
export const TRANSCRIPTS_PER_CONVERSATION = 3;

/**
 * Whether the visitor may have the conversation emailed ("Email me this conversation"): only when the
 * tenant has an outgoing mail server and an agent has answered; the address to prefill is the one the
 * tenant's site signed (a verified identity), else null; how many of the conversation's sends are left.
 */
export const TranscriptOffer = z.object({ available: z.boolean(), email: z.string().nullable(), remaining: z.number().int().min(0) });
export type TranscriptOffer = z.infer<typeof TranscriptOffer>;

/** `chat:catchUp`'s ack value: the visitor's latest conversation, its messages after `afterSeq`, and the transcript offer. */
export const VisitorCatchUpResult = z.object({ conversationId: z.string().nullable(), messages: z.array(z.lazy(() => ChatMessage)), transcript: TranscriptOffer });
export type VisitorCatchUpResult = z.infer<typeof VisitorCatchUpResult>;

/**
 * `chat:transcript`: email the visitor's own latest conversation (visitor and agent messages, with
 * times, in `lang`, times in `timeZone` (an IANA name; UTC when absent or unknown)) to `email`, through the
 * tenant's outgoing mail server. Ack `{ ok: true, value: TranscriptSent }`, or an error: `forbidden`
 * (not available on this site), `not_found` (nothing an agent answered yet), `rate_limited` (the
 * conversation's sends are used up, or one was sent moments ago), `bad_request` (not an address),
 * `internal` (the tenant's mail server did not take it).
 */
export const VisitorTranscript = z.strictObject({
  email: z.email('an email address looks like name@example.com').max(254),
  lang: z.enum(['en', 'ko']).default('en'),
  timeZone: z.string().max(64).optional(),
});
export type VisitorTranscript = z.infer<typeof VisitorTranscript>;
export const TranscriptSent = z.object({ sent: z.literal(true), remaining: z.number().int().min(0) });
export type TranscriptSent = z.infer<typeof TranscriptSent>;

/** One message of the visitor's conversation as the widget shows it. */
export const ChatMessage = z.object({
  conversationId: z.string(),
  seq: z.number().int(),
  from: z.enum(['visitor', 'agent']),
  /** The agent's display name, or the visitor's. */
  author: z.string(),
  text: z.string(),
  at: z.string(),
  /** The visitor's own id for a message they sent (so the widget matches its pending copy). */
  clientMessageId: z.string().nullable(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;
