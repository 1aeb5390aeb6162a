// Throttle counters: the rule (takeStep) in memory, in PGlite and in PostgreSQL; the node's own count
// taken synchronously; a failing shared store leaving the node's count in force.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { throttleStoreContract } from '../testing/throttle-contract';
import { createThrottle, memoryThrottleStore, type ThrottleRule, type ThrottleStore } from './throttle';
import { dbThrottleStore, pruneThrottleCounters } from './throttle-db';

describe('memory throttle store', () => throttleStoreContract(() => memoryThrottleStore()));

forEachDriver('database throttle store', ({ freshDatabase }) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
  });
  afterAll(async () => {
    await db?.close();
  });
  throttleStoreContract(() => dbThrottleStore(db));

  it('prunes counters whose window has ended', async () => {
    const s = dbThrottleStore(db);
    const rule: ThrottleRule = { max: 5, windowMs: 1_000, sliding: false, free: 5, baseDelayMs: 0, maxDelayMs: 0 };
    await s.take('prune-me', rule, 1_000);
    await s.take('keep-me', rule, 5_000);
    expect(await pruneThrottleCounters(db, 2_000)).toBeGreaterThanOrEqual(1);
    expect(await db.query(`SELECT key FROM throttle_counters WHERE key IN ('prune-me', 'keep-me')`)).toEqual([{ key: 'keep-me' }]);
  });
});

describe('throttle: this node first, then the shared store', () => {
  const rule: ThrottleRule = { max: 2, windowMs: 60_000, sliding: false, free: 2, baseDelayMs: 0, maxDelayMs: 0 };

  it('counts an attempt before the caller awaits anything', () => {
    const t = createThrottle(null);
    t.take('k', rule);
    t.take('k', rule);
    // No await between: a third attempt made in the same tick is already refused.
    expect(t.take('k', rule).now.ok).toBe(false);
  });

  it("asks the shared store only when this node's count allows, and keeps its own count if the store fails", async () => {
    let asked = 0;
    const failing: ThrottleStore = {
      ...memoryThrottleStore(),
      take: async () => {
        asked++;
        throw new Error('store away');
      },
    };
    const errors: unknown[] = [];
    const t = createThrottle(failing, { onStoreError: (e) => errors.push(e) });
    expect(await t.take('k', rule).settled).toEqual({ ok: true });
    expect(await t.take('k', rule).settled).toEqual({ ok: true });
    expect((await t.take('k', rule).settled).ok).toBe(false);
    expect(asked).toBe(2);
    expect(errors).toHaveLength(2);
  });
});
