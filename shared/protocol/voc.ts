// The VOC desk and follow-up calls on the wire (VOC.md): the desk's queue and one item's page, read
// from the center; pushes when items change or a deadline passes; the contact center's follow-up
// ("happy") call tasks. Moving an item is the `voc.act` mutation (sync.ts): it works offline.
import { z } from 'zod';
import { Customer, Interaction, IsoTime, Uuid, VocItem } from '../domain/entities';
import { DEADLINE_KINDS, VocActionName, VocPriority, VocStatus, VocType, type DeadlineKind, type FollowUpOutcome } from '../domain/voc';

const Slug = z.string().min(1).max(64);

/** `voc:queue` (staff, supervisor, admin -> center, with ack -> VocQueueResponse): the desk's list. */
export const VocQueueRequest = z.object({
  /** mine: my items; department: one of my departments (or all of them); all: every department (supervisors). */
  scope: z.enum(['mine', 'department', 'all']),
  departmentId: Slug.optional(),
  types: z.array(VocType).max(5).optional(),
  priorities: z.array(VocPriority).max(3).optional(),
  /** A catalogue topic or category (a category covers its topics). */
  topicId: Slug.optional(),
  /** Items nobody classified (free text only), for a supervisor to map. */
  unclassified: z.boolean().optional(),
  statuses: z.array(VocStatus).max(12).optional(),
  overdueOnly: z.boolean().optional(),
  /** The nearest running deadline within [dueFrom, dueTo). */
  dueFrom: IsoTime.optional(),
  dueTo: IsoTime.optional(),
  /** The `next` of the previous page. */
  after: z.string().max(200).nullable().optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export type VocQueueRequest = z.infer<typeof VocQueueRequest>;

export const VocQueueEntry = VocItem.extend({
  customerName: z.string().max(200).nullable(),
  /** The earliest running deadline, and whether any has passed (the desk's order: overdue first, then due). */
  nextDue: IsoTime.nullable(),
  overdue: z.boolean(),
});
export type VocQueueEntry = z.infer<typeof VocQueueEntry>;
export const VocQueueResponse = z.object({
  items: z.array(VocQueueEntry),
  /** Pass as `after` for the next page; null at the end. */
  next: z.string().max(200).nullable(),
  /** Overdue items in this scope (the desk's badge), whatever the other filters. */
  overdueCount: z.number().int().nonnegative(),
});
export type VocQueueResponse = z.infer<typeof VocQueueResponse>;

/** `voc:item` (any role that may see it -> center, with ack -> VocItemPage). */
export const VocItemRequest = z.object({ id: Uuid });
export const VocHistoryEntry = z.object({
  at: IsoTime,
  /** Display name of who did it, or "Earshot center" for the center's own moves. */
  by: z.string().max(200),
  action: z.string().max(64),
  from: VocStatus.nullable(),
  to: VocStatus,
  reason: z.string().max(4_000).nullable(),
});
export type VocHistoryEntry = z.infer<typeof VocHistoryEntry>;
export const VocItemPage = z.object({
  item: VocItem,
  history: z.array(VocHistoryEntry),
  customer: Customer,
  /** The contact the item came from. */
  contact: Interaction.nullable(),
  /** What this person may do to it now (shared/domain/voc.ts availableVocActions). */
  actions: z.array(VocActionName),
});
export type VocItemPage = z.infer<typeof VocItemPage>;

/** `voc:changed` (center -> desktops of the department, the owner, the raiser): refresh the desk. */
export const VocChanged = z.object({ id: Uuid, number: z.string().nullable(), status: VocStatus, departmentId: Slug.nullable(), ownerUserId: Uuid.nullable() });
export type VocChanged = z.infer<typeof VocChanged>;

/** `voc:overdue` (center -> the owner, the department's lead, and every supervisor for urgent or safety items). */
export const VocOverdue = z.object({
  id: Uuid,
  number: z.string().nullable(),
  deadline: z.enum(DEADLINE_KINDS),
  priority: VocPriority,
  safety: z.boolean(),
  departmentId: Slug.nullable(),
  dueAt: IsoTime,
});
export type VocOverdue = z.infer<typeof VocOverdue>;
export type { DeadlineKind };

// ---------- follow-up calls ----------

export const FollowUpTask = z.object({
  id: Uuid,
  vocId: Uuid,
  number: z.string().nullable(),
  customerId: Uuid,
  customerName: z.string().max(200),
  /** The number to call (the customer's first phone), null when they have none. */
  phone: z.string().max(64).nullable(),
  type: VocType,
  topic: z.string().max(200),
  result: z.string().max(4_000).nullable(),
  remedy: z.string().max(4_000).nullable(),
  dueAt: IsoTime,
  attempts: z.number().int().nonnegative(),
  maxAttempts: z.number().int().positive(),
  state: z.enum(['open', 'calling']),
  /** Who is calling now (state calling). */
  claimedBy: z.string().max(200).nullable(),
});
export type FollowUpTask = z.infer<typeof FollowUpTask>;

/** `voc:followUps` (agent, supervisor -> center, with ack -> { tasks }): due now or soon, oldest first. */
export const FollowUpListRequest = z.object({ limit: z.number().int().min(1).max(200).optional() });
export const FollowUpList = z.object({ tasks: z.array(FollowUpTask) });
export type FollowUpList = z.infer<typeof FollowUpList>;
/** `voc:followUpCall` (agent -> center): claim the task and place the call through the CTI; the pop follows as for any call. */
export const FollowUpCallRequest = z.object({ id: Uuid });
export const FollowUpCallResponse = z.object({ interactionId: Uuid });
/** `voc:followUpReschedule` (agent, supervisor -> center). */
export const FollowUpRescheduleRequest = z.object({ id: Uuid, at: IsoTime });
/** `voc:followUpSkip` (agent, supervisor -> center): not now; back in the list after the retry delay. */
export const FollowUpSkipRequest = z.object({ id: Uuid, reason: z.string().trim().min(1).max(1_000) });
/** The outcome of a follow-up call is the `voc.act` mutation `followUpOutcome` (it works offline). */
export type { FollowUpOutcome };
