// The free-form notes area for the current contact (no script, no canned text) and its quiet
// save indicator. Alt+V (handled by the workspace shortcuts) opens a VOC item from here.
import { FOCUS } from '../../app/focus-targets';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectCall, selectCurrentCustomerId } from '../screen-pop/screen-pop-slice';
import { NOTE_MAX_CHARS } from '../../../shared/domain/index';
import { EarlierNotes } from './EarlierNotes';
import { noteEdited, noteStatusOf, selectNoteDraft } from './notes-slice';

/** A contact's interaction and customer: the current call's by default, or a chat's or email's (the inbox). */
export interface ContactRef {
  interactionId: string;
  customerId: string | null;
}

export function NotesEditor({ contact }: { contact?: ContactRef } = {}) {
  const t = useT();
  const dispatch = useAppDispatch();
  const currentCall = useAppSelector(selectCall);
  const currentCustomerId = useAppSelector(selectCurrentCustomerId);
  const call = contact ?? currentCall;
  const customerId = contact ? contact.customerId : currentCustomerId;
  // Beside a call's notes, a conversation's own ids (the shortcuts focus the call's).
  const ids = contact ? { editor: 'conversation-note-editor', heading: 'conversation-notes-heading', status: 'conversation-note-status' } : { editor: FOCUS.noteEditor, heading: 'notes-heading', status: 'note-status' };
  const draft = useAppSelector((s) => selectNoteDraft(s, call?.interactionId ?? null));
  if (!call) return null;
  const status = noteStatusOf(draft);
  const statusText =
    status === 'failed' ? t('notes.status.failed', { message: draft?.error ?? '' }) : t(`notes.status.${status}`);

  return (
    <section className="notes" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>
        <label htmlFor={ids.editor}>{t('notes.label')}</label>
      </h2>
      <textarea
        id={ids.editor}
        data-testid="note-editor"
        value={draft?.text ?? ''}
        maxLength={NOTE_MAX_CHARS}
        placeholder={t('notes.placeholder')}
        aria-describedby={ids.status}
        aria-keyshortcuts="Alt+V"
        onChange={(e) => dispatch(noteEdited({ interactionId: call.interactionId, customerId, text: e.target.value }))}
      />
      <p id={ids.status} data-testid="note-status" role="status" className={`note-status note-${status}`}>
        {statusText}
      </p>
      {!contact && <EarlierNotes />}
    </section>
  );
}
