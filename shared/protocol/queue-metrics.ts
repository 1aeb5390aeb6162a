// The live queue metrics as supervisors receive them (`queue:metrics`), and the diff that carries
// only what changed in a once-a-second push; supervisors apply pushes with applyDiff. Also the
// stored 15-minute trends (`queue:trends`).
import { z } from 'zod';
import { IsoTime } from '../domain/entities';
import { ChannelsOfQueue } from './channels';

export const SERVICE_LEVEL_FORMULAS = {
  /** Abandons count against the service level. */
  abandons_count_against: 'answered_within_T / (answered + abandoned)',
  /** Callers who hung up within T are not held against it. */
  early_abandons_ignored: 'answered_within_T / (answered + abandoned_after_T)',
  /** Only answered calls are measured. */
  abandons_excluded: 'answered_within_T / answered',
} as const;
export type ServiceLevelFormula = keyof typeof SERVICE_LEVEL_FORMULAS;
export const ServiceLevelFormula = z.enum(Object.keys(SERVICE_LEVEL_FORMULAS) as [ServiceLevelFormula, ...ServiceLevelFormula[]]);

const Count = z.number().int().nonnegative();
/** Null when the figure has no calls to be computed from (e.g. ASA with nothing answered). */
const Ratio = z.number().min(0).max(1).nullable();
const Sec = z.number().nonnegative().nullable();

/** The counted figures of a period (the rolling window, since midnight, or one 15-minute bucket). */
export const PeriodFigures = z.object({
  /** Start of the period (ISO, UTC). */
  from: z.string(),
  offered: Count,
  answered: Count,
  /** Callers who hung up before an answer after waiting at least the short-abandon threshold. */
  abandoned: Count,
  /** Hung up sooner than the short-abandon threshold: counted here only. */
  shortAbandoned: Count,
  abandonedAfterT: Count,
  answeredWithinT: Count,
  serviceLevel: Ratio,
  /** Average speed of answer: queue entry to answer. */
  asaSec: Sec,
  /** Calls whose handling (talk, hold and wrap-up) finished in the period. */
  handled: Count,
  /** Average handle time = talk + hold + wrap-up, over `handled`. */
  ahtSec: Sec,
  avgTalkSec: Sec,
  avgHoldSec: Sec,
  avgWrapUpSec: Sec,
  /** abandoned / offered. */
  abandonRate: Ratio,
  /** handle time / (handle time + available idle time) of the queue's agents. */
  occupancy: Ratio,
});
export type PeriodFigures = z.infer<typeof PeriodFigures>;

export const AgentInQueue = z.object({
  state: z.string(),
  reason: z.string().nullable(),
  since: z.string(),
  timeInStateSec: Count,
});

export const QueueMetrics = z.object({
  queue: z.string(),
  /** The instant these figures describe (ISO). */
  at: z.string(),
  timeZone: z.string(),
  serviceLevel: z.object({ formula: ServiceLevelFormula, expression: z.string(), thresholdSec: z.number().nonnegative() }),
  shortAbandonSec: z.number().nonnegative(),
  windowMin: z.number().positive(),
  waitingNow: Count,
  /** How long the oldest call in the queue has waited; 0 when none waits. */
  longestWaitSec: Count,
  /** The rolling window ending now. */
  window: PeriodFigures,
  /** Since local midnight in the tenant's time zone. */
  today: PeriodFigures,
  /** 15-minute buckets since local midnight, keyed by the bucket's start (ISO), for trend charts. */
  buckets: z.record(z.string(), PeriodFigures),
  agentsByState: z.record(z.string(), Count),
  /** The queue's agents (those serving it), by username. */
  agents: z.record(z.string(), AgentInQueue),
  /** Chats and emails of the queue (channels.ts); absent from a center without them. */
  channels: ChannelsOfQueue.optional(),
});
export type QueueMetrics = z.infer<typeof QueueMetrics>;

/** What changed between two snapshots: nested changed values, and the paths of removed keys. */
export const MetricsDiff = z.object({
  changed: z.record(z.string(), z.unknown()),
  removed: z.array(z.array(z.string())),
});
export type MetricsDiff = z.infer<typeof MetricsDiff>;

/**
 * `queue:metrics` (center -> the tenant's supervisors, once a second when something changed):
 * `full` (a snapshot per queue) right after a supervisor connects, then `diff`s from the previous push.
 */
export const QueueMetricsPush = z.union([
  z.object({ kind: z.literal('full'), at: IsoTime, queues: z.record(z.string(), QueueMetrics) }),
  z.object({ kind: z.literal('diff'), at: IsoTime, diff: MetricsDiff }),
]);
export type QueueMetricsPush = z.infer<typeof QueueMetricsPush>;

/** `queue:trends` (supervisor/admin -> center, with ack -> QueueTrendsResponse): stored 15-minute buckets. */
export const QueueTrendsRequest = z.object({
  queue: z.string().min(1).max(64).optional(),
  from: IsoTime,
  to: IsoTime,
});
export type QueueTrendsRequest = z.infer<typeof QueueTrendsRequest>;
/** One queue's figures for the 15 minutes starting at `figures.from`. */
export const QueueTrendBucket = z.object({ queue: z.string(), figures: PeriodFigures });
export const QueueTrendsResponse = z.object({ buckets: z.array(QueueTrendBucket) });
export type QueueTrendsResponse = z.infer<typeof QueueTrendsResponse>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether two pieces of wire data say the same thing, as their JSON texts would, key order aside (a
 * key holding undefined counts as absent), without building the strings: the metrics diff and the
 * supervisor's store compare every queue and agent of every push.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k in x) {
    if (!Object.prototype.hasOwnProperty.call(x, k) || x[k] === undefined) continue;
    keys++;
    if (!sameJson(x[k], y[k])) return false;
  }
  for (const k in y) if (Object.prototype.hasOwnProperty.call(y, k) && y[k] !== undefined) keys--;
  return keys === 0;
}

/** Only what changed from `prev` to `next` (plain JSON objects); null when nothing did. */
export function diff(prev: object, next: object): MetricsDiff | null {
  const removed: string[][] = [];
  const walk = (a: JsonObject, b: JsonObject, path: string[]): JsonObject | undefined => {
    const out: JsonObject = {};
    let any = false;
    for (const key of Object.keys(a)) if (!(key in b)) removed.push([...path, key]);
    for (const [key, value] of Object.entries(b)) {
      const before = a[key];
      if (isObject(before) && isObject(value)) {
        const inner = walk(before, value, [...path, key]);
        if (inner) {
          out[key] = inner;
          any = true;
        }
      } else if (!(key in a) || !sameJson(before, value)) {
        out[key] = value;
        any = true;
      }
    }
    return any ? out : undefined;
  };
  const changed = walk(prev as JsonObject, next as JsonObject, []);
  if (!changed && removed.length === 0) return null;
  return { changed: changed ?? {}, removed };
}

/** Applies a diff to the snapshot it was made from (what a supervisor's desktop does with each push). */
export function applyDiff<T extends object>(prev: T, d: MetricsDiff | null): T {
  const next = structuredClone(prev) as unknown as JsonObject;
  if (!d) return next as unknown as T;
  const merge = (target: JsonObject, changes: JsonObject): void => {
    for (const [key, value] of Object.entries(changes)) {
      const current = target[key];
      if (isObject(value) && isObject(current)) merge(current, value);
      else target[key] = structuredClone(value);
    }
  };
  merge(next, d.changed as JsonObject);
  for (const path of d.removed) {
    let at: Json | undefined = next;
    for (const key of path.slice(0, -1)) at = isObject(at) ? at[key] : undefined;
    const last = path[path.length - 1];
    if (isObject(at) && last !== undefined) delete at[last];
  }
  return next as unknown as T;
}
