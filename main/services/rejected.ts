// Fix and retry, or discard, what the center refused for good. The sync engine parks a refused
// mutation in `rejected_mutations` (main/db/outbox.ts; read and removed through main/db/rejected.ts)
// so it never blocks the rest; here the agent decides what becomes of it:
// - retry: the edited note text or VOC item is written locally and queued as a NEW mutation (a note
//   as its next revision; a VOC item under a new id, since the center may have refused the old one
//   for its id), and the refused entry leaves the list, all in one transaction;
// - discard: the refused entry leaves the list; a refused VOC item, which the center never stored,
//   leaves this computer too. A note keeps its local text (earlier revisions may be at the center).
import { randomUUID } from 'node:crypto';
import type { DesktopApiHandlers } from '../../shared/api/index';
import type { RejectedDetail, RejectedEdit } from '../../shared/api/rejected';
import { cleaned } from '../../shared/domain/text-policy';
import { NoteSaveArgs, VocCreateArgs } from '../../shared/protocol/index';
import { createVocItem, readRejected, removeRefusedVocItem, removeRejected, saveNote, WriteRefusedError, type Db, type RefusedMutation } from '../db/index';
import { DesktopApiError } from './api-dispatch';
import { uuidv7 } from './uuid';

// A refused mutation's arguments as this desktop queued them, read with the text cleaned by the text
// policy: the center may have refused the very control character an older build let through, and the
// agent fixes what they wrote rather than losing it.
const RefusedNote = cleaned(NoteSaveArgs);
const RefusedVoc = cleaned(VocCreateArgs);

/** What of a refused mutation the agent can edit; null for anything but a readable note or VOC item. */
function editableOf(refused: RefusedMutation): RejectedEdit | null {
  const { name, args } = refused;
  if (name === 'note.save') {
    const note = RefusedNote.safeParse(args);
    return note.success ? { kind: 'note', text: note.data.text } : null;
  }
  if (name === 'voc.create') {
    const voc = RefusedVoc.safeParse(args);
    if (!voc.success) return null;
    const { id: _id, customerId: _customer, interactionId: _interaction, ...fields } = voc.data;
    return { kind: 'voc', ...fields };
  }
  return null;
}

export function getRejected(db: Db, mutationId: string): RejectedDetail | null {
  const refused = readRejected(db, mutationId);
  if (!refused) return null;
  return { mutationId: refused.mutationId, name: refused.name, reason: refused.reason, rejectedAt: refused.rejectedAt, editable: editableOf(refused) };
}

const notListed = () =>
  new DesktopApiError('not_found', 'That refused change is no longer in the list (it was already retried or discarded).');

/** Queues the edited note or VOC item as a new mutation and drops the refused one. Returns the new mutation's id. */
export function retryRejected(
  db: Db,
  input: { mutationId: string; edit: RejectedEdit },
  ctx: { author: string; now: string; newMutationId?: () => string; newId?: () => string },
): { mutationId: string } {
  const mutationId = (ctx.newMutationId ?? uuidv7)();
  return db.transaction(() => {
    const row = readRejected(db, input.mutationId);
    if (!row) throw notListed();
    const { args } = row;
    if (row.name === 'note.save' && input.edit.kind === 'note') {
      const refused = RefusedNote.safeParse(args);
      if (!refused.success) throw new DesktopApiError('not_editable', 'This refused note cannot be read any more; discard it and write it again.');
      const { id, customerId, interactionId } = refused.data;
      try {
        saveNote(db, { id, customerId, interactionId, text: input.edit.text }, { author: ctx.author, mutationId, now: ctx.now });
      } catch (err) {
        if (err instanceof WriteRefusedError) throw new DesktopApiError(err.code, err.message);
        throw err;
      }
    } else if (row.name === 'voc.create' && input.edit.kind === 'voc') {
      const refused = RefusedVoc.safeParse(args);
      if (!refused.success) throw new DesktopApiError('not_editable', 'This refused VOC item cannot be read any more; discard it and add it again.');
      const { id, customerId, interactionId } = refused.data;
      // The refused item never reached the center: its local row goes, the retry gets a new id.
      removeRefusedVocItem(db, id);
      const { kind: _kind, ...fields } = input.edit;
      createVocItem(db, { id: (ctx.newId ?? randomUUID)(), customerId, interactionId, ...fields }, { createdBy: ctx.author, mutationId, now: ctx.now });
    } else {
      throw new DesktopApiError(
        'not_editable',
        row.name === 'note.save' || row.name === 'voc.create'
          ? `A refused ${row.name === 'note.save' ? 'note' : 'VOC item'} is retried with a ${row.name === 'note.save' ? 'note' : 'VOC'} edit.`
          : 'This kind of change cannot be edited here; discard it and make it again.',
      );
    }
    removeRejected(db, input.mutationId);
    return { mutationId };
  })();
}

/** Drops a refused mutation from the list (and a refused VOC item from this computer). */
export function discardRejected(db: Db, mutationId: string): { discarded: boolean } {
  return db.transaction(() => {
    const row = readRejected(db, mutationId);
    if (!row) return { discarded: false };
    if (row.name === 'voc.create') {
      const voc = RefusedVoc.safeParse(row.args);
      if (voc.success) removeRefusedVocItem(db, voc.data.id);
    }
    removeRejected(db, mutationId);
    return { discarded: true };
  })();
}

/** The three DesktopApi handlers over the running desktop's store; `kick` syncs and publishes the new status. */
export function createRejectedHandlers(
  running: () => { db: Db; author(): string; kick(): void },
): Pick<DesktopApiHandlers, 'getRejectedMutation' | 'retryRejectedMutation' | 'discardRejectedMutation'> {
  return {
    async getRejectedMutation({ mutationId }) {
      return getRejected(running().db, mutationId);
    },
    async retryRejectedMutation(input) {
      const r = running();
      const result = retryRejected(r.db, input, { author: r.author(), now: new Date().toISOString() });
      r.kick();
      return result;
    },
    async discardRejectedMutation({ mutationId }) {
      const r = running();
      const result = discardRejected(r.db, mutationId);
      r.kick();
      return result;
    },
  };
}
