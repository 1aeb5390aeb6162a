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
    expect(meetCenter(db(), after, ctx)).toEqual({ met: 'renewed', requeued: 3, kept: 2 });
    const state = readSyncState(db());
    expect(state).toMatchObject({ centerId: after, cursor: null, nextSeq: 6 });
    expect(state.clientId).not.toBe(oldClient);
    const outbox = listOutbox(db());
    // The offline note is not queued twice: its waiting row carries it.
    expect(outbox.map((r) => [r.seq, r.clientId, r.name, r.ackedVersion])).toEqual([
      [1, state.clientId, 'customer.createProvisional', null],
      [2, state.clientId, 'note.save', null],
      [3, state.clientId, 'voc.create', null],
      [4, state.clientId, 'disposition.set', null],
      [5, state.clientId, 'note.save', null],
    ]);
    expect(outbox[0]!.args).toEqual({ id: provisional.id, displayName: 'Unknown caller', phone: '+821099998888' });
    expect(outbox[1]!.args).toEqual({ id: mine.id, customerId: known.id, interactionId: null, text: 'second', revision: 2 });
    expect(outbox[2]!.args).toEqual({ id: item.id, customerId: known.id, interactionId: null, type: 'praise', topic: 'staff', description: 'kind' });
    // The rows that were waiting keep their mutation ids (the center recognises a redelivery by them).
    expect(outbox.slice(3).map((r) => r.mutationId)).toEqual(waiting.map((r) => r.mutationId));
    // Own notes and VOC items stay (unsynced until this center acknowledges them); the rest is pulled again.
    expect(rows('SELECT id, synced_revision FROM notes ORDER BY created_at, id').map((r) => (r as { id: string }).id)).not.toContain(theirs.id);
    expect(rows('SELECT synced_revision FROM notes WHERE id = ?', mine.id)).toEqual([{ synced_revision: 0 }]);
    expect(rows('SELECT id FROM voc_items')).toEqual([{ id: item.id }]);
    expect(rows('SELECT count(*) AS n FROM customers')).toEqual([{ n: 0 }]);

    expect(meetCenter(db(), after, ctx)).toEqual({ met: 'same' });
  });

  it("does not send again what the center refused for good: that is the agent's to retry or discard", () => {
    applyPullPage(db(), { changes: [], cursor: '3', reset: false });
    const known = aCustomer();
    upsertCustomer(db(), known);
    createVocItem(db(), { id: randomUUID(), customerId: known.id, interactionId: null, type: 'praise', topic: 'staff', description: 'kind' }, { createdBy: 'agent1', mutationId: randomUUID(), now: T0 });
    const [row] = listOutbox(db());
    applyPushAck(db(), { lastSeq: 1, version: '4', rejected: [{ mutationId: row!.mutationId, seq: 1, reason: 'no such customer' }] }, T0);
    expect(meetCenter(db(), randomUUID(), ctx)).toEqual({ met: 'renewed', requeued: 0, kept: 0 });
    expect(listOutbox(db())).toEqual([]);
    expect(rows('SELECT id FROM voc_items')).toEqual([]);
    expect(rows('SELECT mutation_id FROM rejected_mutations')).toEqual([{ mutation_id: row!.mutationId }]);
  });

  it('learns the first identity without starting over when it has only written offline, never pulled', () => {
    saveNote(db(), { id: randomUUID(), customerId: randomUUID(), interactionId: null, text: 'offline' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    const clientId = readSyncState(db()).clientId;
    expect(meetCenter(db(), randomUUID(), ctx)).toEqual({ met: 'first' });
    expect(readSyncState(db()).clientId).toBe(clientId);
    expect(listOutbox(db()).map((r) => r.seq)).toEqual([1]);
  });

  it('starts over once when it synced before it knew identities (an update from an older desktop)', () => {
    saveNote(db(), { id: randomUUID(), customerId: randomUUID(), interactionId: null, text: 'kept' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    applyPullPage(db(), { changes: [], cursor: '7', reset: false });
    const before = readSyncState(db());
    expect(before.centerId).toBeNull();
    expect(meetCenter(db(), randomUUID(), ctx)).toEqual({ met: 'renewed', requeued: 0, kept: 1 });
    const after = readSyncState(db());
    expect(after.clientId).not.toBe(before.clientId);
    expect(after.cursor).toBeNull();
    expect(listOutbox(db()).map((r) => [r.seq, r.clientId])).toEqual([[1, after.clientId]]);
  });
});
