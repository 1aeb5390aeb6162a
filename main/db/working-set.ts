// The working set: which cached customers were used last (LRU), and eviction beyond a cap that
// never drops a customer with unsynced local writes.
import type { Db } from './connection';

export const DEFAULT_WORKING_SET_CAP = 50_000;

/** Marks a customer as just used, for the LRU order. */
export function touchCustomer(db: Db, customerId: string, at: number = Date.now()): void {
  db.prepare('UPDATE customers SET touched_at = MAX(touched_at, ?) WHERE id = ?').run(at, customerId);
}

export function countCustomers(db: Db): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM customers').get() as { n: number }).n;
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
  const excess = countCustomers(db) - cap;
  if (excess <= 0) return 0;
  return db.transaction((): number => {
    const victims = db
      .prepare(`SELECT id FROM customers WHERE id NOT IN (${PROTECTED}) ORDER BY touched_at ASC, id LIMIT ?`)
      .all(excess) as Array<{ id: string }>;
    const dropInteractions = db.prepare(
      'DELETE FROM dispositions WHERE interaction_id IN (SELECT id FROM interactions WHERE customer_id = ?)',
    );
    const statements = [
      db.prepare('DELETE FROM interactions WHERE customer_id = ?'),
      db.prepare('DELETE FROM notes WHERE customer_id = ?'),
      db.prepare('DELETE FROM voc_items WHERE customer_id = ?'),
      db.prepare('DELETE FROM customers WHERE id = ?'),
    ];
    for (const { id } of victims) {
      dropInteractions.run(id);
      for (const stmt of statements) stmt.run(id);
    }
    return victims.length;
  })();
}
