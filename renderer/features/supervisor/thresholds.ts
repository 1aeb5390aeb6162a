// When a queue figure turns amber or red on the supervisor view: the center's per-queue thresholds
// (set by supervisors, `queue:thresholds`), the defaults until they arrive or where none are set.
import { DEFAULT_QUEUE_THRESHOLDS, QueueThresholds, queueLevels, type QueueLevels, type QueueThresholdsSet, type ThresholdLevel } from '../../../shared/protocol/index';

export type Level = ThresholdLevel;
export type { QueueLevels };
export { DEFAULT_QUEUE_THRESHOLDS, queueLevels };

export function thresholdsFor(set: QueueThresholdsSet | null, queue: string): QueueThresholds {
  return set?.queues[queue]?.thresholds ?? set?.defaults ?? DEFAULT_QUEUE_THRESHOLDS;
}

/** The editor works in whole percentages for the ratios; the wire in shares 0..1. */
export interface ThresholdsForm {
  waitingNow: { amber: string; red: string };
  longestWaitSec: { amber: string; red: string };
  serviceLevel: { amber: string; red: string };
  abandonRate: { amber: string; red: string };
}
const PERCENT = new Set<keyof ThresholdsForm>(['serviceLevel', 'abandonRate']);
export const FORM_FIELDS: Array<keyof ThresholdsForm> = ['waitingNow', 'longestWaitSec', 'serviceLevel', 'abandonRate'];

export function toForm(t: QueueThresholds): ThresholdsForm {
  const f = {} as ThresholdsForm;
  for (const k of FORM_FIELDS) {
    const scale = PERCENT.has(k) ? 100 : 1;
    f[k] = { amber: String(Math.round(t[k].amber * scale * 10) / 10), red: String(Math.round(t[k].red * scale * 10) / 10) };
  }
  return f;
}

/** Null when a field is not a number in range or red is not past amber (the center checks the same). */
export function fromForm(f: ThresholdsForm): QueueThresholds | null {
  const out = {} as Record<keyof ThresholdsForm, { amber: number; red: number }>;
  for (const k of FORM_FIELDS) {
    const scale = PERCENT.has(k) ? 100 : 1;
    const amber = Number(f[k].amber.trim());
    const red = Number(f[k].red.trim());
    if (f[k].amber.trim() === '' || f[k].red.trim() === '' || !Number.isFinite(amber) || !Number.isFinite(red)) return null;
    out[k] = PERCENT.has(k) ? { amber: amber / scale, red: red / scale } : { amber: Math.round(amber), red: Math.round(red) };
  }
  const parsed = QueueThresholds.safeParse(out);
  return parsed.success ? parsed.data : null;
}
