// What the customer raised before that is still open, so the agent can speak to it first and tell
// the caller where it stands without transferring them: its number, step, department, due date, overdue.
import { TopicName } from '../voc/use-topic-name';
import type { VocItem } from '../../../shared/domain/index';
import { useAppSelector } from '../../app/hooks';
import { formatDateTime } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { VocMarks, VocTypeBadge } from '../../components/VocTypeBadge';
import { dueState } from '../voc/deadlines';
import { selectDepartmentsById } from '../voc/reference-slice';

export function OpenVocList({ items }: { items: VocItem[] }) {
  const t = useT();
  const locale = useLocale();
  const departments = useAppSelector(selectDepartmentsById);
  return (
    <section className="open-voc" aria-labelledby="open-voc-heading">
      <h3 id="open-voc-heading">{t('pop.openVoc')}</h3>
      {items.length === 0 ? (
        <p className="muted">{t('pop.openVocNone')}</p>
      ) : (
        <ul>
          {items.map((item) => {
            const { nextDue, overdue } = dueState(item);
            const department = item.departmentId ? (departments.get(item.departmentId)?.name ?? item.departmentId) : null;
            return (
              <li key={item.id} data-testid="open-voc-item" className={overdue ? 'overdue' : undefined}>
                <div>
                  <VocTypeBadge type={item.type} /> <strong><TopicName item={item} /></strong> <VocMarks item={item} />
                  {overdue && <span className="overdue-mark" data-testid="open-voc-overdue">{t('vocDesk.overdue')}</span>}
                </div>
                <div className="open-voc-line muted">
                  <span data-testid="open-voc-number">{item.number ?? t('pop.openVocNoNumber')}</span>
                  {' · '}
                  <span data-testid="open-voc-status">{t(`vocStatus.${item.status}`)}</span>
                  {department && (
                    <>
                      {' · '}
                      <span data-testid="open-voc-department">{department}</span>
                    </>
                  )}
                  {' · '}
                  {nextDue ? (
                    <span data-testid="open-voc-due">{t('pop.openVocDue', { time: formatDateTime(locale, nextDue) })}</span>
                  ) : (
                    <span>{t('pop.openVocRaised', { time: formatDateTime(locale, item.createdAt) })}</span>
                  )}
                </div>
                {item.description && <p data-testid="open-voc-description">{item.description}</p>}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
