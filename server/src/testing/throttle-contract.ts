// Test support: what every throttle store must do (auth/throttle.ts's takeStep, atomically), run
// against memory, PGlite, PostgreSQL and Redis by their own test files.
import { expect, it } from 'vitest';
import type { ThrottleRule, ThrottleStore } from '../auth/throttle';

const BUDGET: ThrottleRule = { max: 3, windowMs: 60_000, sliding: false, free: 1_000_000, baseDelayMs: 0, maxDelayMs: 0 };
const DELAYS: ThrottleRule = { max: 1_000_000, windowMs: 3_600_000, sliding: true, free: 2, baseDelayMs: 1_000, maxDelayMs: 4_000 };

export function throttleStoreContract(store: () => ThrottleStore): void {
  let n = 0;
  const key = () => `contract-${process.pid}-${Date.now()}-${++n}`;
  const T = 1_800_000_000_000;

  it('allows the budget within a window, refuses the next until the window ends, then starts again', async () => {
    const s = store();
    const k = key();
    for (let i = 0; i < 3; i++) expect(await s.take(k, BUDGET, T + i)).toEqual({ ok: true });
    expect(await s.take(k, BUDGET, T + 10_000)).toEqual({ ok: false, retryAfterMs: 50_000 });
    expect(await s.windowStart(k, BUDGET, T + 10_000)).toBe(T);
    expect(await s.take(k, BUDGET, T + 60_000)).toEqual({ ok: true });
    expect(await s.windowStart(k, BUDGET, T + 60_001)).toBe(T + 60_000);
  });

  it('makes each attempt past the free ones wait twice as long as the one before, up to the cap', async () => {
    const s = store();
    const k = key();
    expect(await s.take(k, DELAYS, T)).toEqual({ ok: true });
    expect(await s.take(k, DELAYS, T)).toEqual({ ok: true }); // the 2nd: from now on, waits
    expect(await s.take(k, DELAYS, T + 400)).toEqual({ ok: false, retryAfterMs: 600 });
    expect(await s.take(k, DELAYS, T + 1_000)).toEqual({ ok: true }); // 3rd: next wait 2 s
    expect(await s.take(k, DELAYS, T + 2_999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(await s.take(k, DELAYS, T + 3_000)).toEqual({ ok: true }); // 4th: 4 s
    expect(await s.take(k, DELAYS, T + 7_000)).toEqual({ ok: true }); // 5th: 8 s, capped at 4 s
    expect(await s.take(k, DELAYS, T + 10_999)).toEqual({ ok: false, retryAfterMs: 1 });
    expect(await s.take(k, DELAYS, T + 11_000)).toEqual({ ok: true });
  });

  it('does not refuse an attempt stamped a moment before the last one counted (clocks of nodes differ)', async () => {
    const s = store();
    const k = key();
    expect(await s.take(k, BUDGET, T + 5)).toEqual({ ok: true });
    expect(await s.take(k, BUDGET, T + 3)).toEqual({ ok: true });
  });

  it('counts parallel attempts one by one: exactly the budget passes', async () => {
    const s = store();
    const k = key();
    const verdicts = await Promise.all(Array.from({ length: 40 }, () => s.take(k, BUDGET, T)));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(3);
  });

  it('gives an attempt back (and lifts its wait), and forgets a cleared key', async () => {
    const s = store();
    const k = key();
    for (let i = 0; i < 3; i++) await s.take(k, BUDGET, T);
    await s.giveBack(k);
    expect(await s.take(k, BUDGET, T)).toEqual({ ok: true });
    expect((await s.take(k, BUDGET, T)).ok).toBe(false);
    await s.clear(k);
    expect(await s.windowStart(k, BUDGET, T)).toBeNull();
    expect(await s.take(k, BUDGET, T)).toEqual({ ok: true });
    const d = key();
    await s.take(d, DELAYS, T);
    await s.take(d, DELAYS, T);
    await s.giveBack(d);
    expect(await s.take(d, DELAYS, T + 1)).toEqual({ ok: true });
  });
}
