// An unobtrusive, politely announced list of queues over their thresholds.
import { useAppSelector } from '../../app/hooks';
import { useReferenceLabels } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { percent, seconds } from './format';
import { selectQueueAlerts } from './supervisor-slice';

export function QueueAlerts() {
  const t = useT();
  const labels = useReferenceLabels();
  const alerts = useAppSelector(selectQueueAlerts);
  return (
    // Six alerts show at a time (supervisor.css) and the box scrolls past them: it takes the keyboard
    // focus then, so the rest can be scrolled to without a mouse, and says how many there are.
    <div
      className="queue-alerts"
      aria-live="polite"
      data-testid="queue-alerts"
      {...(alerts.length > 0 ? { role: 'region', tabIndex: 0, 'aria-label': t('supervisor.alerts.label', { count: alerts.length }) } : {})}
    >
      {alerts.map((a) => (
        <p key={`${a.queue}-${a.figure}`} className={`level-${a.level}`} data-level={a.level}>
          {a.figure === 'serviceLevel'
            ? t('supervisor.alert.serviceLevel', { queue: labels.queue(a.queue), value: percent(a.value) })
            : a.figure === 'longestWait'
              ? t('supervisor.alert.longestWait', { queue: labels.queue(a.queue), value: seconds(a.value) })
              : a.figure === 'waitingNow'
                ? t('supervisor.alert.waiting', { queue: labels.queue(a.queue), value: String(a.value) })
                : t('supervisor.alert.abandonRate', { queue: labels.queue(a.queue), value: percent(a.value) })}
        </p>
      ))}
    </div>
  );
}
