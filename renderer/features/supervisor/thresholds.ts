// When a queue figure turns amber or red on the supervisor view; per-queue overrides over defaults.
export type Level = 'ok' | 'amber' | 'red';

export interface QueueThresholds {
  /** Service level below these shares turns amber / red. */
  serviceLevel: { amber: number; red: number };
  /** Longest wait above these seconds turns amber / red. */
  longestWaitSec: { amber: number; red: number };
}

export const DEFAULT_THRESHOLDS: QueueThresholds = {
  serviceLevel: { amber: 0.8, red: 0.6 },
  longestWaitSec: { amber: 60, red: 120 },
};

/** Queues that deserve stricter or looser limits than the defaults, by queue id. */
export const QUEUE_THRESHOLDS: Record<string, Partial<QueueThresholds>> = {};

export function thresholdsFor(queue: string, overrides: Record<string, Partial<QueueThresholds>> = QUEUE_THRESHOLDS): QueueThresholds {
  return { ...DEFAULT_THRESHOLDS, ...overrides[queue] };
}

/** A service level with no calls behind it (null) is not a problem to flag. */
export function serviceLevelLevel(value: number | null, t: QueueThresholds): Level {
  if (value === null) return 'ok';
  if (value < t.serviceLevel.red) return 'red';
  return value < t.serviceLevel.amber ? 'amber' : 'ok';
}

export function longestWaitLevel(seconds: number, t: QueueThresholds): Level {
  if (seconds > t.longestWaitSec.red) return 'red';
  return seconds > t.longestWaitSec.amber ? 'amber' : 'ok';
}
