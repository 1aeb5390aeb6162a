// Throttle counters in the center's database, for nodes that share PostgreSQL but no Redis (and the
// one PGlite process): each attempt is one INSERT … ON CONFLICT DO UPDATE, atomic under the row's
// lock, applying throttle.ts's takeStep. Expired rows are deleted by the center's retention timer.
import type { Db } from '../db/db';
import type { ThrottleRule, ThrottleStore } from './throttle';

// $1 now, $2 key, $3 window, $4 free, $5 base delay, $6 max delay, $7 sliding, $8 max attempts.
const NOW = '$1::bigint';
// The wait after attempt n, as takeStep's delayAfter.
const delay = (n: string) =>
  `(CASE WHEN ${n} < $4::int OR $5::bigint <= 0 THEN 0 ELSE LEAST($6::bigint, $5::bigint * power(2, LEAST(40, ${n} - $4::int)))::bigint END)`;
/** When the next attempt may come: 0 without a wait (takeStep says why). */
const nextAt = (n: string) => `(CASE WHEN ${delay(n)} > 0 THEN ${NOW} + ${delay(n)} ELSE 0 END)`;
const FRESH = `t.expires_at <= ${NOW}`;
const COUNT = `(CASE WHEN ${FRESH} THEN 1 ELSE t.count + 1 END)`;

const TAKE = `
INSERT INTO throttle_counters AS t (key, count, next_at, expires_at)
VALUES ($2::text, 1, ${nextAt('1')}, ${NOW} + $3::bigint)
ON CONFLICT (key) DO UPDATE SET
  count = ${COUNT},
  next_at = ${nextAt(COUNT)},
  expires_at = CASE WHEN ${FRESH} OR $7::boolean THEN ${NOW} + $3::bigint ELSE t.expires_at END
WHERE ${FRESH} OR (t.next_at <= ${NOW} AND t.count < $8::int)
RETURNING count`;

export function dbThrottleStore(db: Db): ThrottleStore {
  return {
    async take(key, rule, now) {
      const params = [now, key, rule.windowMs, rule.free, rule.baseDelayMs, rule.maxDelayMs, rule.sliding, Math.min(rule.max, 2_147_483_647)];
      if ((await db.query(TAKE, params, { prepare: true })).length > 0) return { ok: true };
      const [row] = await db.query<{ count: number; next_at: string; expires_at: string }>(
        'SELECT count, next_at::text AS next_at, expires_at::text AS expires_at FROM throttle_counters WHERE key = $1',
        [key],
      );
      if (!row) return { ok: true }; // cleared meanwhile
      const wait = now < Number(row.next_at) ? Number(row.next_at) - now : Number(row.expires_at) - now;
      return { ok: false, retryAfterMs: Math.max(1, wait) };
    },
    async giveBack(key) {
      await db.query('UPDATE throttle_counters SET count = GREATEST(count - 1, 0), next_at = 0 WHERE key = $1', [key]);
    },
    async clear(key) {
      await db.query('DELETE FROM throttle_counters WHERE key = $1', [key]);
    },
    async windowStart(key, rule: ThrottleRule, now) {
      const [row] = await db.query<{ expires_at: string }>('SELECT expires_at::text AS expires_at FROM throttle_counters WHERE key = $1 AND expires_at > $2::bigint', [
        key,
        now,
      ]);
      return row ? Number(row.expires_at) - rule.windowMs : null;
    },
  };
}

/** Deletes counters whose window has ended; returns how many. */
export async function pruneThrottleCounters(db: Db, now = Date.now()): Promise<number> {
  const rows = await db.query('DELETE FROM throttle_counters WHERE expires_at <= $1::bigint RETURNING 1', [now]);
  return rows.length;
}
