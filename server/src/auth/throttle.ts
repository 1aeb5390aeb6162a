// Attempt throttling (sign-in, lookups): counters with a budget per window and, past a free number of
// attempts, a growing wait between attempts. An attempt is counted BEFORE the work it guards (a
// password hash, a lookup), so parallel attempts cannot all slip through a check made first and a
// count made after. Each node counts in memory synchronously, at once; where nodes share a store
// (Redis, else the database: throttle-db.ts, cluster/redis-throttle.ts) the same rule is applied
// there atomically too, so several nodes share one budget instead of each having its own.

/** How a key's attempts are limited. */
export interface ThrottleRule {
  /** Attempts allowed within the window; more are refused until the window ends. */
  max: number;
  windowMs: number;
  /** true: the window restarts at every attempt (forgotten `windowMs` after the last); false: it runs from the first. */
  sliding: boolean;
  /** Attempts without a wait; from the `free`-th on, each must wait `baseDelayMs` × 2^(n − free) (at most `maxDelayMs`) after the previous one. */
  free: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** What a key's counter holds; times in ms since the epoch. */
export interface ThrottleState {
  count: number;
  nextAt: number;
  expiresAt: number;
}

export type Verdict = { ok: true } | { ok: false; retryAfterMs: number };

/** The wait after the n-th attempt of a window. */
export function delayAfter(rule: ThrottleRule, n: number): number {
  if (n < rule.free || rule.baseDelayMs <= 0) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(40, n - rule.free));
}

/**
 * One attempt on a counter: the verdict, and the counter's new state (unchanged when refused: a
 * refused attempt is not counted, so waiting out the delay is enough). The stores apply exactly this.
 */
export function takeStep(state: ThrottleState | null, rule: ThrottleRule, now: number): { verdict: Verdict; state: ThrottleState | null } {
  const live = state && state.expiresAt > now ? state : null;
  if (live && now < live.nextAt) return { verdict: { ok: false, retryAfterMs: live.nextAt - now }, state };
  if (live && live.count >= rule.max) return { verdict: { ok: false, retryAfterMs: live.expiresAt - now }, state };
  const count = (live?.count ?? 0) + 1;
  const expiresAt = live && !rule.sliding ? live.expiresAt : now + rule.windowMs;
  // No wait: nextAt 0, not `now` — a request counted a moment earlier on a clock a little behind
  // (another node, or one that took its time reaching the store) must not be refused for 1 ms.
  const delay = delayAfter(rule, count);
  return { verdict: { ok: true }, state: { count, nextAt: delay > 0 ? now + delay : 0, expiresAt } };
}

/** Where counters are kept. Each operation is atomic for its key. */
export interface ThrottleStore {
  take(key: string, rule: ThrottleRule, now: number): Promise<Verdict>;
  /** Takes one attempt back (it turned out not to be a failure) and lifts its wait. */
  giveBack(key: string): Promise<void>;
  /** Forgets the key. */
  clear(key: string): Promise<void>;
  /** When the key's current window began (its first counted attempt), or null without one. */
  windowStart(key: string, rule: ThrottleRule, now: number): Promise<number | null>;
}

/** Counters in this process's memory, at most `maxKeys` of them (the oldest key goes first). */
export class MemoryThrottle {
  private readonly counters = new Map<string, ThrottleState>();
  constructor(private readonly maxKeys = 100_000) {}

  take(key: string, rule: ThrottleRule, now: number): Verdict {
    const { verdict, state } = takeStep(this.counters.get(key) ?? null, rule, now);
    if (verdict.ok && state) {
      this.counters.delete(key); // re-inserted last: the Map's order is the eviction order
      if (this.counters.size >= this.maxKeys) {
        const oldest = this.counters.keys().next().value;
        if (oldest !== undefined) this.counters.delete(oldest);
      }
      this.counters.set(key, state);
    }
    return verdict;
  }
  giveBack(key: string): void {
    const s = this.counters.get(key);
    if (s) this.counters.set(key, { ...s, count: Math.max(0, s.count - 1), nextAt: 0 });
  }
  clear(key: string): void {
    this.counters.delete(key);
  }
  windowStart(key: string, rule: ThrottleRule, now: number): number | null {
    const s = this.counters.get(key);
    return s && s.expiresAt > now ? s.expiresAt - rule.windowMs : null;
  }
}

/** A ThrottleStore over memory (one node, and the tests' reference). */
export function memoryThrottleStore(maxKeys?: number): ThrottleStore {
  const m = new MemoryThrottle(maxKeys);
  return {
    take: async (key, rule, now) => m.take(key, rule, now),
    giveBack: async (key) => m.giveBack(key),
    clear: async (key) => m.clear(key),
    windowStart: async (key, rule, now) => m.windowStart(key, rule, now),
  };
}

/** One attempt taken: this node's verdict at once, and the shared store's (this node's when there is none). */
export interface Attempt {
  readonly now: Verdict;
  readonly settled: Promise<Verdict>;
}

/**
 * This node's memory first, synchronously, then the shared store (if any). `take` has counted the
 * attempt in memory when it returns, before the caller awaits anything, so no other request of this
 * node can slip in between the check and the count.
 */
export interface Throttle {
  take(key: string, rule: ThrottleRule): Attempt;
  giveBack(key: string): Promise<void>;
  clear(key: string): Promise<void>;
  windowStart(key: string, rule: ThrottleRule): Promise<number | null>;
}

export function createThrottle(shared: ThrottleStore | null, opts: { now?: () => number; onStoreError?: (err: unknown) => void } = {}): Throttle {
  const local = new MemoryThrottle();
  const now = opts.now ?? Date.now;
  // A shared store that fails (Redis or the database away) leaves this node's own count in force.
  const guard = async <T>(work: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      opts.onStoreError?.(err);
      return fallback;
    }
  };
  return {
    take(key, rule) {
      const t = now();
      const verdict = local.take(key, rule, t);
      const settled = !verdict.ok || !shared ? Promise.resolve(verdict) : guard(() => shared.take(key, rule, t), verdict);
      return { now: verdict, settled };
    },
    async giveBack(key) {
      local.giveBack(key);
      if (shared) await guard(() => shared.giveBack(key), undefined);
    },
    async clear(key) {
      local.clear(key);
      if (shared) await guard(() => shared.clear(key), undefined);
    },
    async windowStart(key, rule) {
      const t = now();
      return shared ? guard(() => shared.windowStart(key, rule, t), local.windowStart(key, rule, t)) : local.windowStart(key, rule, t);
    },
  };
}
