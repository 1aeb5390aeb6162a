import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProvisionalCustomer, createVocItem, saveNote, setDisposition } from './agent-writes';
import { upsertCustomer, upsertNoteFromCenter, upsertVocItem } from './cache';
import { meetCenter } from './center-identity';
import { applyPushAck, listOutbox } from './outbox';
import { applyPullPage } from './pull-apply';
import { readSyncState, saveSession } from './sync-state';
import { aCustomer, aNote, aVocItem, T0, tempStore, type TempStore } from './test-fixtures';

const agent1 = { id: randomUUID(), tenant: 'demo', username: 'agent1', displayName: 'Agent 1', role: 'agent' as const };
const ctx = { newMutationId: () => randomUUID(), now: T0 };

describe('meeting the center database identity', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
    saveSession(store.db, 'http://center', { token: 't', expiresAt: '2999-01-01T00:00:00.000Z', user: agent1 });
  });
  afterEach(() => store.cleanup());
  const db = () => store.db;
  const rows = (sql: string, ...params: unknown[]) => store.db.prepare(sql).all(...params);

  it('learns the first identity of a desktop that has synced nothing, and then knows it', () => {
    const id = randomUUID();
    expect(meetCenter(db(), id, ctx)).toEqual({ met: 'first' });
    expect(readSyncState(db()).centerId).toBe(id);
    expect(meetCenter(db(), id, ctx)).toEqual({ met: 'same' });
  });

  it('starts over with a restored center: new client id, its own writes queued again, every waiting row kept, the cache dropped', () => {
    const before = randomUUID();
    meetCenter(db(), before, ctx);
    // Synced with the old identity: a note at revision 2, a VOC item, a provisional caller; another agent's note and VOC item in the cache.
    const provisional = createProvisionalCustomer(db(), { id: randomUUID(), displayName: 'Unknown caller', phone: '+821099998888' }, { mutationId: randomUUID(), now: T0 });
    const known = aCustomer();
    upsertCustomer(db(), known);
    const mine = saveNote(db(), { id: randomUUID(), customerId: known.id, interactionId: null, text: 'first' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    saveNote(db(), { id: mine.id, customerId: known.id, interactionId: null, text: 'second' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    const item = createVocItem(db(), { id: randomUUID(), customerId: known.id, interactionId: null, type: 'praise', topic: 'staff', description: 'kind' }, { createdBy: 'agent1', mutationId: randomUUID(), now: T0 });
    applyPushAck(db(), { lastSeq: 4, version: '90', rejected: [] }, T0);
    applyPullPage(db(), { changes: [], cursor: '100', reset: false }, { ackedUpToSeq: 4 });
    const theirs = aNote(known.id, { author: 'agent2' });
    upsertNoteFromCenter(db(), theirs);
    upsertVocItem(db(), aVocItem(known.id, { createdBy: 'agent2' }));
    // Still waiting: acknowledged but not yet pulled past, and not yet sent at all.
    const interactionId = randomUUID();
    setDisposition(db(), { interactionId, code: 'resolved' }, { mutationId: randomUUID(), now: T0 });
    applyPushAck(db(), { lastSeq: 5, version: '101', rejected: [] }, T0);
    saveNote(db(), { id: randomUUID(), customerId: known.id, interactionId: null, text: 'offline' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    const waiting = listOutbox(db());
    expect(waiting.map((r) => r.name)).toEqual(['disposition.set', 'note.save']);
    const oldClient = readSyncState(db()).clientId;

    const after = randomUUID();
    expect(meetCenter(db(), after, ctx)).toEqual({ met: 'renewed', requeued: 4, kept: 2 });
    const state = readSyncState(db());
    expect(state).toMatchObject({ centerId: after, cursor: null, nextSeq: 7 });
    expect(state.clientId).not.toBe(oldClient);
    const outbox = listOutbox(db());
    expect(outbox.map((r) => [r.seq, r.clientId, r.name, r.ackedVersion])).toEqual([
      [1, state.clientId, 'customer.createProvisional', null],
      [2, state.clientId, 'note.save', null],
      [3, state.clientId, 'note.save', null],
      [4, state.clientId, 'voc.create', null],
      [5, state.clientId, 'disposition.set', null],
      [6, state.clientId, 'note.save', null],
    ]);
    expect(outbox[0]!.args).toEqual({ id: provisional.id, displayName: 'Unknown caller', phone: '+821099998888' });
    expect(outbox[1]!.args).toEqual({ id: mine.id, customerId: known.id, interactionId: null, text: 'second', revision: 2 });
    expect(outbox[3]!.args).toEqual({ id: item.id, customerId: known.id, interactionId: null, type: 'praise', topic: 'staff', description: 'kind' });
    // The rows that were waiting keep their mutation ids (the center recognises a redelivery by them).
    expect(outbox.slice(4).map((r) => r.mutationId)).toEqual(waiting.map((r) => r.mutationId));
    // Own notes and VOC items stay (unsynced until this center acknowledges them); the rest is pulled again.
    expect(rows('SELECT id, synced_revision FROM notes ORDER BY created_at, id').map((r) => (r as { id: string }).id)).not.toContain(theirs.id);
    expect(rows('SELECT synced_revision FROM notes WHERE id = ?', mine.id)).toEqual([{ synced_revision: 0 }]);
    expect(rows('SELECT id FROM voc_items')).toEqual([{ id: item.id }]);
    expect(rows('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);

    expect(meetCenter(db(), after, ctx)).toEqual({ met: 'same' });
  });

  it('starts over once when it synced before it knew identities (an update from an older desktop)', () => {
    saveNote(db(), { id: randomUUID(), customerId: randomUUID(), interactionId: null, text: 'kept' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    expect(readSyncState(db()).centerId).toBeNull();
    expect(meetCenter(db(), randomUUID(), ctx)).toMatchObject({ met: 'renewed', requeued: 1, kept: 1 });
    expect(listOutbox(db()).map((r) => r.seq)).toEqual([1, 2]);
  });
});
