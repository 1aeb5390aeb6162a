// Chats and emails per queue (the center's `QueueMetrics.channels`): waiting now, the oldest wait,
// held by agents, first-response time. Its own narrow table, one row per queue and channel, so it
// fits a 960 px window without scrolling; absent when the center reports no chat or email figures.
// Each queue's "Capacity" button opens CapacityDialog.
import { memo } from 'react';
import { channelLevels, type WorkChannel } from '../../../shared/protocol/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useReferenceLabels } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { waitTime } from './format';
import { renderProbe } from './render-probe';
import { capacityEditOpened, selectCapacities, selectChannelQueueIds, selectQueueChannels, selectThresholdsOf } from './supervisor-slice';

const CHANNELS: readonly WorkChannel[] = ['chat', 'email'];

/** Opens the capacity dialog of a queue; absent until the center has said what the capacities are. */
function CapacityButton({ id }: { id: string }) {
  const t = useT();
  const labels = useReferenceLabels();
  const dispatch = useAppDispatch();
  const set = useAppSelector((s) => selectCapacities(s)?.queues[id]);
  if (!set) return null;
  const custom = set.chat.custom || set.email.custom;
  return (
    <button type="button" data-testid="edit-capacity" aria-label={t('supervisor.capacity.editFor', { queue: labels.queue(id) })} onClick={() => dispatch(capacityEditOpened(id))}>
      {t('supervisor.capacity.edit')}
      {custom ? ` (${t('supervisor.capacity.custom')})` : ''}
    </button>
  );
}

const ChannelRows = memo(function ChannelRows({ id }: { id: string }) {
  const t = useT();
  const labels = useReferenceLabels();
  const figures = useAppSelector((s) => selectQueueChannels(s, id));
  const limits = useAppSelector((s) => selectThresholdsOf(s, id));
  renderProbe.onRow?.('channels', id);
  if (!figures) return null;
  return (
    <>
      {CHANNELS.map((channel, i) => {
        const f = figures[channel];
        const levels = channelLevels(channel, f, limits);
        return (
          <tr key={channel} data-testid="channel-row" data-queue={id} data-channel={channel} className={i === 0 ? 'queue-start' : undefined}>
            {i === 0 && (
              <th scope="rowgroup" rowSpan={CHANNELS.length}>
                {labels.queue(id)}
              </th>
            )}
            <th scope="row">{t(channel === 'chat' ? 'supervisor.channels.chat' : 'supervisor.channels.email')}</th>
            <td className={`figure level-${levels.waitingNow}`} data-level={levels.waitingNow} data-testid="channel-waiting">
              {f.waitingNow}
            </td>
            <td className={`figure level-${levels.longestWait}`} data-level={levels.longestWait} data-testid="channel-oldest">
              {f.waitingNow > 0 ? waitTime(f.longestWaitSec) : waitTime(null)}
            </td>
            <td data-testid="channel-active">{f.active}</td>
            <td data-testid="channel-first-response">{waitTime(f.firstResponseSec)}</td>
            {i === 0 && (
              <td rowSpan={CHANNELS.length}>
                <CapacityButton id={id} />
              </td>
            )}
          </tr>
        );
      })}
    </>
  );
});

export function ChannelTable() {
  const t = useT();
  const ids = useAppSelector(selectChannelQueueIds);
  if (ids.length === 0) return null;
  return (
    <div className="table-scroll">
      <table className="channel-table" data-testid="channel-table">
        <caption>{t('supervisor.channels.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('supervisor.col.queue')}</th>
            <th scope="col">{t('supervisor.channels.channel')}</th>
            <th scope="col">{t('supervisor.col.waiting')}</th>
            <th scope="col">{t('supervisor.channels.oldest')}</th>
            <th scope="col">{t('supervisor.channels.held')}</th>
            <th scope="col" title={t('supervisor.channels.firstResponseHint')}>
              {t('supervisor.channels.firstResponse')}
            </th>
            <th scope="col">{t('supervisor.capacity.edit')}</th>
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <ChannelRows key={id} id={id} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
