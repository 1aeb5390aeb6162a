// The desk's inbox in the DesktopApi: the chats and emails offered to or held by this agent, each with
// its messages as the center has them and the replies still kept on this computer, and the customer's pop.
import { z } from 'zod';
import { IsoTime, ScreenPop, Uuid } from '../domain/entities';
import { Conversation, ConversationMessage, REPLY_MAX_CHARS } from '../protocol/channels';

/** A reply written on this desktop that the center has not stored yet (shown as queued, or failed when refused). */
export const KeptReply = z.object({
  clientMutationId: Uuid,
  conversationId: Uuid,
  text: z.string(),
  createdAt: IsoTime,
  attempts: z.number().int().nonnegative(),
  /** Why the last try did not go through; null before any try. */
  lastError: z.string().nullable(),
  /** The center refused it for good (the conversation is held by someone else, or closed): it is not sent again. */
  refused: z.boolean(),
});
export type KeptReply = z.infer<typeof KeptReply>;

export const InboxItem = z.object({
  conversation: Conversation,
  /** As the center stored them, by seq (a reply's outbound state updated in place). */
  messages: z.array(ConversationMessage),
  /** This conversation's replies still in the desktop's outbox, in the order written. */
  kept: z.array(KeptReply),
  /** The customer's pop (card, history, open VOC items); null while it is being looked up or unknown. */
  pop: ScreenPop.nullable(),
});
export type InboxItem = z.infer<typeof InboxItem>;

/** Offered, active and wrap-up conversations, oldest first; `connected` false while the center is away. */
export const InboxView = z.object({
  items: z.array(InboxItem),
  connected: z.boolean(),
  /** Replies kept for conversations no longer in the inbox (taken by someone else, closed, requeued): shown so their text is not lost. */
  unsent: z.array(KeptReply),
});
export type InboxView = z.infer<typeof InboxView>;

export const ConversationRef = z.strictObject({ conversationId: Uuid });
export const ReplyInput = z.strictObject({
  conversationId: Uuid,
  text: z
    .string()
    .max(REPLY_MAX_CHARS)
    .refine((t) => t.trim().length > 0, 'a reply needs some text'),
});
export const FinishInput = z.strictObject({ conversationId: Uuid, to: z.enum(['wrap_up', 'closed']), disposition: z.string().min(1).max(64).optional() });

/** A kept mail attachment to download: its `ref` in the message's attachment list, and the name to save it under. */
export const AttachmentRequest = z.strictObject({
  ref: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'an attachment ref is the id its message names'),
  name: z.string().min(1).max(255),
});
export type AttachmentRequest = z.infer<typeof AttachmentRequest>;
/** The file as the center serves it (its type only when safe, else application/octet-stream), base64-encoded. */
export const AttachmentFile = z.object({ name: z.string(), contentType: z.string(), base64: z.string() });
export type AttachmentFile = z.infer<typeof AttachmentFile>;

/** Why an offer left the inbox without the agent's accept (timeout, declined, offline, requeued). */
export const ConversationWithdrawnEvent = z.object({ conversationId: Uuid, reason: z.enum(['timeout', 'declined', 'offline', 'requeued']) });
