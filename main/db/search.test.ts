import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { saveNote } from './agent-writes';
import { upsertCustomer, upsertNoteFromCenter } from './cache';
import { searchCustomers } from './search';
import { aCustomer, aNote, T0, tempStore, type TempStore } from './test-fixtures';

describe('searching cached customers', () => {
  let store: TempStore;
  const minji = aCustomer({ displayName: '김민지', identities: [{ kind: 'phone', value: '+821012345678' }, { kind: 'email', value: 'minji@example.kr' }] });
  const john = aCustomer({ displayName: 'John Carter', identities: [{ kind: 'phone', value: '+12025550143' }] });
  beforeEach(() => {
    store = tempStore();
    upsertCustomer(store.db, minji);
    upsertCustomer(store.db, john);
  });
  afterEach(() => store.cleanup());

  const ids = (q: string) => searchCustomers(store.db, q).map((c) => c.id);

  it('finds by a prefix of a name, Hangul or Latin, ignoring case', () => {
    expect(ids('김민')).toEqual([minji.id]);
    expect(ids('john car')).toEqual([john.id]);
    expect(ids('carter')).toEqual([john.id]);
    expect(ids('nobody')).toEqual([]);
  });

  it('finds by words in note text, and follows a renamed customer', () => {
    upsertNoteFromCenter(store.db, aNote(john.id, { text: 'wants the premium refund processed' }));
    saveNote(store.db, { id: randomUUID(), customerId: minji.id, interactionId: null, text: '환불 요청 재확인' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    expect(ids('premium')).toEqual([john.id]);
    expect(ids('환불')).toEqual([minji.id]);
    upsertCustomer(store.db, { ...john, displayName: 'Johnny Carter' });
    expect(ids('johnny')).toEqual([john.id]);
  });

  it('finds by phone as dialled locally, in E.164, or in part', () => {
    expect(ids('010-1234-5678')).toEqual([minji.id]);
    expect(ids('+82 10 1234 5678')).toEqual([minji.id]);
    expect(ids('5550143')).toEqual([john.id]);
  });

  it('finds by email and returns a summary with the first phone and email', () => {
    expect(searchCustomers(store.db, 'minji@')).toEqual([{ id: minji.id, displayName: '김민지', phone: '+821012345678', email: 'minji@example.kr' }]);
  });

  it('treats FTS syntax in the query as plain words', () => {
    expect(() => searchCustomers(store.db, 'john" OR NEAR(')).not.toThrow();
    expect(ids('"John"')).toEqual([john.id]);
  });
});
