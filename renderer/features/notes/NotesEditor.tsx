// The free-form notes area for the current contact (no script, no canned text) and its quiet
// save indicator. Alt+V (handled by the workspace shortcuts) opens a VOC item from here.
import { FOCUS } from '../../app/focus-targets';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectCall, selectCurrentCustomerId } from '../screen-pop/screen-pop-slice';
import { NOTE_MAX_CHARS } from '../../../shared/domain/index';
import { EarlierNotes } from './EarlierNotes';
import { noteEdited, noteStatusOf, selectNoteDraft } from './notes-slice';

export function NotesEditor() {
  const t = useT();
  const dispatch = useAppDispatch();
  const call = useAppSelector(selectCall);
  const customerId = useAppSelector(selectCurrentCustomerId);
  const draft = useAppSelector((s) => selectNoteDraft(s, call?.interactionId ?? null));
  if (!call) return null;
  const status = noteStatusOf(draft);
  const statusText =
    status === 'failed' ? t('notes.status.failed', { message: draft?.error ?? '' }) : t(`notes.status.${status}`);

  return (
    <section className="notes" aria-labelledby="notes-heading">
      <h2 id="notes-heading">
        <label htmlFor={FOCUS.noteEditor}>{t('notes.label')}</label>
      </h2>
      <textarea
        id={FOCUS.noteEditor}
        data-testid="note-editor"
        value={draft?.text ?? ''}
        maxLength={NOTE_MAX_CHARS}
        placeholder={t('notes.placeholder')}
        aria-describedby="note-status"
        aria-keyshortcuts="Alt+V"
        onChange={(e) => dispatch(noteEdited({ interactionId: call.interactionId, customerId, text: e.target.value }))}
      />
      <p id="note-status" data-testid="note-status" role="status" className={`note-status note-${status}`}>
        {statusText}
      </p>
      <EarlierNotes />
    </section>
  );
}
