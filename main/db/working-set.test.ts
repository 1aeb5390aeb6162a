import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { saveNote } from './agent-writes';
import { upsertCustomer, upsertNoteFromCenter } from './cache';
import { applyPushAck, pruneAcked } from './outbox';
import { countCustomers, evictBeyondCap, flushTouches, touchCustomer, TOUCH_RESOLUTION_MS } from './working-set';
import { aCustomer, aNote, T0, tempStore, type TempStore } from './test-fixtures';

const exists = (s: TempStore, id: string) => s.db.prepare('SELECT 1 FROM customers WHERE id = ?').get(id) !== undefined;

describe('working-set eviction', () => {
  let store: TempStore;
  afterEach(() => store.cleanup());

  it('evicts the least recently used customers down to the cap, with their cached history', () => {
    store = tempStore();
    const cs = Array.from({ length: 5 }, (_, i) => aCustomer({ displayName: `c${i}` }));
    cs.forEach((c, i) => upsertCustomer(store.db, c, 1000 + i));
    upsertNoteFromCenter(store.db, aNote(cs[0]!.id));
    expect(touchCustomer(store.db, cs[0]!.id, 1000 + TOUCH_RESOLUTION_MS)).toBe(true); // used again a minute later
    expect(evictBeyondCap(store.db, 3)).toBe(2);
    expect(cs.map((c) => exists(store, c.id))).toEqual([true, false, false, true, true]);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 1 });
    expect(evictBeyondCap(store.db, 3)).toBe(0);
  });

  it('writes a touch only when the mark is older than the resolution, batched outside a transaction', () => {
    store = tempStore();
    const c = aCustomer();
    const d = aCustomer();
    upsertCustomer(store.db, c, 5000);
    upsertCustomer(store.db, d, 5000);
    const mark = (id: string) => (store.db.prepare('SELECT touched_at AS t FROM customers WHERE id = ?').get(id) as { t: number }).t;
    const changes = () => (store.db.prepare('SELECT total_changes() AS n').get() as { n: number }).n;
    const before = changes();
    expect(touchCustomer(store.db, c.id, 5000 + TOUCH_RESOLUTION_MS - 1)).toBe(false);
    expect(touchCustomer(store.db, c.id, 5000 + TOUCH_RESOLUTION_MS)).toBe(true);
    expect(touchCustomer(store.db, d.id, 5000 + TOUCH_RESOLUTION_MS + 7)).toBe(true);
    expect(touchCustomer(store.db, 'no-such-customer', 10 * TOUCH_RESOLUTION_MS)).toBe(false);
    // Nothing written yet: the touches wait in memory, then go in one transaction.
    expect(changes()).toBe(before);
    expect(flushTouches(store.db)).toBe(2);
    expect([mark(c.id), mark(d.id)]).toEqual([5000 + TOUCH_RESOLUTION_MS, 5000 + TOUCH_RESOLUTION_MS + 7]);
    expect(flushTouches(store.db)).toBe(0);
    // Inside a write transaction the mark is written with it.
    store.db.transaction(() => expect(touchCustomer(store.db, c.id, 5000 + 3 * TOUCH_RESOLUTION_MS)).toBe(true))();
    expect(mark(c.id)).toBe(5000 + 3 * TOUCH_RESOLUTION_MS);
  });

  it('never evicts a customer with unsynced writes, until the center has them', () => {
    store = tempStore();
    const oldest = aCustomer();
    upsertCustomer(store.db, oldest, 1);
    const noteId = randomUUID();
    saveNote(store.db, { id: noteId, customerId: oldest.id, interactionId: null, text: 'not yet synced' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    // Everyone else is used after the note was written, so the note's customer is the least recently used.
    for (let i = 0; i < 4; i++) upsertCustomer(store.db, aCustomer(), Date.parse(T0) + 100 + i);

    expect(evictBeyondCap(store.db, 2)).toBe(3);
    expect(exists(store, oldest.id)).toBe(true);
    expect(store.db.prepare('SELECT text FROM notes WHERE id = ?').get(noteId)).toEqual({ text: 'not yet synced' });

    // Once acknowledged and pulled past, it is an ordinary cached customer again.
    applyPushAck(store.db, { lastSeq: 1, version: '10', rejected: [] }, T0);
    pruneAcked(store.db, '10', null);
    expect(evictBeyondCap(store.db, 1)).toBe(1);
    expect(exists(store, oldest.id)).toBe(false);
    expect(countCustomers(store.db)).toBe(1);
  });
});
