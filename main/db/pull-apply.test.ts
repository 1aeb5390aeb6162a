import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Change } from '../../shared/protocol/index';
import { saveNote } from './agent-writes';
import { upsertCustomer } from './cache';
import { applyPushAck, countOutbox, listOutbox } from './outbox';
import { applyPullPage } from './pull-apply';
import { readScreenPop } from './screen-pop';
import { readSyncState } from './sync-state';
import { listDepartments, listVocTopics } from './reference-data';
import { aCustomer, aDepartment, aNote, anInteraction, aTopic, aVocItem, T0, tempStore, type TempStore } from './test-fixtures';

let v = 0;
const change = (entity: Change['entity'], data: { id?: string; [k: string]: unknown }, op: Change['op'] = 'upsert'): Change => ({
  version: String(++v),
  entity,
  id: data.id ?? randomUUID(),
  op,
  data: op === 'delete' ? null : data,
});
const count = (s: TempStore, table: string) => (s.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('applying a pull page', () => {
  let store: TempStore;
  beforeEach(() => {
    store = tempStore();
  });
  afterEach(() => store.cleanup());

  it('applies every entity and stores the new cursor', () => {
    const c = aCustomer();
    const i = anInteraction(c.id);
    const n = aNote(c.id, { interactionId: i.id });
    const voc = aVocItem(c.id, { interactionId: i.id });
    const queue = { id: 'general', name: 'General', dispositionCodes: [{ code: 'resolved', label: 'Resolved' }], dispositionRequired: false };
    const res = applyPullPage(store.db, {
      changes: [change('customer', c), change('interaction', i), change('note', n), change('voc_item', voc), change('queue', queue)],
      cursor: '5',
      reset: false,
    });
    expect(res).toEqual({ applied: 5, skipped: [], pruned: 0, vocItems: [{ id: voc.id, number: null, status: 'raised', departmentId: null, ownerUserId: null }] });
    expect(readSyncState(store.db).cursor).toBe('5');
    const pop = readScreenPop(store.db, c.id)!;
    expect(pop.history[0]).toMatchObject({ id: i.id, notes: [n], vocItems: [voc] });
    expect(pop.openVocItems).toEqual([voc]);
    expect(count(store, 'queues')).toBe(1);
  });

  it('keeps the topic catalogue and the departments as reference data: upserts, tombstones, and a reset', () => {
    const category = aTopic({ id: 'billing', parentId: null, name: 'Billing' });
    const topic = aTopic();
    const dept = aDepartment();
    applyPullPage(store.db, { changes: [change('voc_topic', topic), change('voc_topic', category), change('department', dept)], cursor: '1', reset: false });
    expect(listVocTopics(store.db)).toEqual([category, topic]);
    expect(listDepartments(store.db)).toEqual([dept]);
    const renamed = { ...dept, name: 'Billing and refunds', requiresApproval: true };
    applyPullPage(store.db, { changes: [change('department', renamed), change('voc_topic', { id: topic.id }, 'delete')], cursor: '2', reset: false });
    expect(listDepartments(store.db)).toEqual([renamed]);
    expect(listVocTopics(store.db)).toEqual([category]);
    // A malformed department is skipped, never stored half-read.
    const bad = applyPullPage(store.db, { changes: [change('department', { id: 'x', name: 'X' })], cursor: '3', reset: false });
    expect(bad.skipped).toEqual([{ entity: 'department', id: 'x' }]);
    applyPullPage(store.db, { changes: [], cursor: '4', reset: true });
    expect(listVocTopics(store.db)).toEqual([]);
    expect(listDepartments(store.db)).toEqual([]);
  });

  it('is atomic with its cursor: a failure part-way leaves neither changes nor cursor', () => {
    applyPullPage(store.db, { changes: [], cursor: '100', reset: false });
    const c = aCustomer();
    const i = anInteraction(c.id);
    store.db.exec(`CREATE TRIGGER fail_interaction BEFORE INSERT ON interactions BEGIN SELECT RAISE(ABORT, 'simulated crash'); END;`);
    expect(() =>
      applyPullPage(store.db, { changes: [change('customer', c), change('interaction', i)], cursor: '200', reset: false }),
    ).toThrow(/simulated crash/);
    expect(count(store, 'customers')).toBe(0);
    expect(readSyncState(store.db).cursor).toBe('100');
  });

  it("commits a page with synchronous NORMAL and gives the agent's writes FULL back, also after a failure", () => {
    const level = () => store.db.pragma('synchronous', { simple: true }) as number;
    expect(level()).toBe(2); // FULL, as the connection is opened
    const seen: number[] = [];
    const transaction = store.db.transaction.bind(store.db);
    store.db.transaction = ((fn: (...a: unknown[]) => unknown) =>
      transaction((...a: unknown[]) => {
        seen.push(level());
        return fn(...a);
      })) as typeof store.db.transaction;
    applyPullPage(store.db, { changes: [change('customer', aCustomer())], cursor: '1', reset: false });
    expect(seen).toEqual([1]); // NORMAL inside the page's transaction
    expect(level()).toBe(2);
    store.db.exec(`CREATE TRIGGER fail_customer BEFORE INSERT ON customers BEGIN SELECT RAISE(ABORT, 'simulated crash'); END;`);
    expect(() => applyPullPage(store.db, { changes: [change('customer', aCustomer())], cursor: '2', reset: false })).toThrow(/simulated crash/);
    expect(level()).toBe(2);
  });

  it('skips changes that fail their schema without losing the rest', () => {
    const c = aCustomer();
    const res = applyPullPage(store.db, {
      changes: [{ version: '1', entity: 'customer', id: 'bad', op: 'upsert', data: { id: 'bad' } }, change('customer', c)],
      cursor: '2',
      reset: false,
    });
    expect(res.skipped).toEqual([{ entity: 'customer', id: 'bad' }]);
    expect(count(store, 'customers')).toBe(1);
  });

  it("never lets the center's older revision overwrite the agent's unsynced edit", () => {
    const customerId = randomUUID();
    const id = randomUUID();
    const ctx = () => ({ author: 'agent1', mutationId: randomUUID(), now: T0 });
    saveNote(store.db, { id, customerId, interactionId: null, text: 'draft' }, ctx());
    saveNote(store.db, { id, customerId, interactionId: null, text: 'draft, finished' }, ctx());
    applyPullPage(store.db, { changes: [change('note', aNote(customerId, { id, text: 'draft', revision: 1 }))], cursor: '3', reset: false });
    expect(store.db.prepare('SELECT text, revision, synced_revision FROM notes').get()).toEqual({ text: 'draft, finished', revision: 2, synced_revision: 1 });
    applyPullPage(store.db, { changes: [change('note', aNote(customerId, { id, text: 'draft, finished', revision: 2 }))], cursor: '4', reset: false });
    expect(store.db.prepare('SELECT revision, synced_revision FROM notes').get()).toEqual({ revision: 2, synced_revision: 2 });
  });

  it('applies tombstones, keeping unsynced local notes', () => {
    const c = aCustomer();
    const synced = aNote(c.id);
    applyPullPage(store.db, { changes: [change('customer', c), change('note', synced)], cursor: '2', reset: false });
    const localId = randomUUID();
    saveNote(store.db, { id: localId, customerId: c.id, interactionId: null, text: 'mine' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    applyPullPage(store.db, {
      changes: [change('note', { id: synced.id }, 'delete'), change('note', { id: localId }, 'delete'), change('customer', { id: c.id }, 'delete')],
      cursor: '9',
      reset: false,
    });
    expect(count(store, 'customers')).toBe(0);
    expect(count(store, 'identities')).toBe(0);
    expect(store.db.prepare('SELECT id FROM notes').all()).toEqual([{ id: localId }]);
  });

  it('re-points local rows when the center merges a provisional customer', () => {
    const provisional = aCustomer({ provisional: true, displayName: 'New caller' });
    const real = aCustomer();
    const i = anInteraction(provisional.id);
    applyPullPage(store.db, { changes: [change('customer', provisional), change('interaction', i)], cursor: '2', reset: false });
    const noteId = randomUUID();
    saveNote(store.db, { id: noteId, customerId: provisional.id, interactionId: i.id, text: 'called about a lost card' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    applyPullPage(store.db, {
      changes: [change('customer', real), change('customer_merge', { id: randomUUID(), fromId: provisional.id, intoId: real.id })],
      cursor: '4',
      reset: false,
    });
    expect(readScreenPop(store.db, provisional.id)).toBeNull();
    const pop = readScreenPop(store.db, real.id)!;
    expect(pop.history.map((h) => [h.id, h.notes.map((n) => n.id)])).toEqual([[i.id, [noteId]]]);
    expect(listOutbox(store.db)[0]!.customerId).toBe(real.id);
  });

  it('on reset, drops the cache but keeps what the agent has not synced', () => {
    const old = aCustomer();
    applyPullPage(store.db, { changes: [change('customer', old), change('note', aNote(old.id))], cursor: '50', reset: false });
    const localId = randomUUID();
    saveNote(store.db, { id: localId, customerId: old.id, interactionId: null, text: 'unsynced' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    const fresh = aCustomer({ displayName: 'Fresh' });
    applyPullPage(store.db, { changes: [change('customer', fresh)], cursor: '900', reset: true });
    expect(store.db.prepare('SELECT id FROM customers').all()).toEqual([{ id: fresh.id }]);
    expect(store.db.prepare('SELECT id FROM notes').all()).toEqual([{ id: localId }]);
    expect(countOutbox(store.db)).toBe(1);
  });

  it('removes acknowledged outbox rows only once the pull has passed their version', () => {
    upsertCustomer(store.db, aCustomer());
    const customerId = randomUUID();
    saveNote(store.db, { id: randomUUID(), customerId, interactionId: null, text: 'a' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    applyPushAck(store.db, { lastSeq: 1, version: '20', rejected: [] }, T0);
    expect(applyPullPage(store.db, { changes: [], cursor: '19', reset: false }).pruned).toBe(0);
    expect(countOutbox(store.db)).toBe(1);
    expect(applyPullPage(store.db, { changes: [], cursor: '20', reset: false }).pruned).toBe(1);
    expect(countOutbox(store.db)).toBe(0);
  });

  it('takes its own note back from the center without rewriting its search entry, and marks it synced', () => {
    const c = aCustomer();
    upsertCustomer(store.db, c);
    const id = randomUUID();
    const saved = saveNote(store.db, { id, customerId: c.id, interactionId: null, text: 'refund asked' }, { author: 'agent1', mutationId: randomUUID(), now: T0 });
    const ftsRow = () => store.db.prepare("SELECT rowid, body FROM search_fts WHERE source = 'note' AND source_id = ?").get(id);
    const before = ftsRow();
    const atCenter = { ...saved, updatedAt: '2026-11-25T01:00:01.000Z' }; // the center's own timestamp
    applyPullPage(store.db, { changes: [change('note', atCenter)], cursor: String(v), reset: false });
    expect(ftsRow()).toEqual(before);
    expect(store.db.prepare('SELECT revision, synced_revision, updated_at FROM notes WHERE id = ?').get(id)).toEqual({
      revision: 1,
      synced_revision: 1,
      updated_at: atCenter.updatedAt,
    });
    // A different text from the center does reach the search index.
    applyPullPage(store.db, { changes: [change('note', { ...atCenter, text: 'refund paid', revision: 2 })], cursor: String(v), reset: false });
    expect((ftsRow() as { body: string }).body).toBe('refund paid');
  });
});
