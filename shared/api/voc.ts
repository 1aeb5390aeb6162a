// The VOC desk and follow-up calls as the renderer sees them (VOC.md): the catalogue and departments
// from the local store; the desk's queue, one item's page and the follow-up list as the center last
// answered them, with this desktop's steps still waiting to sync applied (`pendingSync`) and, when
// the center cannot be asked, the last answer kept on this computer (`offline`, `asOf`).
import { z } from 'zod';
import { Department, IsoTime, Queue, Uuid, VocTopic } from '../domain/entities';
import { FollowUpOutcome, VocActionArgs, VocStatus } from '../domain/voc';
import { FollowUpTask, VocActArgs, VocItemPage, VocQueueEntry, VocQueueRequest } from '../protocol/index';

/** Reference data for the VOC form and the desk: every topic (categories and topics) and department as last synced. */
/** The reference data the desktop last synced: the VOC catalogue, the departments, and the queues (their names and dispositions in each language). */
export const VocReference = z.object({ topics: z.array(VocTopic), departments: z.array(Department), queues: z.array(Queue).default([]) });
export type VocReference = z.infer<typeof VocReference>;

/** Where an answer came from: the center now, or (offline) the last answer this computer kept, and when it was given. */
const Freshness = { asOf: IsoTime, offline: z.boolean() };

export const DeskVocEntry = VocQueueEntry.extend({ pendingSync: z.boolean() });
export type DeskVocEntry = z.infer<typeof DeskVocEntry>;
export const VocDeskQueue = z.object({
  items: z.array(DeskVocEntry),
  next: z.string().max(200).nullable(),
  overdueCount: z.number().int().nonnegative(),
  ...Freshness,
});
export type VocDeskQueue = z.infer<typeof VocDeskQueue>;

/** One item's page; `actions` are those this person may take on the item as it now looks here. */
export const VocDeskItem = VocItemPage.extend({ pendingSync: z.boolean(), ...Freshness });
export type VocDeskItem = z.infer<typeof VocDeskItem>;

/** A follow-up task; `pendingOutcome`: this desktop recorded the call's outcome, not yet synced. */
export const DeskFollowUp = FollowUpTask.extend({ pendingOutcome: FollowUpOutcome.nullable() });
export type DeskFollowUp = z.infer<typeof DeskFollowUp>;
export const FollowUpDesk = z.object({ tasks: z.array(DeskFollowUp), ...Freshness });
export type FollowUpDesk = z.infer<typeof FollowUpDesk>;

/** A step was queued (the `voc.act` mutation); the item will be `status` once the center applies it. */
export const VocActQueued = z.object({ mutationId: Uuid, status: VocStatus });
export type VocActQueued = z.infer<typeof VocActQueued>;

/** The desk's queue request; a DesktopApi argument is strict. */
export const VocQueueQuery = VocQueueRequest.strict();

const STEP_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  VocActionArgs.options.map((o) => [o.shape.action.value, new Set(['id', 'expectedStatus', ...Object.keys(o.shape)])]),
);

/**
 * `voc.act`'s arguments exactly as the mutation carries them, refusing a key the step does not define
 * (a DesktopApi argument is strict, and a discriminated union of intersections cannot say so itself).
 */
export const VocActRequest = z.preprocess((input, ctx) => {
  if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
    const allowed = STEP_KEYS.get(String((input as { action?: unknown }).action));
    for (const key of allowed ? Object.keys(input) : []) {
      if (!allowed!.has(key)) ctx.addIssue({ code: 'custom', message: `"${key}" is not part of this step`, path: [key], input });
    }
  }
  return input;
}, VocActArgs);
