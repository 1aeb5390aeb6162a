// Fix and retry, or discard, a refused mutation — on a real SQLite store: the center's refusal is
// applied with the engine's own applyPushAck, then the agent's choice goes through the DesktopApi door.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desktopApiMethods, type DesktopApiHandlers } from '../../shared/api/index';
import { applyPushAck, createVocItem, listOutbox, listRejected, queueVocAct, saveNote, setDisposition, type Db } from '../db/index';
import { tempStore, type TempStore } from '../db/test-fixtures';
import { dispatchApiCall } from './api-dispatch';
import { createRejectedHandlers, discardRejected, getRejected, retryRejected } from './rejected';
import { uuidv7 } from './uuid';

const NOW = '2026-11-25T01:00:00.000Z';
let store: TempStore;
let db: Db;
let kicks: number;
let handlers: DesktopApiHandlers;
const customerId = randomUUID();
const interactionId = randomUUID();

/** The center refuses these queued mutations (in queue order), with these reasons, as applyPushAck records it. */
function refuse(refusals: Array<[mutationId: string, reason: string]>) {
  const rows = listOutbox(db);
  const reasons = new Map(refusals);
  applyPushAck(
    db,
    { lastSeq: Math.max(...rows.map((r) => r.seq)), version: '10', rejected: rows.filter((r) => reasons.has(r.mutationId)).map((r) => ({ mutationId: r.mutationId, seq: r.seq, reason: reasons.get(r.mutationId)! })) },
    NOW,
  );
}

/** Writes a note, a VOC item and a disposition, and has the center refuse all three. */
function refuseThree() {
  const noteId = randomUUID();
  const vocId = randomUUID();
  const m = { note: uuidv7(), voc: uuidv7(), disposition: uuidv7() };
  saveNote(db, { id: noteId, customerId, interactionId, text: 'Wants a refund for Marhc' }, { author: 'agent1', mutationId: m.note, now: NOW });
  createVocItem(db, { id: vocId, customerId, interactionId, type: 'inquiry', topic: 'refund', description: 'asked about refnud' }, { createdBy: 'agent1', mutationId: m.voc, now: NOW });
  setDisposition(db, { interactionId, code: 'no-such-code' }, { mutationId: m.disposition, now: NOW });
  refuse([
    [m.note, 'The interaction does not exist at the center.'],
    [m.voc, 'A VOC item with this id already exists; create it again to get a new id.'],
    [m.disposition, '"no-such-code" is not a disposition code of queue billing; pick one from its list.'],
  ]);
  return { noteId, vocId, m };
}

const vocRows = () => db.prepare('SELECT id, data FROM voc_items').all() as Array<{ id: string; data: string }>;

beforeEach(() => {
  store = tempStore();
  db = store.db;
  kicks = 0;
  handlers = createRejectedHandlers(() => ({ db, author: () => 'agent1', kick: () => (kicks += 1) })) as unknown as DesktopApiHandlers;
});
afterEach(() => store.cleanup());

describe('refused mutations: fix and retry, or discard', () => {
  it('shows what can be edited: the note text and the VOC fields; a disposition only discards', () => {
    const { m } = refuseThree();
    expect(listRejected(db)).toHaveLength(3);
    expect(listOutbox(db).filter((e) => e.ackedVersion === null)).toHaveLength(0);
    expect(getRejected(db, m.note)).toMatchObject({ name: 'note.save', reason: 'The interaction does not exist at the center.', editable: { kind: 'note', text: 'Wants a refund for Marhc' } });
    expect(getRejected(db, m.voc)?.editable).toEqual({ kind: 'voc', type: 'inquiry', topic: 'refund', description: 'asked about refnud' });
    expect(getRejected(db, m.disposition)?.editable).toBeNull();
    expect(getRejected(db, randomUUID())).toBeNull();
  });

  it('retries an edited note as its next revision under a new mutation, and drops the refused entry', async () => {
    const { noteId, m } = refuseThree();
    const response = await dispatchApiCall(handlers, 'retryRejectedMutation', [{ mutationId: m.note, edit: { kind: 'note', text: 'Wants a refund for March' } }]);
    expect(response.ok).toBe(true);
    const newId = (response as { value: { mutationId: string } }).value.mutationId;
    expect(newId).not.toBe(m.note);
    const queued = listOutbox(db).filter((e) => e.ackedVersion === null);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ mutationId: newId, name: 'note.save', args: { id: noteId, customerId, interactionId, text: 'Wants a refund for March', revision: 2 } });
    expect(db.prepare('SELECT text, revision FROM notes WHERE id = ?').get(noteId)).toEqual({ text: 'Wants a refund for March', revision: 2 });
    expect(listRejected(db).map((r) => r.mutationId)).toEqual([m.voc, m.disposition]);
    expect(kicks).toBe(1);
  });

  it('retries an edited VOC item under a new id (the refused one never reached the center) and replaces it locally', () => {
    const { vocId, m } = refuseThree();
    const newVocId = randomUUID();
    retryRejected(db, { mutationId: m.voc, edit: { kind: 'voc', type: 'complaint', topic: 'refund', description: 'asked about the refund' } }, { author: 'agent1', now: NOW, newId: () => newVocId });
    const queued = listOutbox(db).filter((e) => e.ackedVersion === null);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ name: 'voc.create', args: { id: newVocId, customerId, interactionId, type: 'complaint', topic: 'refund', description: 'asked about the refund' } });
    expect(vocRows().map((r) => r.id)).toEqual([newVocId]);
    expect(vocRows().some((r) => r.id === vocId)).toBe(false);
    expect(listRejected(db).map((r) => r.mutationId)).toEqual([m.note, m.disposition]);
  });

  it('refuses a retry that does not fit, or of something no longer listed, with a clear error and no change', async () => {
    const { m } = refuseThree();
    const wrongKind = await dispatchApiCall(handlers, 'retryRejectedMutation', [{ mutationId: m.disposition, edit: { kind: 'note', text: 'x' } }]);
    expect(wrongKind).toMatchObject({ ok: false, error: { code: 'not_editable' } });
    const mismatched = await dispatchApiCall(handlers, 'retryRejectedMutation', [{ mutationId: m.note, edit: { kind: 'voc', type: 'praise', topic: 't', description: 'd' } }]);
    expect(mismatched).toMatchObject({ ok: false, error: { code: 'not_editable' } });
    const gone = await dispatchApiCall(handlers, 'retryRejectedMutation', [{ mutationId: randomUUID(), edit: { kind: 'note', text: 'x' } }]);
    expect(gone).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The contract refuses malformed edits before any service runs.
    const malformed = await dispatchApiCall(handlers, 'retryRejectedMutation', [{ mutationId: m.note, edit: { kind: 'script', text: 'x' } }]);
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(listRejected(db)).toHaveLength(3);
    expect(listOutbox(db).filter((e) => e.ackedVersion === null)).toHaveLength(0);
  });

  it('discards: the entry leaves the list, a refused VOC item leaves this computer, the note keeps its text', async () => {
    const { noteId, vocId, m } = refuseThree();
    expect(discardRejected(db, m.voc)).toEqual({ discarded: true });
    expect(vocRows().some((r) => r.id === vocId)).toBe(false);
    expect(discardRejected(db, m.note)).toEqual({ discarded: true });
    expect(db.prepare('SELECT text FROM notes WHERE id = ?').get(noteId)).toEqual({ text: 'Wants a refund for Marhc' });
    const response = await dispatchApiCall(handlers, 'discardRejectedMutation', [{ mutationId: m.disposition }]);
    expect(response).toEqual({ ok: true, value: { discarded: true } });
    expect(await dispatchApiCall(handlers, 'discardRejectedMutation', [{ mutationId: m.disposition }])).toEqual({ ok: true, value: { discarded: false } });
    expect(listRejected(db)).toEqual([]);
    expect(listOutbox(db).filter((e) => e.ackedVersion === null)).toHaveLength(0);
  });

  it('keeps the classification through a fix and retry; a refused workflow step can only be discarded', () => {
    const vocId = randomUUID();
    const m = { voc: uuidv7(), act: uuidv7() };
    const classified = { topicId: 'billing/double-charge', priority: 'urgent', safety: true, wants: 'refund', resolvedOnContact: false } as const;
    createVocItem(db, { id: vocId, customerId, interactionId, type: 'complaint', topic: 'Charged twice', description: 'twice in March', ...classified }, { createdBy: 'agent1', mutationId: m.voc, now: NOW });
    queueVocAct(db, { id: randomUUID(), expectedStatus: 'follow_up', action: 'followUpOutcome', outcome: 'satisfied' }, { mutationId: m.act, now: NOW, customerId });
    refuse([
      [m.voc, 'The topic billing/double-charge was retired; pick another.'],
      [m.act, 'This item is now closed; someone acted on it first.'],
    ]);
    expect(getRejected(db, m.voc)?.editable).toEqual({ kind: 'voc', type: 'complaint', topic: 'Charged twice', description: 'twice in March', ...classified });
    expect(getRejected(db, m.act)).toMatchObject({ name: 'voc.act', reason: 'This item is now closed; someone acted on it first.', editable: null });
    const newVocId = randomUUID();
    retryRejected(
      db,
      { mutationId: m.voc, edit: { kind: 'voc', type: 'complaint', topic: 'Charged twice', description: 'twice in March', ...classified, topicId: null } },
      { author: 'agent1', now: NOW, newId: () => newVocId },
    );
    const queued = listOutbox(db).filter((e) => e.ackedVersion === null);
    expect(queued[0]).toMatchObject({ name: 'voc.create', args: { id: newVocId, topicId: null, priority: 'urgent', safety: true, wants: 'refund', resolvedOnContact: false } });
    expect(JSON.parse(vocRows()[0]!.data)).toMatchObject({ id: newVocId, topicId: null, priority: 'urgent', safety: true, wants: 'refund' });
    expect(discardRejected(db, m.act)).toEqual({ discarded: true });
    expect(listRejected(db)).toEqual([]);
  });

  it('answers getRejectedMutation through the contract', async () => {
    const { m } = refuseThree();
    const response = await dispatchApiCall(handlers, 'getRejectedMutation', [{ mutationId: m.voc }]);
    expect(response.ok).toBe(true);
    expect(desktopApiMethods.getRejectedMutation.result.parse((response as { value: unknown }).value)).toMatchObject({ name: 'voc.create', editable: { kind: 'voc' } });
  });
});
