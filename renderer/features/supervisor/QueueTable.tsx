// The live queue table: one memoised row per queue, each reading only its own figures.
import { memo } from 'react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useReferenceLabels } from '../../i18n/labels';
import { useT, type Translate } from '../../i18n/use-t';
import { percent, seconds } from './format';
import { renderProbe } from './render-probe';
import { Sparkline } from './Sparkline';
import { rowLevels, selectQueueIds, selectQueueRow, selectQueueTrend, selectThresholdsOf, selectThresholdsSet, selectWaitingSamples, thresholdsEditOpened } from './supervisor-slice';

/** What a row needs from its table: the translator and the queue names change only with the language or the queues. */
interface RowProps {
  id: string;
  t: Translate;
  queueLabel: (queueId: string) => string;
}

/** The live sparkline: callers waiting at each of the last pushes. Re-renders itself, not its row. */
const WaitingSparkline = memo(function WaitingSparkline({ id, t, queueLabel }: RowProps) {
  const samples = useAppSelector((s) => selectWaitingSamples(s, id));
  if (!samples || samples.length < 2) return null;
  return <Sparkline values={samples} label={t('supervisor.trend.waiting', { queue: queueLabel(id) })} />;
});

/** One queue, subscribed to its own figures only. */
const QueueRow = memo(function QueueRow({ id, t, queueLabel }: RowProps) {
  const row = useAppSelector((s) => selectQueueRow(s, id));
  const trend = useAppSelector((s) => selectQueueTrend(s, id));
  const limits = useAppSelector((s) => selectThresholdsOf(s, id));
  const custom = useAppSelector((s) => selectThresholdsSet(s)?.queues[id]?.custom ?? false);
  const dispatch = useAppDispatch();
  renderProbe.onRow?.('queue', id);
  if (!row) return null;
  const w = row.window;
  const levels = rowLevels(row, limits);
  const slLevel = levels.serviceLevel;
  const waitLevel = levels.longestWait;
  const slTitle = t('supervisor.serviceLevelFormula', { expression: row.serviceLevel.expression, threshold: row.serviceLevel.thresholdSec });
  return (
    <tr data-testid="queue-row" data-queue={id}>
      <th scope="row">{queueLabel(id)}</th>
      <td className={`figure level-${levels.waitingNow}`} data-level={levels.waitingNow} data-testid="queue-waiting">
        {row.waitingNow}
      </td>
      <td className={`figure level-${waitLevel}`} data-level={waitLevel} data-testid="queue-longest-wait">
        {seconds(row.longestWaitSec)}
      </td>
      <td className={`figure level-${slLevel}`} data-level={slLevel} data-testid="queue-service-level" title={slTitle}>
        {percent(w.serviceLevel)}
        <span className="visually-hidden"> ({slTitle})</span>
      </td>
      <td>{seconds(w.asaSec)}</td>
      <td>{seconds(w.ahtSec)}</td>
      <td className={`figure level-${levels.abandonRate}`} data-level={levels.abandonRate} data-testid="queue-abandon-rate">
        {percent(w.abandonRate)}
      </td>
      <td>
        {w.offered} / {w.answered} / {w.abandoned}
      </td>
      <td>
        {trend && <Sparkline values={trend.serviceLevel} max={1} label={t('supervisor.trend.serviceLevel', { queue: id })} />}
        {trend && <Sparkline values={trend.offered} label={t('supervisor.trend.offered', { queue: id })} />}
        <WaitingSparkline id={id} t={t} queueLabel={queueLabel} />
      </td>
      <td>
        <button type="button" data-testid="edit-thresholds" aria-label={t('supervisor.thresholds.editFor', { queue: id })} onClick={() => dispatch(thresholdsEditOpened(id))}>
          {t('supervisor.thresholds.edit')}
          {custom ? ` (${t('supervisor.thresholds.custom')})` : ''}
        </button>
      </td>
    </tr>
  );
});

export function QueueTable() {
  const t = useT();
  const labels = useReferenceLabels();
  const ids = useAppSelector(selectQueueIds);
  if (ids.length === 0) return <p className="muted">{t('supervisor.noQueues')}</p>;
  // A half-screen window scrolls the table sideways, never the page.
  return (
    <div className="table-scroll">
      <table className="queue-table">
        <caption>{t('supervisor.queues')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('supervisor.col.queue')}</th>
            <th scope="col">{t('supervisor.col.waiting')}</th>
            <th scope="col">{t('supervisor.col.longestWait')}</th>
            <th scope="col">{t('supervisor.col.serviceLevel')}</th>
            <th scope="col">{t('supervisor.col.asa')}</th>
            <th scope="col">{t('supervisor.col.aht')}</th>
            <th scope="col">{t('supervisor.col.abandonRate')}</th>
            <th scope="col">{t('supervisor.col.counts')}</th>
            <th scope="col">{t('supervisor.col.trend')}</th>
            <th scope="col">{t('supervisor.thresholds.edit')}</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <QueueRow key={id} id={id} t={t} queueLabel={labels.queue} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
