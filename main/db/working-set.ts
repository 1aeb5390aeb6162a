// The working set: which cached customers were used last (LRU), and eviction beyond a cap that
// never drops a customer with unsynced local writes.
import type { Db } from './connection';
import { cached } from './statements';

export const DEFAULT_WORKING_SET_CAP = 50_000;

/**
 * The LRU clock's resolution: a customer used again within this long keeps its mark, so popping
 * the same caller twice (or a search result list) reads without writing. Eviction order only needs
 * to tell minutes apart; customers with unsynced writes are protected whatever their mark.
 */
export const TOUCH_RESOLUTION_MS = 60_000;

/** How long a touch may wait in memory before it is written, together with the others. */
export const TOUCH_FLUSH_MS = 2_000;

/** Touches waiting to be written, per connection: customer id -> time of use. */
const pendingTouches = new WeakMap<Db, { at: Map<string, number>; timer: NodeJS.Timeout | null }>();

/**
 * Marks a customer as used at `at`, for the LRU order. Nothing is written when the mark is fresh
 * (within TOUCH_RESOLUTION_MS). A stale mark is written at once inside a write transaction that is
 * open anyway; otherwise (a screen pop, a search) it waits in memory and is written with the other
 * waiting touches in one transaction shortly after, so reading a pop never waits for a disk sync.
 * Returns whether the mark will move.
 */
export function touchCustomer(db: Db, customerId: string, at: number = Date.now()): boolean {
  const touchedAt = cached(db, 'SELECT touched_at FROM customers WHERE id = ?', 'pluck').get(customerId) as number | undefined;
  if (touchedAt === undefined || at - touchedAt < TOUCH_RESOLUTION_MS) return false;
  if (db.inTransaction) {
    cached(db, 'UPDATE customers SET touched_at = MAX(touched_at, ?) WHERE id = ?').run(at, customerId);
    return true;
  }
  let pending = pendingTouches.get(db);
  if (!pending) {
    pending = { at: new Map(), timer: null };
    pendingTouches.set(db, pending);
  }
  if ((pending.at.get(customerId) ?? 0) < at) pending.at.set(customerId, at);
  if (!pending.timer) {
    pending.timer = setTimeout(() => flushTouches(db), TOUCH_FLUSH_MS);
    pending.timer.unref?.();
  }
  return true;
}

/** Writes the touches waiting in memory, in one transaction. Returns how many customers were marked. */
export function flushTouches(db: Db): number {
  const pending = pendingTouches.get(db);
  if (!pending) return 0;
  if (pending.timer) clearTimeout(pending.timer);
  pending.timer = null;
  const touches = [...pending.at];
  pending.at.clear();
  if (touches.length === 0 || !db.open) return 0;
  const mark = cached(db, 'UPDATE customers SET touched_at = MAX(touched_at, ?) WHERE id = ?');
  db.transaction(() => {
    for (const [customerId, at] of touches) mark.run(at, customerId);
  })();
  return touches.length;
}

export function countCustomers(db: Db): number {
  return (cached(db, 'SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
}

/** Customers whose local writes the center has not confirmed yet: never evicted. */
const PROTECTED = `
  SELECT customer_id FROM outbox WHERE customer_id IS NOT NULL
  UNION SELECT customer_id FROM notes WHERE revision > synced_revision`;

/**
 * Evicts the least recently used customers (with their history, synced notes and VOC items) until
 * at most `cap` remain, skipping protected ones. Returns how many were evicted.
 */
export function evictBeyondCap(db: Db, cap: number = DEFAULT_WORKING_SET_CAP): number {
  flushTouches(db);
  const excess = countCustomers(db) - cap;
  if (excess <= 0) return 0;
  return db.transaction((): number => {
    const victims = cached(db, `SELECT id FROM customers WHERE id NOT IN (${PROTECTED}) ORDER BY touched_at ASC, id LIMIT ?`)
      .all(excess) as Array<{ id: string }>;
    const dropInteractions = cached(db,
      'DELETE FROM dispositions WHERE interaction_id IN (SELECT id FROM interactions WHERE customer_id = ?)',
    );
    const statements = [
      cached(db, 'DELETE FROM interactions WHERE customer_id = ?'),
      cached(db, 'DELETE FROM notes WHERE customer_id = ?'),
      cached(db, 'DELETE FROM voc_items WHERE customer_id = ?'),
      cached(db, 'DELETE FROM customers WHERE id = ?'),
    ];
    for (const { id } of victims) {
      dropInteractions.run(id);
      for (const stmt of statements) stmt.run(id);
    }
    return victims.length;
  })();
}
