// Notes from earlier contacts of this session that are still only on screen (saving, failing, or
// waiting for a customer record): listed so the agent knows they are not lost, and not yet safe.
import { useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectCurrentInteractionId } from '../screen-pop/screen-pop-slice';
import { noteStatusOf, selectUnsavedEarlierNotes } from './notes-slice';

export function EarlierNotes() {
  const t = useT();
  const current = useAppSelector(selectCurrentInteractionId);
  const drafts = useAppSelector((s) => selectUnsavedEarlierNotes(s, current));
  if (drafts.length === 0) return null;
  return (
    <section className="earlier-notes" aria-labelledby="earlier-notes-heading" data-testid="earlier-notes">
      <h3 id="earlier-notes-heading">{t('notes.earlierHeading')}</h3>
      <p className="muted">{t('notes.earlierHelp')}</p>
      <ul>
        {drafts.map((d) => {
          const status = noteStatusOf(d);
          return (
            <li key={d.noteId} data-testid="earlier-note">
              <details>
                <summary>
                  {status === 'failed' ? t('notes.status.failed', { message: d.error ?? '' }) : t(`notes.status.${status}`)}
                </summary>
                <p className="earlier-note-text">{d.text}</p>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
