import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createVocItem, saveNote } from './agent-writes';
import { applyPushAck, countOutbox, listOutbox, countPending, enqueueMutation, highestAckedSeq, listUnacked, nextPushBatch, pruneAcked, recordAttempt } from './outbox';
import { listRejected } from './rejected';
import { T0, tempStore, type TempStore } from './test-fixtures';

describe('the outbox', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  const note = (text: string) =>
    saveNote(store.db, { id: randomUUID(), customerId: randomUUID(), interactionId: null, text }, { author: 'agent1', mutationId: randomUUID(), now: T0 });

  it('refuses a mutation written outside the transaction of its local effect', () => {
    expect(() => enqueueMutation(store.db, { mutationId: randomUUID(), name: 'note.save', args: {}, customerId: null, createdAt: T0 })).toThrow(/inside the write transaction/);
  });

  it('parks a rejected mutation, acknowledges the rest, and marks acknowledged notes synced', () => {
    const first = note('one');
    const voc = createVocItem(
      store.db,
      { id: randomUUID(), customerId: randomUUID(), interactionId: null, type: 'inquiry', topic: 't', description: 'd' },
      { createdBy: 'agent1', mutationId: randomUUID(), now: T0 },
    );
    note('three');
    const [, vocRow] = listUnacked(store.db, 10);
    const outcome = applyPushAck(store.db, { lastSeq: 3, version: '42', rejected: [{ mutationId: vocRow!.mutationId, seq: 2, reason: 'customer not found' }] }, T0);
    expect(outcome.acked.map((e) => e.seq)).toEqual([1, 3]);
    expect(outcome.rejected.map((e) => [e.seq, e.reason])).toEqual([[2, 'customer not found']]);
    expect(listRejected(store.db)).toEqual([{ mutationId: vocRow!.mutationId, seq: 2, name: 'voc.create', reason: 'customer not found', rejectedAt: T0 }]);
    expect(voc.status).toBe('raised');
    expect(countPending(store.db)).toBe(0);
    expect(countOutbox(store.db)).toBe(2); // waiting for the pull to pass version 42
    expect(highestAckedSeq(store.db)).toBe(3);
    expect(store.db.prepare('SELECT synced_revision FROM notes WHERE id = ?').get(first.id)).toEqual({ synced_revision: 1 });
  });

  it('acknowledges only up to lastSeq: the rest stays pending in order', () => {
    note('a');
    note('b');
    note('c');
    applyPushAck(store.db, { lastSeq: 1, version: '5', rejected: [] }, T0);
    expect(listUnacked(store.db, 10).map((e) => e.seq)).toEqual([2, 3]);
    recordAttempt(store.db, [2, 3], 'timeout');
    expect(listUnacked(store.db, 10).map((e) => [e.attempts, e.lastError])).toEqual([
      [1, 'timeout'],
      [1, 'timeout'],
    ]);
  });

  it('prunes rows acknowledged before a complete pull began, whatever version they carry', () => {
    note('a');
    note('b');
    applyPushAck(store.db, { lastSeq: 1, version: '999', rejected: [] }, T0);
    store.db.transaction(() => expect(pruneAcked(store.db, '10', 1)).toBe(1))();
    expect(countOutbox(store.db)).toBe(1);
  });

  it('prunes by version as 64-bit integers, not as text', () => {
    note('a');
    note('b');
    note('c');
    applyPushAck(store.db, { lastSeq: 1, version: '9', rejected: [] }, T0);
    applyPushAck(store.db, { lastSeq: 2, version: '10', rejected: [] }, T0);
    applyPushAck(store.db, { lastSeq: 3, version: '9007199254740993', rejected: [] }, T0);
    // As text '10' < '9'; as numbers only 9 and 10 are at or below the cursor 10.
    store.db.transaction(() => expect(pruneAcked(store.db, '10', null)).toBe(2))();
    expect(listOutbox(store.db).map((e) => e.seq)).toEqual([3]);
    store.db.transaction(() => expect(pruneAcked(store.db, '9007199254740992', null)).toBe(0))();
    store.db.transaction(() => expect(pruneAcked(store.db, '9007199254740993', null)).toBe(1))();
  });

  it('bounds a push batch by count and by bytes, and always takes at least one', () => {
    for (let i = 0; i < 5; i++) note(`${'가'.repeat(1000)} ${i}`); // ~3 kB of UTF-8 each
    expect(nextPushBatch(store.db, 3, 1_000_000).map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(nextPushBatch(store.db, 10, 7_000).map((e) => e.seq)).toEqual([1, 2]);
    expect(nextPushBatch(store.db, 10, 10).map((e) => e.seq)).toEqual([1]);
    applyPushAck(store.db, { lastSeq: 4, version: '5', rejected: [] }, T0);
    expect(nextPushBatch(store.db, 10, 1_000_000).map((e) => e.seq)).toEqual([5]);
  });
});
