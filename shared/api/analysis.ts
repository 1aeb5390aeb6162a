// The VOC analysis as the renderer sees it (VOC.md step 9): the center's topic × type matrix and
// figures for a period (and the previous one of the same length), and a cell's items a page at a
// time. Read from the center over HTTPS with the session's token; nothing is kept on this computer.
import { z } from 'zod';
import { CHANNELS, IsoTime, Tier, Uuid } from '../domain/entities';
import { VocStatus, VocType } from '../domain/voc';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is a date like 2026-10-01');

const Slug = z.string().min(1).max(64);

/**
 * The period (days, inclusive, in the tenant's time zone; the center's default is the last 90 days)
 * and the scope (department, queue, channel, value tier; none: the whole tenant); `split: 'tier'`
 * splits the matrix by value tier.
 */
export const AnalysisRequest = z.strictObject({
  from: Day.optional(),
  to: Day.optional(),
  department: Slug.optional(),
  queue: Slug.optional(),
  channel: z.enum(CHANNELS).optional(),
  /** "none": customers with no value tier known. */
  tier: z.union([Tier, z.literal('none')]).optional(),
  split: z.literal('tier').optional(),
});
export type AnalysisRequest = z.infer<typeof AnalysisRequest>;

export const AnalysisPeriod = z.object({ from: Day, to: Day, days: z.number().int().positive() });
export type AnalysisPeriod = z.infer<typeof AnalysisPeriod>;

const Rate = z.number().min(0).max(1).nullable();
const Outcome = z.object({ onTime: z.number().int(), late: z.number().int(), missed: z.number().int(), rate: Rate });

export const AnalysisMatrix = z.object({
  period: AnalysisPeriod,
  previous: AnalysisPeriod,
  /** 'tier': one cell per topic × type × value tier (the tier as when the item was raised). */
  split: z.literal('tier').nullable().default(null),
  topics: z.array(z.object({ id: z.string().nullable(), name: z.string() })),
  types: z.array(VocType),
  cells: z.array(
    z.object({
      topicId: z.string().nullable(),
      type: VocType,
      /** Only when split by tier; null: no tier known. */
      tier: z.string().nullable().optional(),
      count: z.number().int(),
      previous: z.number().int(),
    }),
  ),
});
export type AnalysisMatrix = z.infer<typeof AnalysisMatrix>;

/** The headline figures of a set of items: the whole scope, or one value tier of it. */
export const AnalysisSummary = z.object({
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
});
export type AnalysisSummary = z.infer<typeof AnalysisSummary>;

const Count = z.number().int().min(0);

export const AnalysisFigures = AnalysisSummary.extend({
  /** Every week (its Monday) that meets the period, empty weeks as zeros; the first and last may be partial. */
  weekly: z.array(z.object({ week: Day, inquiry: Count, complaint: Count, praise: Count, suggestion: Count, want_slip: Count })),
  /** Topics with at least `risingRule.minCount` items this period, ranked by the increase over the previous period. */
  rising: z.array(z.object({ topicId: z.string().nullable(), count: Count, previous: Count, change: z.number().int() })),
  risingRule: z.object({ minCount: z.number().int().positive(), limit: z.number().int().positive() }),
  compliance: z.array(z.object({ departmentId: z.string().nullable(), acknowledge: Outcome, resolve: Outcome, notify: Outcome })),
  /** The summary per value tier (null: none known), most items first. */
  byTier: z.array(AnalysisSummary.extend({ tier: z.string().nullable() })),
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
