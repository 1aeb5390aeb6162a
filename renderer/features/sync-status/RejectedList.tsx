// What the center refused, each with its reason and the agent's two choices: fix and retry (the note
// text or the VOC item opens for editing, then goes again as a new change) or discard.
import { useEffect, useRef } from 'react';
import { NOTE_MAX_CHARS } from '../../../shared/domain/index';
import { EMPTY_VOC_FIELDS, VocFields } from '../../components/VocFields';
import { selectTopicOptions } from '../voc/reference-slice';
import type { SyncStatus } from '../../../shared/api/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { formatDateTime, type MessageKey } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import {
  rejectedDiscardRequested,
  rejectedFixChanged,
  rejectedFixClosed,
  rejectedFixOpened,
  rejectedRetryRequested,
  selectRejectedFix,
} from './rejected-slice';

const KINDS: Record<string, MessageKey> = {
  'note.save': 'sync.kind.note.save',
  'voc.create': 'sync.kind.voc.create',
  'disposition.set': 'sync.kind.disposition.set',
  'customer.createProvisional': 'sync.kind.customer.createProvisional',
  'interaction.linkCustomer': 'sync.kind.interaction.linkCustomer',
  'voc.act': 'sync.kind.voc.act',
};

function FixEditor() {
  const t = useT();
  const dispatch = useAppDispatch();
  const fix = useAppSelector(selectRejectedFix);
  const topics = useAppSelector(selectTopicOptions);
  const firstField = useRef<HTMLTextAreaElement & HTMLSelectElement>(null);
  const editing = fix.status === 'editing' || fix.status === 'sending';
  useEffect(() => {
    if (fix.status === 'editing') firstField.current?.focus();
  }, [fix.status]);

  if (fix.status === 'loading') return <p role="status">{t('sync.rejected.loading')}</p>;
  const error = fix.error && (
    <p role="alert" className="error">
      {t('sync.rejected.failed', { message: fix.error })}
    </p>
  );
  if (fix.status === 'notEditable' || !fix.edit || !editing) {
    return (
      <>
        {fix.status === 'notEditable' && <p>{t('sync.rejected.notEditable')}</p>}
        {error}
      </>
    );
  }
  const edit = fix.edit;
  return (
    <form
      className="rejected-fix"
      data-testid="rejected-fix"
      aria-label={t('sync.rejected.editLabel')}
      onSubmit={(e) => {
        e.preventDefault();
        dispatch(rejectedRetryRequested());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          dispatch(rejectedFixClosed());
        }
      }}
    >
      {edit.kind === 'note' ? (
        <label>
          {t('sync.rejected.noteText')}
          <textarea
            ref={firstField}
            data-testid="rejected-fix-text"
            value={edit.text}
            maxLength={NOTE_MAX_CHARS}
            onChange={(e) => dispatch(rejectedFixChanged({ kind: 'note', text: e.target.value }))}
          />
        </label>
      ) : (
        <VocFields
          value={{ ...EMPTY_VOC_FIELDS, resolvedOnContact: false, ...edit }}
          topics={topics}
          onChange={(change) => dispatch(rejectedFixChanged({ ...edit, ...change }))}
          testIdPrefix="rejected-fix-voc"
          typeRef={firstField}
        />
      )}
      {error}
      <div className="rejected-fix-actions">
        <button type="submit" data-testid="rejected-fix-send" disabled={fix.status === 'sending'}>
          {fix.status === 'sending' ? t('sync.rejected.sending') : t('sync.rejected.send')}
        </button>
        <button type="button" onClick={() => dispatch(rejectedFixClosed())}>
          {t('sync.rejected.cancel')}
        </button>
      </div>
    </form>
  );
}

export function RejectedList({ rejected }: { rejected: SyncStatus['rejected'] }) {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const fix = useAppSelector(selectRejectedFix);
  if (rejected.length === 0) return <p>{t('sync.rejectedNone')}</p>;
  return (
    <ul className="rejected-list">
      {rejected.map((r) => {
        const kind = KINDS[r.name];
        const open = fix.mutationId === r.mutationId;
        return (
          <li key={r.mutationId} data-testid="sync-rejected">
            <p>{t('sync.rejectedItem', { name: kind ? t(kind) : r.name, time: formatDateTime(locale, r.rejectedAt), reason: r.reason })}</p>
            <div className="rejected-actions">
              <button
                type="button"
                data-testid="rejected-fix-open"
                aria-expanded={open}
                disabled={open && fix.status !== 'idle'}
                onClick={() => dispatch(rejectedFixOpened({ mutationId: r.mutationId }))}
              >
                {t('sync.rejected.fix')}
              </button>
              <button type="button" data-testid="rejected-discard" disabled={open && fix.status === 'sending'} onClick={() => dispatch(rejectedDiscardRequested({ mutationId: r.mutationId }))}>
                {t('sync.rejected.discard')}
              </button>
            </div>
            {open && <FixEditor />}
          </li>
        );
      })}
    </ul>
  );
}
