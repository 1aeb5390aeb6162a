// The VOC analysis as the renderer sees it (VOC.md step 9): the center's topic × type matrix and
// figures for a period (and the previous one of the same length), and a cell's items a page at a
// time. Read from the center over HTTPS with the session's token; nothing is kept on this computer.
import { z } from 'zod';
import { IsoTime, Uuid } from '../domain/entities';
import { VocStatus, VocType } from '../domain/voc';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is a date like 2026-10-01');

/** The period (days, inclusive, in the tenant's time zone); the center's default is the last 90 days. */
export const AnalysisRequest = z.strictObject({ from: Day.optional(), to: Day.optional() });
export type AnalysisRequest = z.infer<typeof AnalysisRequest>;

export const AnalysisPeriod = z.object({ from: Day, to: Day, days: z.number().int().positive() });
export type AnalysisPeriod = z.infer<typeof AnalysisPeriod>;

const Rate = z.number().min(0).max(1).nullable();
const Outcome = z.object({ onTime: z.number().int(), late: z.number().int(), missed: z.number().int(), rate: Rate });

export const AnalysisMatrix = z.object({
  period: AnalysisPeriod,
  previous: AnalysisPeriod,
  topics: z.array(z.object({ id: z.string().nullable(), name: z.string() })),
  types: z.array(VocType),
  cells: z.array(z.object({ topicId: z.string().nullable(), type: VocType, count: z.number().int(), previous: z.number().int() })),
});
export type AnalysisMatrix = z.infer<typeof AnalysisMatrix>;

export const AnalysisFigures = z.object({
  raised: z.number().int(),
  wantSlipShare: Rate,
  reopenRate: Rate,
  satisfaction: z.object({ satisfied: z.number().int(), answered: z.number().int(), rate: Rate }),
  raisedToTold: z.object({
    told: z.number().int(),
    medianMinutes: z.number().nullable(),
    p90Minutes: z.number().nullable(),
    /** The quantile lies in the open last bucket: read it as "at least". */
    beyondLastBucket: z.boolean(),
  }),
  compliance: z.array(z.object({ departmentId: z.string().nullable(), acknowledge: Outcome, resolve: Outcome, notify: Outcome })),
});
export type AnalysisFigures = z.infer<typeof AnalysisFigures>;

export const AnalysisView = z.object({ matrix: AnalysisMatrix, figures: AnalysisFigures });
export type AnalysisView = z.infer<typeof AnalysisView>;

export const AnalysisCellRequest = AnalysisRequest.extend({
  /** The cell's catalogue topic; "" for unclassified. */
  topic: z.string().max(64),
  type: VocType,
  /** The previous page's `next`. */
  after: z.string().min(1).max(200).optional(),
  limit: z.number().int().min(1).max(500).optional(),
});
export type AnalysisCellRequest = z.infer<typeof AnalysisCellRequest>;

/** A cell's item: what the list shows and the ids to go on to it (no customer names or text cross here). */
export const AnalysisCellItem = z.object({
  id: Uuid,
  number: z.string().nullable(),
  raisedAt: IsoTime,
  type: VocType,
  topicId: z.string().nullable(),
  status: VocStatus,
  departmentId: z.string().nullable(),
  customerId: Uuid,
  interactionId: Uuid.nullable(),
});
export type AnalysisCellItem = z.infer<typeof AnalysisCellItem>;

export const AnalysisCellPage = z.object({ items: z.array(AnalysisCellItem), next: z.string().max(200).nullable() });
export type AnalysisCellPage = z.infer<typeof AnalysisCellPage>;
