// Fix and retry, or discard, a mutation the center refused for good (issue 6, item 7): the shapes the
// DesktopApi methods `getRejectedMutation`, `retryRejectedMutation` and `discardRejectedMutation` use.
import { z } from 'zod';
import { IsoTime, Note, Uuid } from '../domain/entities';
import { VocCreateArgs } from '../protocol/sync';

/** What the agent may change before sending it again: a note's text, or a VOC item as the VOC form writes it. */
export const RejectedEdit = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('note'), ...Note.pick({ text: true }).shape }),
  z.strictObject({
    kind: z.literal('voc'),
    ...VocCreateArgs.pick({ type: true, topic: true, description: true, topicId: true, priority: true, safety: true, wants: true, resolvedOnContact: true }).shape,
  }),
]);
export type RejectedEdit = z.infer<typeof RejectedEdit>;

export const RejectedDetail = z.object({
  mutationId: Uuid,
  name: z.string(),
  reason: z.string(),
  rejectedAt: IsoTime,
  /** What was refused, as it can be edited; null when it can only be discarded (e.g. a disposition). */
  editable: RejectedEdit.nullable(),
});
export type RejectedDetail = z.infer<typeof RejectedDetail>;

/** The retry was queued as a new mutation under this id (the refused one leaves the list). */
export const RejectedRetried = z.object({ mutationId: Uuid });
export type RejectedRetried = z.infer<typeof RejectedRetried>;
