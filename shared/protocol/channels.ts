// Chats and emails as work items (CHANNELS.md): what the center pushes to an agent about a
// conversation, what the agent asks of it (accept, decline, reply, wrap up, close, catch up), and the
// per-channel figures supervisors see in each queue's metrics.
import { z } from 'zod';
import { IsoTime, ScreenPop, Uuid } from '../domain/entities';
import { NOTE_MAX_CHARS } from '../domain/field-limits';
import { policyText } from '../domain/text-policy';

export const WORK_CHANNELS = ['chat', 'email'] as const;
export const WorkChannel = z.enum(WORK_CHANNELS);
export type WorkChannel = z.infer<typeof WorkChannel>;
export const CONVERSATION_STATES = ['queued', 'offered', 'active', 'wrap_up', 'closed'] as const;
export const ConversationState = z.enum(CONVERSATION_STATES);
export type ConversationState = z.infer<typeof ConversationState>;
export const OUTBOUND_STATES = ['queued', 'sent', 'delivered', 'failed'] as const;
export const OutboundState = z.enum(OUTBOUND_STATES);
export type OutboundState = z.infer<typeof OutboundState>;

/**
 * What the center stores when a chat visitor gave no name: the messages' author and the provisional
 * customer's name. Stored words, not UI text: the desk shows its own translation in their place.
 */
export const CHAT_VISITOR_AUTHOR = 'visitor';
export const CHAT_VISITOR_CUSTOMER_NAME = 'Chat visitor';
/** The provisional customer's name for a mail whose sender gave neither a name nor an address the center could read. */
export const UNKNOWN_SENDER_NAME = 'Unknown sender';

/** The most an agent's reply may hold (text and html each); mail bodies a customer sends may be longer. */
export const REPLY_MAX_CHARS = NOTE_MAX_CHARS;

export const AttachmentMeta = z.object({
  name: z.string().max(255),
  contentType: z.string().max(255),
  size: z.number().int().nonnegative(),
  /** Where the channel keeps it; absent when it was dropped (`dropped` says why, and the agent is told). */
  ref: z.string().max(1000).optional(),
  dropped: z.string().max(300).optional(),
});
export type AttachmentMeta = z.infer<typeof AttachmentMeta>;

export const ConversationMessage = z.object({
  conversationId: Uuid,
  /** 1, 2, 3 … within the conversation: a reconnect asks for what follows the last one it has. */
  seq: z.number().int().positive(),
  direction: z.enum(['in', 'out']),
  author: z.string(),
  text: z.string(),
  /** Sanitised at store (allow-list); sanitise again when rendering. */
  html: z.string().nullable(),
  messageId: z.string().nullable(),
  inReplyTo: z.string().nullable(),
  references: z.array(z.string()).nullable(),
  /** An agent's reply: queued → sent → delivered, or failed (with `outboundError`); null for the customer's. */
  outboundState: OutboundState.nullable(),
  outboundError: z.string().nullable(),
  clientMutationId: Uuid.nullable(),
  attachments: z.array(AttachmentMeta),
  createdAt: IsoTime,
});
export type ConversationMessage = z.infer<typeof ConversationMessage>;

export const Conversation = z.object({
  id: Uuid,
  channel: WorkChannel,
  customerId: Uuid,
  /** The interactions row: the conversation in the customer's history, with notes, VOC items, disposition. */
  interactionId: Uuid,
  queue: z.string(),
  subject: z.string().nullable(),
  state: ConversationState,
  /** Username of the agent offered it or holding it; null while it waits. */
  agent: z.string().nullable(),
  offerExpiresAt: IsoTime.nullable(),
  createdAt: IsoTime,
  acceptedAt: IsoTime.nullable(),
  lastCustomerMessageAt: IsoTime.nullable(),
  firstResponseAt: IsoTime.nullable(),
  lastSeq: z.number().int().nonnegative(),
});
export type Conversation = z.infer<typeof Conversation>;

/**
 * `conversation:offered` (center -> the agent's room): accept (`conversation:accept`) before
 * `conversation.offerExpiresAt`, or it goes back to the queue. `customer` is the pop read when it was
 * offered, as a call's `caller` (absent when it could not be read: look the customer up by id).
 */
export const ConversationOffered = z.object({
  conversation: Conversation,
  /** The newest messages (at most 50), oldest first; fetch earlier ones with `conversation:fetch`. */
  messages: z.array(ConversationMessage),
  customer: z.object({ asOf: z.string().regex(/^\d{1,20}$/), pop: ScreenPop.nullable() }).optional(),
});
export type ConversationOffered = z.infer<typeof ConversationOffered>;

/** `conversation:withdrawn` (center -> the agent's room): an offer ended without their accept (timed out, or they went offline). */
export const ConversationWithdrawn = z.object({ conversationId: Uuid, reason: z.enum(['timeout', 'declined', 'offline', 'requeued']) });
export type ConversationWithdrawn = z.infer<typeof ConversationWithdrawn>;

/** `conversation:message` (center -> the room of the agent holding or offered it): a new message, or a reply's new outbound state (same seq). */
export const ConversationMessagePush = z.object({ message: ConversationMessage });

/** `conversation:accept`, `conversation:decline`, `conversation:wrapUp` (agent -> center, ack -> Conversation). */
export const ConversationRequest = z.object({ conversationId: Uuid });
export type ConversationRequest = z.infer<typeof ConversationRequest>;

/** `conversation:close` (agent -> center, ack -> Conversation): from active or wrap-up; a disposition code optional. */
export const CloseConversationRequest = z.object({ conversationId: Uuid, disposition: policyText(64).min(1).optional() });
export type CloseConversationRequest = z.infer<typeof CloseConversationRequest>;

/**
 * `conversation:reply` (agent -> center, ack -> ConversationMessage): stored once per
 * `clientMutationId` (a resend answers the message already stored), queued for its channel to send.
 */
export const ReplyRequest = z
  .object({
    conversationId: Uuid,
    clientMutationId: Uuid,
    text: policyText(REPLY_MAX_CHARS).refine((t) => t.trim().length > 0, 'a reply needs some text'),
    html: policyText(REPLY_MAX_CHARS).optional(),
  })
  .strict();
export type ReplyRequest = z.infer<typeof ReplyRequest>;

/** `conversation:fetch` (agent -> center, ack -> ConversationFetchResponse): messages after `afterSeq` (0: from the start). */
export const ConversationFetchRequest = z.object({ conversationId: Uuid, afterSeq: z.number().int().nonnegative(), limit: z.number().int().min(1).max(500).optional() });
export type ConversationFetchRequest = z.infer<typeof ConversationFetchRequest>;
export const ConversationFetchResponse = z.object({ conversation: Conversation, messages: z.array(ConversationMessage), more: z.boolean() });
export type ConversationFetchResponse = z.infer<typeof ConversationFetchResponse>;

/** `conversation:mine` (agent -> center, ack -> { conversations }): what they hold or are offered now, after a reconnect. */
export const MyConversationsRequest = z.object({}).strict();
export const MyConversationsResponse = z.object({ conversations: z.array(Conversation) });
export type MyConversationsResponse = z.infer<typeof MyConversationsResponse>;

/** One channel's figures in a queue's metrics (`QueueMetrics.channels`). */
export const ChannelQueueFigures = z.object({
  /** Queued or offered, not yet accepted. */
  waitingNow: z.number().int().nonnegative(),
  /** How long the oldest waiting one has waited; 0 when none waits. */
  longestWaitSec: z.number().int().nonnegative(),
  /** Open, held by agents (active or in wrap-up). */
  active: z.number().int().nonnegative(),
  /** Average from arrival to the first reply, over first replies in the last 30 minutes; null without any. */
  firstResponseSec: z.number().nonnegative().nullable(),
});
export type ChannelQueueFigures = z.infer<typeof ChannelQueueFigures>;
export const ChannelsOfQueue = z.object({ chat: ChannelQueueFigures, email: ChannelQueueFigures });
export type ChannelsOfQueue = z.infer<typeof ChannelsOfQueue>;

/** The most chats or emails an agent may be set to hold at once (queue_channel_settings checks the same). */
export const CAPACITY_MAX = 50;
const CapacityCount = z.number().int().min(1).max(CAPACITY_MAX);

/** One queue's setting for a channel: how many an agent holds at once, whether a call may still reach them. */
export const ChannelCapacitySetting = z.object({
  capacity: CapacityCount,
  interruptible: z.boolean(),
  /** False: the default (CHANNELS.md: chat 3, email 2 interruptible), nothing set for the queue. */
  custom: z.boolean(),
});
export type ChannelCapacitySetting = z.infer<typeof ChannelCapacitySetting>;
export const ChannelCapacities = z.object({ chat: ChannelCapacitySetting, email: ChannelCapacitySetting });
export type ChannelCapacities = z.infer<typeof ChannelCapacities>;

/**
 * `queue:capacities` (center -> the tenant's supervisors; also the ack of the two requests below):
 * every queue of the tenant with its chat and email capacity (voice is always 1 and exclusive).
 */
export const QueueCapacitiesSet = z.object({
  defaults: ChannelCapacities,
  queues: z.record(z.string(), ChannelCapacities),
});
export type QueueCapacitiesSet = z.infer<typeof QueueCapacitiesSet>;

/** `queue:getCapacities` (supervisor/admin -> center, with ack -> QueueCapacitiesSet). */
export const GetQueueCapacitiesRequest = z.object({}).strict();
/**
 * `queue:setCapacity` (supervisor/admin -> center, with ack -> QueueCapacitiesSet): one queue's chat or
 * email capacity (voice is refused: it stays 1 and exclusive); `interruptible` kept when absent. Audited;
 * routing uses it from its next pass, started at once.
 */
export const SetQueueCapacityRequest = z
  .object({
    queue: z.string().min(1).max(64),
    channel: z.enum(WORK_CHANNELS, { message: 'channel must be chat or email (a call is always one at a time)' }),
    capacity: z.number({ message: 'capacity must be a whole number' }).int('capacity must be a whole number').min(1, `capacity must be from 1 to ${CAPACITY_MAX}`).max(CAPACITY_MAX, `capacity must be from 1 to ${CAPACITY_MAX}`),
    interruptible: z.boolean().optional(),
  })
  .strict();
export type SetQueueCapacityRequest = z.infer<typeof SetQueueCapacityRequest>;
