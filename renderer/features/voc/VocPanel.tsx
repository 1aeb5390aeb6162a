// VOC items for the current contact: the add form (type, topic, what was said) and the items added,
// listed under the notes. Several items per contact: record everything the customer raised.
import { TopicName } from './use-topic-name';
import { useEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { FOCUS, focusById } from '../../app/focus-targets';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { selectCall, selectCurrentCustomerId } from '../screen-pop/screen-pop-slice';
import { selectVocForm, selectVocItemsFor, vocFormChanged, vocFormClosed, vocFormOpened, vocItemSubmitted } from './voc-slice';
import { VocFields } from '../../components/VocFields';
import { selectTopicOptions } from './reference-slice';
import { VocMarks, VocTypeBadge } from '../../components/VocTypeBadge';
import type { ContactRef } from '../notes/NotesEditor';

export function VocPanel({ contact }: { contact?: ContactRef } = {}) {
  const t = useT();
  const dispatch = useAppDispatch();
  const currentCall = useAppSelector(selectCall);
  const currentCustomerId = useAppSelector(selectCurrentCustomerId);
  const call = contact ?? currentCall;
  const customerId = contact ? contact.customerId : currentCustomerId;
  const headingId = contact ? 'conversation-voc-heading' : 'voc-heading';
  const form = useAppSelector(selectVocForm);
  const items = useAppSelector((s) => selectVocItemsFor(s, call?.interactionId ?? null));
  const topics = useAppSelector(selectTopicOptions);
  const typeRef = useRef<HTMLSelectElement>(null);
  const wasOpen = useRef(form.open);

  // Focus follows the form: into it when it opens, back to the notes when it closes.
  useEffect(() => {
    if (form.open && !wasOpen.current) typeRef.current?.focus();
    if (!form.open && wasOpen.current) focusById(contact ? 'conversation-note-editor' : FOCUS.noteEditor);
    wasOpen.current = form.open;
  }, [form.open, contact]);

  if (!call) return null;
  const canAdd = customerId !== null;

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!call || !customerId || form.submitting) return;
    if (form.topic.trim() === '' && form.description.trim() === '') return;
    dispatch(vocItemSubmitted({ interactionId: call.interactionId, customerId }));
  }

  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      dispatch(vocFormClosed());
    }
  }

  return (
    <section className="voc" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('voc.heading')}</h2>
      {!canAdd && <p className="muted">{t('voc.noCustomer')}</p>}
      {canAdd && !form.open && (
        <button type="button" data-testid="voc-add" aria-keyshortcuts="Alt+V" onClick={() => dispatch(vocFormOpened())}>
          {t('voc.add')} <span className="muted">({t('voc.addHint')})</span>
        </button>
      )}
      {canAdd && form.open && (
        <form className="voc-form" data-testid="voc-form" onSubmit={submit} onKeyDown={onKeyDown} aria-label={t('voc.add')}>
          <VocFields value={form} topics={topics} onChange={(change) => dispatch(vocFormChanged(change))} testIdPrefix="voc" typeRef={typeRef} typeId={FOCUS.vocType} />
          {form.error && (
            <p role="alert" className="error">
              {t('voc.failed', { message: form.error })}
            </p>
          )}
          <div className="voc-actions">
            <button type="submit" data-testid="voc-submit" aria-keyshortcuts="Control+Enter" disabled={form.submitting || (form.topic.trim() === "" && form.description.trim() === "")}>
              {form.submitting ? t('voc.saving') : t('voc.submit')}
            </button>
            <button type="button" onClick={() => dispatch(vocFormClosed())}>
              {t('voc.cancel')}
            </button>
          </div>
        </form>
      )}
      {items.length === 0 ? (
        <p className="muted">{t('voc.none')}</p>
      ) : (
        <ul className="voc-items">
          {items.map((item) => (
            <li key={item.id} data-testid="voc-item">
              <VocTypeBadge type={item.type} /> <strong>
                <TopicName item={item} />
              </strong>
              {item.description && <span> — {item.description}</span>} <VocMarks item={item} />{' '}
              <span className="muted">{item.number ? `${item.number} · ` : ''}{t(`vocStatus.${item.status}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
