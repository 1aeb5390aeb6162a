// Retry delays for the sync engine: exponential, capped, with jitter so a floor of desktops
// coming back after an outage does not hit the center in lockstep.

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 30_000 };

/** Delay before retry number `attempt` (0-based): base·2^attempt capped, scaled into [50%, 100%]. */
export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exp = policy.baseMs * 2 ** Math.min(Math.max(attempt, 0), 30);
  const ceiling = Math.min(policy.capMs, exp);
  return Math.round(ceiling * (0.5 + random() * 0.5));
}
