// Login throttling: a fixed budget of attempts per key within a sliding window, kept in memory.
export interface RateLimiter {
  /** Counts one attempt; false when the key has used its budget for the window. */
  take(key: string, now?: number): boolean;
  /** Forgets a key (after a successful login for the per-user budget). */
  reset(key: string): void;
  /** Milliseconds until `key` may try again (0 if it may now). */
  retryAfterMs(key: string, now?: number): number;
}

export function createRateLimiter(opts: { max: number; windowMs: number; maxKeys?: number }): RateLimiter {
  const hits = new Map<string, number[]>();
  const maxKeys = opts.maxKeys ?? 100_000;
  const fresh = (key: string, now: number): number[] => {
    const list = (hits.get(key) ?? []).filter((t) => now - t < opts.windowMs);
    if (list.length === 0) hits.delete(key);
    else hits.set(key, list);
    return list;
  };
  return {
    take(key, now = Date.now()) {
      const list = fresh(key, now);
      if (list.length >= opts.max) return false;
      // Bound memory against floods of distinct keys: drop the oldest key.
      if (!hits.has(key) && hits.size >= maxKeys) {
        const oldest = hits.keys().next().value;
        if (oldest !== undefined) hits.delete(oldest);
      }
      hits.set(key, [...list, now]);
      return true;
    },
    reset(key) {
      hits.delete(key);
    },
    retryAfterMs(key, now = Date.now()) {
      const list = fresh(key, now);
      if (list.length < opts.max) return 0;
      return Math.max(0, (list[0] ?? now) + opts.windowMs - now);
    },
  };
}
