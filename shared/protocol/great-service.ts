// Great service, shared: a supervisor marks an interaction as exceptional with a line of why; every
// desktop of the tenant shows it (praise is part of the VOC loop).
import { z } from 'zod';
import { IsoTime, Uuid } from '../domain/entities';
import { GREAT_SERVICE_WHY_MAX } from '../domain/field-limits';
import { refuseTextFaults } from '../domain/text-policy';

export { GREAT_SERVICE_WHY_MAX };

export const GreatService = z.object({
  id: Uuid,
  interactionId: Uuid,
  /** The agent who handled the interaction (username) and their display name; null if the interaction had none. */
  agent: z.string().nullable(),
  agentName: z.string().nullable(),
  queue: z.string().nullable(),
  /** The supervisor who marked it (display name). */
  markedBy: z.string(),
  why: z.string().min(1).max(GREAT_SERVICE_WHY_MAX),
  markedAt: IsoTime,
});
export type GreatService = z.infer<typeof GreatService>;

/** `greatService:mark` (supervisor/admin -> center, with ack -> GreatService). Audited; once per interaction (`conflict` after). */
export const MarkGreatServiceRequest = z.object({ interactionId: Uuid, why: z.string().trim().min(1).max(GREAT_SERVICE_WHY_MAX).superRefine(refuseTextFaults) });
export type MarkGreatServiceRequest = z.infer<typeof MarkGreatServiceRequest>;

/** `greatService:list` (any role -> center, with ack -> GreatServiceList): the tenant's most recent, newest first. */
export const ListGreatServiceRequest = z.object({ limit: z.number().int().min(1).max(50).optional() });
export const GreatServiceList = z.object({ items: z.array(GreatService) });
export type GreatServiceList = z.infer<typeof GreatServiceList>;
/** `greatService:shared` (center -> every desktop of the tenant): one newly marked interaction. */

/**
 * `improvement:shared` (center -> every desktop of the tenant, beside great service): an improvement
 * a department finished because of what customers said (VOC.md, step 10). `message` is the floor's
 * line, "Because customers told us: …".
 */
export const ImprovementShared = z.object({
  id: Uuid,
  title: z.string().min(1),
  change: z.string(),
  departmentId: z.string(),
  departmentName: z.string(),
  /** How many VOC items it answers. */
  voices: z.number().int().min(0),
  message: z.string().min(1),
  doneAt: IsoTime,
});
export type ImprovementShared = z.infer<typeof ImprovementShared>;

/** An improvement's steps, as the center keeps them (VOC.md, step 10). */
export const IMPROVEMENT_STATUSES = ['proposed', 'accepted', 'in_progress', 'done', 'declined'] as const;

/**
 * `improvement:changed` (center -> every desktop of the tenant): an improvement was proposed, moved on
 * or linked to more items; whoever shows improvements reads them again. Its id, step and department
 * only (no title: a desktop that may not read it learns nothing).
 */
export const ImprovementChanged = z.object({ id: Uuid, status: z.enum(IMPROVEMENT_STATUSES), departmentId: z.string() });
export type ImprovementChanged = z.infer<typeof ImprovementChanged>;
