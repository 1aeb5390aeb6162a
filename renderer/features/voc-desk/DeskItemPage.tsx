// One item on the desk: where it stands (step, department, owner, every running deadline), what the
// customer said, the result being written, the steps this person may take now, the customer's
// profile, the contact it came from, and its whole history (who, when, from -> to, why).
import { TopicName } from '../voc/use-topic-name';
import type { VocDeskItem } from '../../../shared/api/voc';
import { VOC_ACTIONS, type VocActionName } from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { formatDateTime, type MessageKey } from '../../i18n/index';
import { useReferenceLabels } from '../../i18n/labels';
import { useLocale, useT } from '../../i18n/use-t';
import { VocMarks, VocTypeBadge } from '../../components/VocTypeBadge';
import { CustomerCard } from '../screen-pop/CustomerCard';
import { runningDeadlines } from '../voc/deadlines';
import { selectDepartmentsById } from '../voc/reference-slice';
import { FreshnessNote } from './DeskList';
import { selectSyncStatus } from '../sync-status/sync-status-slice';
import { StepForm } from './StepForm';
import { draftFor, ONE_PRESS } from './steps';
import { deskItemClosed, deskStepOpened, deskStepSubmitted, selectDesk } from './voc-desk-slice';
import { DEADLINE_KINDS } from '../../../shared/domain/index';

const CENTER_ACTIONS: Record<string, MessageKey> = {
  raise: 'vocHistory.raise',
  unclassify: 'vocHistory.unclassify',
  resolveOnContact: 'vocHistory.resolveOnContact',
  route: 'vocHistory.route',
  close: 'vocHistory.close',
  scheduleFollowUp: 'vocHistory.scheduleFollowUp',
};
const isStep = (a: string): a is VocActionName => (VOC_ACTIONS as readonly string[]).includes(a);

function Facts({ page }: { page: VocDeskItem }) {
  const t = useT();
  const locale = useLocale();
  const { item } = page;
  const department = useAppSelector(selectDepartmentsById).get(item.departmentId ?? '');
  const deadlines = DEADLINE_KINDS.flatMap((kind) => {
    const d = item.deadlines[kind];
    return d && d.dueAt ? [{ kind, ...d }] : [];
  });
  return (
    <dl className="desk-facts">
      <div>
        <dt>{t('vocDesk.fact.department')}</dt>
        <dd data-testid="desk-item-department">{department?.name ?? item.departmentId ?? t('vocDesk.fact.none')}</dd>
      </div>
      <div>
        <dt>{t('vocDesk.fact.owner')}</dt>
        <dd data-testid="desk-item-owner">{item.ownerName ?? t('vocDesk.fact.none')}</dd>
      </div>
      <div>
        <dt>{t('vocDesk.fact.raised')}</dt>
        <dd>{t('vocDesk.fact.raisedBy', { by: item.createdBy, time: formatDateTime(locale, item.createdAt) })}</dd>
      </div>
      {item.wants && (
        <div>
          <dt>{t('voc.wants')}</dt>
          <dd>{t(`voc.wants.${item.wants}`)}</dd>
        </div>
      )}
      {deadlines.map((d) => (
        <div key={d.kind} data-testid="desk-item-deadline" className={d.overdue && !d.metAt ? 'overdue' : undefined}>
          <dt>{t(`vocDesk.deadline.${d.kind}`)}</dt>
          <dd>
            {d.metAt
              ? t('vocDesk.deadline.met', { time: formatDateTime(locale, d.metAt) })
              : t('vocDesk.deadline.due', { time: formatDateTime(locale, d.dueAt!) })}
            {d.overdue && !d.metAt && <span className="overdue-mark"> {t('vocDesk.overdue')}</span>}
          </dd>
        </div>
      ))}
      {runningDeadlines(item).length === 0 && deadlines.length === 0 && (
        <div>
          <dt>{t('vocDesk.fact.deadlines')}</dt>
          <dd>{t('vocDesk.fact.none')}</dd>
        </div>
      )}
    </dl>
  );
}

function Steps({ page }: { page: VocDeskItem }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const { step } = useAppSelector(selectDesk);
  const refused = useAppSelector(selectSyncStatus)?.rejected.find((r) => r.mutationId === step.queued?.mutationId);
  const department = useAppSelector(selectDepartmentsById).get(page.item.departmentId ?? '');
  const open = (action: VocActionName) => {
    dispatch(deskStepOpened(draftFor(action, page.item, new Date())));
    if (ONE_PRESS.has(action)) dispatch(deskStepSubmitted());
  };
  return (
    <section className="desk-steps" aria-labelledby="desk-steps-heading">
      <h3 id="desk-steps-heading">{t('vocDesk.steps')}</h3>
      {page.actions.length === 0 ? (
        <p className="muted" data-testid="desk-no-steps">
          {t('vocDesk.noSteps')}
        </p>
      ) : (
        <div className="step-buttons">
          {page.actions.map((a) => (
            <button
              key={a}
              type="button"
              data-testid={`desk-step-${a}`}
              aria-expanded={ONE_PRESS.has(a) ? undefined : step.draft?.action === a}
              disabled={step.sending}
              onClick={() => open(a)}
            >
              {t(`vocAction.${a}`)}
            </button>
          ))}
        </div>
      )}
      {step.draft && !ONE_PRESS.has(step.draft.action) && <StepForm item={page.item} department={department} />}
      {step.draft && ONE_PRESS.has(step.draft.action) && step.error && (
        <p role="alert" className="error" data-testid="desk-step-error">
          {t('vocDesk.step.failed', { message: step.error })}
        </p>
      )}
      {step.queued && refused && (
        <p role="alert" className="error" data-testid="desk-step-refused">
          {t('vocDesk.step.refused', { step: t(`vocAction.${step.queued.action}`), reason: refused.reason })}
        </p>
      )}
      {step.queued && !refused && page.pendingSync && (
        <p role="status" className="notice" data-testid="desk-step-queued">
          {t('vocDesk.step.queued', { step: t(`vocAction.${step.queued.action}`) })}
        </p>
      )}
    </section>
  );
}

export function DeskItemPage() {
  const t = useT();
  const labels = useReferenceLabels();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const { page, selectedId } = useAppSelector(selectDesk);
  if (!selectedId) return <p className="muted desk-pick">{t('vocDesk.pick')}</p>;
  if (!page.data) {
    return page.status === 'failed' ? (
      <p role="alert" className="error" data-testid="desk-item-error">
        {t('vocDesk.itemFailed', { message: page.error ?? '' })}
      </p>
    ) : (
      <p role="status">{t('vocDesk.loading')}</p>
    );
  }
  const { item, history, customer, contact } = page.data;
  return (
    <article className="desk-item" data-testid="desk-item" aria-labelledby="desk-item-heading">
      <header className="desk-item-head">
        <h2 id="desk-item-heading">
          <span data-testid="desk-item-number">{item.number ?? t('pop.openVocNoNumber')}</span> <VocTypeBadge type={item.type} /> <TopicName item={item} />
        </h2>
        <button type="button" className="desk-close" data-testid="desk-item-close" onClick={() => dispatch(deskItemClosed())}>
          {t('vocDesk.close')}
        </button>
      </header>
      <p className="desk-item-status">
        <strong data-testid="desk-item-status">{t(`vocStatus.${item.status}`)}</strong> <VocMarks item={item} />
        {item.topicId === null && <span className="muted"> {t('vocDesk.unclassified')}</span>}
      </p>
      {page.data.pendingSync && (
        <p className="notice pending-note" data-testid="desk-item-pending" role="status">
          {t('vocDesk.pendingSync')}
        </p>
      )}
      {page.status === 'failed' && page.error && (
        <p role="alert" className="error">
          {t('vocDesk.itemFailed', { message: page.error })}
        </p>
      )}
      <FreshnessNote offline={page.data.offline} asOf={page.data.asOf} testId="desk-item-offline" />
      <Facts page={page.data} />
      {item.description && (
        <section aria-labelledby="desk-said-heading">
          <h3 id="desk-said-heading">{t('voc.description')}</h3>
          <p className="desk-text">{item.description}</p>
        </section>
      )}
      {(item.result || item.remedy) && (
        <section aria-labelledby="desk-result-heading" data-testid="desk-item-result">
          <h3 id="desk-result-heading">{t('vocDesk.result')}</h3>
          {item.result && <p className="desk-text">{item.result}</p>}
          {item.remedy && <p className="desk-text"><span className="muted">{t('vocDesk.step.remedy')}: </span>{item.remedy}</p>}
          {item.notifiedVia && item.notifiedAt && (
            <p className="muted">{t('vocDesk.toldVia', { via: t(`vocDesk.via.${item.notifiedVia}`), time: formatDateTime(locale, item.notifiedAt) })}</p>
          )}
          {item.followUpOutcome && <p className="muted">{t('vocDesk.followUpWas', { outcome: t(`followUp.outcome.${item.followUpOutcome}`) })}</p>}
        </section>
      )}
      <Steps page={page.data} />
      <section className="desk-customer" aria-labelledby="desk-customer-heading">
        <h3 id="desk-customer-heading">{t('vocDesk.customer')}</h3>
        <CustomerCard customer={customer} />
      </section>
      <section aria-labelledby="desk-contact-heading">
        <h3 id="desk-contact-heading">{t('vocDesk.contact')}</h3>
        {contact ? (
          <p data-testid="desk-item-contact">
            {t(`channel.${contact.channel}`)} · {formatDateTime(locale, contact.startedAt)}
            {contact.agent && <> · {t('history.by', { agent: contact.agent })}</>}
            {contact.queue && <> · {labels.queue(contact.queue)}</>}
            {contact.disposition && <> · {t('history.disposition', { disposition: labels.disposition(contact.queue, contact.disposition) })}</>}
          </p>
        ) : (
          <p className="muted">{t('vocDesk.noContact')}</p>
        )}
      </section>
      <section aria-labelledby="desk-history-heading">
        <h3 id="desk-history-heading">{t('vocDesk.history')}</h3>
        <ol className="desk-history" data-testid="desk-history">
          {history.map((h, i) => (
            <li key={`${h.at}-${i}`} data-testid="desk-history-entry">
              <span className="muted">{formatDateTime(locale, h.at)}</span> <strong>{h.by}</strong>{' '}
              {isStep(h.action) ? t(`vocAction.${h.action}`) : CENTER_ACTIONS[h.action] ? t(CENTER_ACTIONS[h.action]!) : h.action}
              {/* The first entry has no "from": its action says it (raised). */}
              {h.from && `: ${t(`vocStatus.${h.from}`)} → ${t(`vocStatus.${h.to}`)}`}
              {h.reason && <div className="desk-reason">{h.reason}</div>}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
