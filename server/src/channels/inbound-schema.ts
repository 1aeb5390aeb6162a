// What a channel may hand to `inbound`, checked at the door: a mail or chat message that breaks these
// limits is refused with the reason (the channel tells the sender), and nothing is stored. Invisible
// control characters are removed rather than refused: what a customer already sent is never dropped for them.
import { z } from 'zod';
import { cleaned } from '../../../shared/domain/text-policy';
import { AttachmentMeta, WorkChannel } from '../../../shared/protocol';

/** The most text (and, separately, sanitised html) one inbound message may carry. */
export const INBOUND_TEXT_MAX_CHARS = 1_000_000;
const HEADER_MAX = 998; // RFC 5322's line limit
const Uuid = z.string().uuid();

export const InboundMessage = cleaned(
  z.object({
    tenantId: z.string().min(1).max(64),
    channel: WorkChannel,
    queue: z.string().min(1).max(64).optional(),
    identity: z
      .object({
        email: z.string().max(320).regex(/^[^\s@]+@[^\s@]+$/, 'an email address looks like name@domain').optional(),
        chatVisitorId: z.string().min(1).max(200).optional(),
        customerId: Uuid.optional(),
        displayName: z.string().max(200).optional(),
      })
      .refine((i) => i.email || i.chatVisitorId || i.customerId, 'a message needs who sent it: an email, a chat visitor id or a customer id'),
    subject: z.string().max(HEADER_MAX).optional(),
    text: z.string().max(INBOUND_TEXT_MAX_CHARS),
    html: z.string().max(INBOUND_TEXT_MAX_CHARS).nullable().optional(),
    headers: z
      .object({
        messageId: z.string().min(1).max(HEADER_MAX).optional(),
        inReplyTo: z.string().min(1).max(HEADER_MAX).optional(),
        references: z.array(z.string().min(1).max(HEADER_MAX)).max(100).optional(),
      })
      .optional(),
    attachments: z.array(AttachmentMeta).max(100).optional(),
    threadConversationId: Uuid.optional(),
  }),
);
