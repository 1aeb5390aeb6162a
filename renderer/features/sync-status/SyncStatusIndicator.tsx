// The agent bar's sync indicator: state word, how many changes the center refused, and the pending
// count, with a detail panel listing what the center refused and why.
import { useId, useState } from 'react';
import { useAppSelector } from '../../app/hooks';
import { formatDateTime, formatNumber } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { selectSyncStatus } from './sync-status-slice';
import { RejectedList } from './RejectedList';

export function SyncStatusIndicator() {
  const t = useT();
  const locale = useLocale();
  const status = useAppSelector(selectSyncStatus);
  const [open, setOpen] = useState(false);
  const detailId = useId();
  const stateWord = status ? t(`sync.state.${status.state}`) : t('sync.state.unknown');
  const pending = status?.pending ?? 0;
  const rejected = status?.rejected ?? [];

  return (
    <div className={`sync-status sync-${status?.state ?? 'unknown'}`} role="group" aria-label={t('sync.label')}>
      <button
        type="button"
        data-testid="sync-status"
        aria-expanded={open}
        aria-controls={detailId}
        title={t('sync.showDetail')}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="sync-dot" aria-hidden="true" />
        {stateWord}
        {rejected.length > 0 && (
          <span className="badge warn" data-testid="sync-refused">
            {' '}
            {t('sync.refusedCount', { count: formatNumber(locale, rejected.length) })}
          </span>
        )}
      </button>
      <span className="sync-pending-wrap" title={t('sync.pending', { count: pending })}>
        <span data-testid="sync-pending" aria-label={t('sync.pending', { count: pending })}>
          {pending}
        </span>
      </span>
      {open && (
        <section id={detailId} className="sync-detail" aria-label={t('sync.detailHeading')} data-testid="sync-detail">
          <h2>{t('sync.detailHeading')}</h2>
          <p>{t('sync.pending', { count: formatNumber(locale, pending) })}</p>
          <p>{status?.lastSyncAt ? t('sync.lastSync', { time: formatDateTime(locale, status.lastSyncAt) }) : t('sync.neverSynced')}</p>
          {status?.state === 'update_required' && <p className="warn">{t('sync.updateRequiredHelp')}</p>}
          {status?.state === 'retrying' && <p className="warn">{t('sync.retryingHelp')}</p>}
          {rejected.length > 0 && <p className="warn">{t('sync.refusedHelp', { count: formatNumber(locale, rejected.length) })}</p>}
          {status?.lastError && <p className="warn">{t('sync.lastError', { message: status.lastError })}</p>}
          <h3>{t('sync.rejectedHeading')}</h3>
          <RejectedList rejected={rejected} />
        </section>
      )}
    </div>
  );
}
