// The desk's list: overdue first, then by the nearest deadline (the center's order), one dense row
// per item with what a person scans for; the number opens the item beside the list.
import { TopicName } from '../voc/use-topic-name';
import { memo } from 'react';
import type { DeskVocEntry } from '../../../shared/api/voc';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { formatDateTime, formatTime } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { VocMarks, VocTypeBadge } from '../../components/VocTypeBadge';
import { selectDepartmentsById } from '../voc/reference-slice';
import { deskItemOpened, deskListRequested, selectDesk } from './voc-desk-slice';

const Row = memo(function Row({ entry, selected }: { entry: DeskVocEntry; selected: boolean }) {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const department = useAppSelector(selectDepartmentsById).get(entry.departmentId ?? '');
  return (
    <tr data-testid="desk-row" className={`${entry.overdue ? 'overdue' : ''}${selected ? ' selected' : ''}`} aria-current={selected ? 'true' : undefined}>
      <td>
        <button type="button" className="link desk-open" data-testid="desk-open" onClick={() => dispatch(deskItemOpened(entry.id))}>
          {entry.number ?? t('pop.openVocNoNumber')}
        </button>
      </td>
      <td>
        <VocTypeBadge type={entry.type} />
      </td>
      <td className="desk-topic">
        <TopicName item={entry} />
        {entry.topicId === null && <span className="muted"> ({t('vocDesk.unclassified')})</span>} <VocMarks item={entry} />
      </td>
      <td>{entry.customerName ?? '—'}</td>
      <td data-testid="desk-row-status">
        {t(`vocStatus.${entry.status}`)}
        {entry.pendingSync && <span className="pending-mark"> · {t('vocDesk.waitingToSync')}</span>}
      </td>
      <td>
        {entry.ownerName ?? '—'}
        {department && <div className="muted">{department.name}</div>}
      </td>
      <td data-testid="desk-row-due">
        {entry.overdue && <span className="overdue-mark">{t('vocDesk.overdue')}</span>} {entry.nextDue ? formatDateTime(locale, entry.nextDue) : '—'}
      </td>
    </tr>
  );
});

export function FreshnessNote({ offline, asOf, testId }: { offline: boolean; asOf: string | null; testId: string }) {
  const t = useT();
  const locale = useLocale();
  if (!offline || !asOf) return null;
  return (
    <p className="notice offline-note" data-testid={testId} role="status">
      {t('vocDesk.offlineAsOf', { time: formatTime(locale, asOf) })}
    </p>
  );
}

export function DeskList() {
  const t = useT();
  const dispatch = useAppDispatch();
  const { list, selectedId } = useAppSelector(selectDesk);
  if (list.status === 'idle' || (list.status === 'loading' && list.items.length === 0)) return <p role="status">{t('vocDesk.loading')}</p>;
  return (
    <>
      <FreshnessNote offline={list.offline} asOf={list.asOf} testId="desk-offline" />
      {list.status === 'failed' && (
        <p role="alert" className="error" data-testid="desk-list-error">
          {t('vocDesk.listFailed', { message: list.error ?? '' })}
        </p>
      )}
      {list.items.length === 0 ? (
        list.status === 'ready' && <p className="muted" data-testid="desk-empty">{t('vocDesk.empty')}</p>
      ) : (
        <table className="desk-table" data-testid="desk-list" aria-label={t('vocDesk.listLabel')}>
          <thead>
            <tr>
              <th scope="col">{t('vocDesk.col.number')}</th>
              <th scope="col">{t('voc.type')}</th>
              <th scope="col">{t('voc.topic')}</th>
              <th scope="col">{t('vocDesk.col.customer')}</th>
              <th scope="col">{t('vocDesk.col.step')}</th>
              <th scope="col">{t('vocDesk.col.owner')}</th>
              <th scope="col">{t('vocDesk.col.due')}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((entry) => (
              <Row key={entry.id} entry={entry} selected={entry.id === selectedId} />
            ))}
          </tbody>
        </table>
      )}
      {list.next && (
        <button type="button" data-testid="desk-more" disabled={list.loadingMore} onClick={() => dispatch(deskListRequested({ more: true }))}>
          {list.loadingMore ? t('vocDesk.loading') : t('vocDesk.more')}
        </button>
      )}
    </>
  );
}
