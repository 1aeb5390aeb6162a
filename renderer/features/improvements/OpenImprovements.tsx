// The analysis view's side of improvements: a count of open improvements on each topic row of the
// matrix, and the list of open improvements by topic (title, department, status, target date, how
// many voices), so a reader sees what is already being changed before proposing more.
import { formatDate } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { useAppSelector } from '../../app/hooks';
import { isOpenImprovement, type Improvement } from '../../../shared/api/improvements';
import { selectDepartmentsById } from '../voc/reference-slice';
import { useTopicPath } from '../voc/use-topic-name';
import { isOverdue, selectImprovements, selectOpenPerTopic } from './improvements-slice';
import './improvements.css';

/** Today on this computer's calendar, as YYYY-MM-DD (target dates are days). */
export const localToday = (now = new Date()) => `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;

/** On a matrix topic row: how many improvements for this topic are open (nothing when none). */
export function TopicImprovementBadge({ topicId, topic }: { topicId: string | null; topic: string }) {
  const t = useT();
  const count = useAppSelector(selectOpenPerTopic).get(topicId ?? '') ?? 0;
  if (count === 0) return null;
  return (
    <span className="improvement-badge" data-testid="improvement-topic-badge" data-topic={topicId ?? ''} title={t('improvement.openCountSaid', { topic, count })}>
      <span aria-hidden="true">{t('improvement.openCount', { count })}</span>
      <span className="visually-hidden">{t('improvement.openCountSaid', { topic, count })}</span>
    </span>
  );
}

/** The line an improvement shows in a list: status, department, target (overdue said), voices. */
export function ImprovementLine({ m }: { m: Improvement }) {
  const t = useT();
  const locale = useLocale();
  const departments = useAppSelector(selectDepartmentsById);
  const overdue = isOverdue(m, localToday());
  return (
    <span className="improvement-line">
      <span className={`improvement-status status-${m.status}`} data-testid="improvement-status">
        {t(`improvement.status.${m.status}`)}
      </span>{' '}
      {departments.get(m.departmentId)?.name ?? m.departmentId} ·{' '}
      <span data-testid="improvement-due">{m.targetDate ? t('improvement.due', { date: formatDate(locale, `${m.targetDate}T12:00:00`) }) : t('improvement.noTarget')}</span>
      {overdue && (
        <>
          {' '}
          <span className="overdue-mark" data-testid="improvement-overdue">
            {t('improvement.overdue')}
          </span>
        </>
      )}{' '}
      · {t('improvement.linked', { count: m.linked })}
    </span>
  );
}

export function OpenImprovementsPanel() {
  const t = useT();
  const { list, listStatus, listError } = useAppSelector(selectImprovements);
  const topicPath = useTopicPath(t);
  const open = list.filter((m) => isOpenImprovement(m.status));
  const byTopic = new Map<string, Improvement[]>();
  for (const m of open) byTopic.set(m.topicId ?? '', [...(byTopic.get(m.topicId ?? '') ?? []), m]);
  return (
    <section className="improvements-open" aria-labelledby="improvements-open-heading" data-testid="improvements-open">
      <h2 id="improvements-open-heading">{t('improvement.openHeading')}</h2>
      {listStatus === 'failed' && listError && (
        <p role="alert" className="error">
          {t('improvement.loadFailed', { message: listError.message })}
        </p>
      )}
      {listStatus === 'loaded' && open.length === 0 && <p className="muted">{t('improvement.noneOpen')}</p>}
      {[...byTopic].map(([topic, items]) => (
        <div key={topic} className="improvements-topic">
          <h3>{topicPath(topic || null, topic)}</h3>
          <ul>
            {items.map((m) => (
              <li key={m.id} data-testid="improvement-open-item">
                <strong>{m.title}</strong>
                <br />
                <ImprovementLine m={m} />
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}
