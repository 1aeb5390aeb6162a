// The live queue table: one memoised row per queue, each reading only its own figures.
import { memo } from 'react';
import { useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { percent, seconds } from './format';
import { renderProbe } from './render-probe';
import { Sparkline } from './Sparkline';
import { selectQueueIds, selectQueueRow, selectQueueTrend } from './supervisor-slice';
import { longestWaitLevel, serviceLevelLevel, thresholdsFor } from './thresholds';

const QueueRow = memo(function QueueRow({ id }: { id: string }) {
  const t = useT();
  const row = useAppSelector((s) => selectQueueRow(s, id));
  const trend = useAppSelector((s) => selectQueueTrend(s, id));
  renderProbe.onRow?.('queue', id);
  if (!row) return null;
  const limits = thresholdsFor(id);
  const w = row.window;
  const slLevel = serviceLevelLevel(w.serviceLevel, limits);
  const waitLevel = longestWaitLevel(row.longestWaitSec, limits);
  const slTitle = t('supervisor.serviceLevelFormula', { expression: row.serviceLevel.expression, threshold: row.serviceLevel.thresholdSec });
  return (
    <tr data-testid="queue-row" data-queue={id}>
      <th scope="row">{id}</th>
      <td>{row.waitingNow}</td>
      <td className={`figure level-${waitLevel}`} data-level={waitLevel} data-testid="queue-longest-wait">
        {seconds(row.longestWaitSec)}
      </td>
      <td className={`figure level-${slLevel}`} data-level={slLevel} data-testid="queue-service-level" title={slTitle}>
        {percent(w.serviceLevel)}
        <span className="visually-hidden"> ({slTitle})</span>
      </td>
      <td>{seconds(w.asaSec)}</td>
      <td>{seconds(w.ahtSec)}</td>
      <td>{percent(w.abandonRate)}</td>
      <td>
        {w.offered} / {w.answered} / {w.abandoned}
      </td>
      <td>
        {trend && <Sparkline values={trend.serviceLevel} max={1} label={t('supervisor.trend.serviceLevel', { queue: id })} />}
        {trend && <Sparkline values={trend.offered} label={t('supervisor.trend.offered', { queue: id })} />}
      </td>
    </tr>
  );
});

export function QueueTable() {
  const t = useT();
  const ids = useAppSelector(selectQueueIds);
  if (ids.length === 0) return <p className="muted">{t('supervisor.noQueues')}</p>;
  return (
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
        </tr>
      </thead>
      <tbody>
        {ids.map((id) => (
          <QueueRow key={id} id={id} />
        ))}
      </tbody>
    </table>
  );
}
