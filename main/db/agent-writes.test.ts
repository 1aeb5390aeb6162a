import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { NoteSaveArgs, VocCreateArgs } from '../../shared/protocol/index';
import { createProvisionalCustomer, createVocItem, saveNote, WriteRefusedError } from './agent-writes';
import { upsertCustomer } from './cache';
import { countPending, listOutbox } from './outbox';
import { readSyncState } from './sync-state';
import { findCustomerIdByIdentity } from './screen-pop';
import { aCustomer, T0, tempStore, type TempStore } from './test-fixtures';

const ctx = (over: Partial<{ author: string; now: string }> = {}) => ({ author: 'agent1', mutationId: randomUUID(), now: T0, ...over });
const noteCount = (s: TempStore) => (s.db.prepare('SELECT COUNT(*) AS n FROM notes').get() as { n: number }).n;

describe('saving a note', () => {
  let store: TempStore;
  afterEach(() => store.cleanup());

  it('writes the note row and its note.save outbox row together, each save a new revision', () => {
    store = tempStore();
    const customer = aCustomer();
    upsertCustomer(store.db, customer);
    const id = randomUUID();
    const input = { id, customerId: customer.id, interactionId: null };
    expect(saveNote(store.db, { ...input, text: 'first' }, ctx()).revision).toBe(1);
    const second = saveNote(store.db, { ...input, text: 'first and second' }, ctx({ now: '2026-11-25T01:05:00.000Z' }));
    expect(second).toMatchObject({ revision: 2, text: 'first and second', createdAt: T0, updatedAt: '2026-11-25T01:05:00.000Z' });
    expect(noteCount(store)).toBe(1);
    const outbox = listOutbox(store.db);
    expect(outbox.map((e) => [e.seq, e.name])).toEqual([
      [1, 'note.save'],
      [2, 'note.save'],
    ]);
    expect(NoteSaveArgs.parse(outbox[1]!.args)).toEqual({ ...input, text: 'first and second', revision: 2 });
    expect(outbox.every((e) => e.clientId === readSyncState(store.db).clientId && e.customerId === customer.id)).toBe(true);
    expect(countPending(store.db)).toBe(2);
  });

  it('keeps neither row when the outbox insert fails: the note is not half-saved', () => {
    store = tempStore();
    const customerId = randomUUID();
    // The second statement of the transaction fails...
    store.db.exec(`CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END;`);
    expect(() => saveNote(store.db, { id: randomUUID(), customerId, interactionId: null, text: 'lost?' }, ctx())).toThrow(/disk full/);
    // ...and the first (the note row) and the seq it took are rolled back with it.
    expect(noteCount(store)).toBe(0);
    expect(listOutbox(store.db)).toEqual([]);
    expect(readSyncState(store.db).nextSeq).toBe(1);
    expect((store.db.prepare('SELECT COUNT(*) AS n FROM search_fts').get() as { n: number }).n).toBe(0);
  });

  it("refuses to revise another agent's note", () => {
    store = tempStore();
    const id = randomUUID();
    saveNote(store.db, { id, customerId: randomUUID(), interactionId: null, text: 'mine' }, ctx({ author: 'agent2' }));
    expect(() => saveNote(store.db, { id, customerId: randomUUID(), interactionId: null, text: 'yours' }, ctx())).toThrow(WriteRefusedError);
    expect(listOutbox(store.db)).toHaveLength(1);
  });
});

describe('creating a VOC item', () => {
  let store: TempStore;
  afterEach(() => store.cleanup());

  it('writes the item at raised with a voc.create outbox row; the same id again queues nothing', () => {
    store = tempStore();
    const input = { id: randomUUID(), customerId: randomUUID(), interactionId: null, type: 'want_slip' as const, topic: 'wait time', description: 'sighed at the hold time' };
    const item = createVocItem(store.db, input, { createdBy: 'agent1', mutationId: randomUUID(), now: T0 });
    expect(item).toMatchObject({ status: 'raised', createdBy: 'agent1', type: 'want_slip' });
    createVocItem(store.db, input, { createdBy: 'agent1', mutationId: randomUUID(), now: T0 });
    const outbox = listOutbox(store.db);
    expect(outbox.map((e) => e.name)).toEqual(['voc.create']);
    expect(VocCreateArgs.parse(outbox[0]!.args)).toEqual(input);
  });
});

describe('an unknown caller', () => {
  let store: TempStore;
  afterEach(() => store.cleanup());

  it('becomes a provisional customer findable by the number, queued for the center', () => {
    store = tempStore();
    const id = randomUUID();
    const c = createProvisionalCustomer(store.db, { id, displayName: '010-9999-0000', phone: '+821099990000' }, { mutationId: randomUUID(), now: T0 });
    expect(c.provisional).toBe(true);
    expect(findCustomerIdByIdentity(store.db, 'phone', '+821099990000')).toBe(id);
    expect(listOutbox(store.db).map((e) => [e.name, e.customerId])).toEqual([['customer.createProvisional', id]]);
  });
});
