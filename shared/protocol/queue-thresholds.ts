// Per-queue alert thresholds for the supervisor view and the wallboard: when a figure turns amber or
// red. Set per queue by a supervisor or admin and stored at the center; DEFAULT_QUEUE_THRESHOLDS when unset.
import { z } from 'zod';

export type ThresholdLevel = 'ok' | 'amber' | 'red';

const Limits = <T extends z.ZodNumber>(n: T) => z.object({ amber: n, red: n });
const Share = z.number().min(0).max(1);
const Seconds = z.number().int().min(0).max(86_400);
const Calls = z.number().int().min(0).max(100_000);

/** Waiting, longest wait and abandon rate turn amber/red ABOVE their limits; service level BELOW its. */
export const QueueThresholds = z
  .object({
    waitingNow: Limits(Calls),
    longestWaitSec: Limits(Seconds),
    serviceLevel: Limits(Share),
    abandonRate: Limits(Share),
  })
  .refine((t) => t.waitingNow.red >= t.waitingNow.amber && t.longestWaitSec.red >= t.longestWaitSec.amber && t.abandonRate.red >= t.abandonRate.amber, {
    message: 'red must be at or above amber for waiting, longest wait and abandon rate',
  })
  .refine((t) => t.serviceLevel.red <= t.serviceLevel.amber, { message: 'the service level turns red at or below where it turns amber' });
export type QueueThresholds = z.infer<typeof QueueThresholds>;

export const DEFAULT_QUEUE_THRESHOLDS: QueueThresholds = {
  waitingNow: { amber: 5, red: 10 },
  longestWaitSec: { amber: 60, red: 120 },
  serviceLevel: { amber: 0.8, red: 0.6 },
  abandonRate: { amber: 0.05, red: 0.1 },
};

/**
 * `queue:thresholds` (center -> the tenant's supervisors; also the ack of the two requests below):
 * the thresholds in force for every queue of the tenant (`custom` false: the defaults).
 */
export const QueueThresholdsSet = z.object({
  defaults: QueueThresholds,
  queues: z.record(z.string(), z.object({ thresholds: QueueThresholds, custom: z.boolean() })),
});
export type QueueThresholdsSet = z.infer<typeof QueueThresholdsSet>;

/** `queue:getThresholds` (supervisor/admin -> center, with ack -> QueueThresholdsSet). */
export const GetQueueThresholdsRequest = z.object({}).strict();
/** `queue:setThresholds` (supervisor/admin -> center, with ack -> QueueThresholdsSet): null restores the defaults. Audited. */
export const SetQueueThresholdsRequest = z.object({ queue: z.string().min(1).max(64), thresholds: QueueThresholds.nullable() });
export type SetQueueThresholdsRequest = z.infer<typeof SetQueueThresholdsRequest>;

export const levelAbove = (value: number | null, l: { amber: number; red: number }): ThresholdLevel =>
  value === null ? 'ok' : value > l.red ? 'red' : value > l.amber ? 'amber' : 'ok';
export const levelBelow = (value: number | null, l: { amber: number; red: number }): ThresholdLevel =>
  value === null ? 'ok' : value < l.red ? 'red' : value < l.amber ? 'amber' : 'ok';

export interface QueueLevels {
  waitingNow: ThresholdLevel;
  longestWait: ThresholdLevel;
  serviceLevel: ThresholdLevel;
  abandonRate: ThresholdLevel;
}

/** The colour of each figure of a queue; a ratio with no calls behind it (null) is never flagged. */
export function queueLevels(f: { waitingNow: number; longestWaitSec: number; serviceLevel: number | null; abandonRate: number | null }, t: QueueThresholds): QueueLevels {
  return {
    waitingNow: levelAbove(f.waitingNow, t.waitingNow),
    longestWait: levelAbove(f.longestWaitSec, t.longestWaitSec),
    serviceLevel: levelBelow(f.serviceLevel, t.serviceLevel),
    abandonRate: levelAbove(f.abandonRate, t.abandonRate),
  };
}

export interface ChannelLevels {
  waitingNow: ThresholdLevel;
  longestWait: ThresholdLevel;
}

/**
 * The colour of a queue's chat or email figures. A chat's visitor waits at the widget as a caller waits
 * on the line, so chats are held to the queue's waiting and longest-wait limits; an email is answered
 * in hours, not seconds, and has no limits of its own yet, so its figures are never flagged.
 */
export function channelLevels(channel: 'chat' | 'email', f: { waitingNow: number; longestWaitSec: number }, t: QueueThresholds): ChannelLevels {
  if (channel === 'email') return { waitingNow: 'ok', longestWait: 'ok' };
  return { waitingNow: levelAbove(f.waitingNow, t.waitingNow), longestWait: levelAbove(f.longestWaitSec, t.longestWaitSec) };
}
