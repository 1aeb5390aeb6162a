// Improvements (VOC.md step 10) as the renderer sees them: what a department will change because
// customers told us, linked to the VOC items that asked for it, tracked proposed → accepted → in
// progress → done (or declined with a reason); once done, the customers to tell. Read from and sent
// to the center's `/api/improvements` over HTTPS with the session's token (server/src/voc/improvements-http.ts).
import { z } from 'zod';
import { IsoTime, Uuid } from '../domain/entities';
import { NotifyChannel, VocStatus, VocType } from '../domain/voc';
import { IMPROVEMENT_STATUSES, ImprovementShared } from '../protocol/great-service';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is a date like 2026-12-31');

export { IMPROVEMENT_STATUSES };
export const ImprovementStatus = z.enum(IMPROVEMENT_STATUSES);
export type ImprovementStatus = z.infer<typeof ImprovementStatus>;
/** Where each status may go next (the center's table; the desktop shows only these buttons). */
export const IMPROVEMENT_NEXT: Record<ImprovementStatus, readonly ImprovementStatus[]> = {
  proposed: ['accepted', 'declined'],
  accepted: ['in_progress', 'declined'],
  in_progress: ['done', 'declined'],
  done: [],
  declined: [],
};
/** Accepting and declining are decisions (supervisors, admins, the owning department's lead); the rest is the department's work. */
export const isDecision = (to: ImprovementStatus) => to === 'accepted' || to === 'declined';
export const isOpenImprovement = (s: ImprovementStatus) => s !== 'done' && s !== 'declined';

export const IMPROVEMENT_TITLE_MAX = 200;
export const IMPROVEMENT_CHANGE_MAX = 4_000;
export const IMPROVEMENT_REASON_MAX = 1_000;
/** Items linked at once, as the center allows. */
export const IMPROVEMENT_LINK_MAX = 5_000;

export const Improvement = z.object({
  id: Uuid,
  title: z.string(),
  change: z.string(),
  departmentId: z.string(),
  topicId: z.string().nullable(),
  targetDate: Day.nullable(),
  status: ImprovementStatus,
  declinedReason: z.string().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
  doneAt: IsoTime.nullable(),
  linked: z.number().int().nonnegative(),
  told: z.number().int().nonnegative(),
});
export type Improvement = z.infer<typeof Improvement>;

export const ImprovementItem = z.object({ id: Uuid, number: z.string().nullable(), type: VocType, topicId: z.string().nullable(), status: VocStatus, raisedAt: IsoTime, toldAt: IsoTime.nullable() });
export type ImprovementItem = z.infer<typeof ImprovementItem>;
export const ImprovementDetail = z.object({ improvement: Improvement, items: z.array(ImprovementItem) });
export type ImprovementDetail = z.infer<typeof ImprovementDetail>;

/** One customer to tell once the improvement is done, with their linked items and whether all are told. */
export const ImprovementCustomer = z.object({
  customerId: Uuid,
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  items: z.array(Uuid),
  numbers: z.array(z.string().nullable()),
  told: z.boolean(),
});
export type ImprovementCustomer = z.infer<typeof ImprovementCustomer>;

/** What the improvement answers: one item, a set of items, or every item of a matrix cell in a period. */
export const ImprovementSource = z.union([
  z.strictObject({ item: Uuid }),
  z.strictObject({ items: z.array(Uuid).min(1).max(IMPROVEMENT_LINK_MAX) }),
  z.strictObject({
    cell: z.strictObject({
      from: Day.optional(),
      to: Day.optional(),
      /** The analysis scope the matrix was shown for, if any (the center's AnalysisQuery). */
      department: z.string().max(64).optional(),
      queue: z.string().max(64).optional(),
      channel: z.string().max(32).optional(),
      tier: z.string().max(32).optional(),
      topic: z.string().max(64),
      type: VocType,
    }),
  }),
]);
export type ImprovementSource = z.infer<typeof ImprovementSource>;

export const CreateImprovementRequest = z.strictObject({
  title: z.string().trim().min(1).max(IMPROVEMENT_TITLE_MAX),
  change: z.string().trim().min(1).max(IMPROVEMENT_CHANGE_MAX),
  departmentId: z.string().min(1).max(64),
  topicId: z.string().min(1).max(64).nullable().optional(),
  targetDate: Day.nullable().optional(),
  from: ImprovementSource,
});
export type CreateImprovementRequest = z.infer<typeof CreateImprovementRequest>;

export const ImprovementListQuery = z.strictObject({
  department: z.string().max(64).optional(),
  topic: z.string().max(64).optional(),
  status: ImprovementStatus.optional(),
  open: z.boolean().optional(),
});
export type ImprovementListQuery = z.infer<typeof ImprovementListQuery>;

export const ImprovementStatusRequest = z.strictObject({ id: Uuid, status: ImprovementStatus, reason: z.string().trim().max(IMPROVEMENT_REASON_MAX).optional() });
export const ImprovementLinkRequest = z.strictObject({ id: Uuid, items: z.array(Uuid).min(1).max(IMPROVEMENT_LINK_MAX) });
export const ImprovementToldRequest = z.strictObject({ id: Uuid, items: z.array(Uuid).min(1).max(IMPROVEMENT_LINK_MAX), via: NotifyChannel });

/** Done improvements this desktop heard of (newest first), kept for the session: the floor's "Because customers told us". */
export const ImprovementsSharedList = z.object({ items: z.array(ImprovementShared) });
export type ImprovementsSharedList = z.infer<typeof ImprovementsSharedList>;
