// Follow-up ("happy") calls beside the agent's calls: a preview card per task (customer, the item,
// its result and remedy, what to ask), Call / Reschedule / Skip, and after the call the outcome.
// No script: the card says what the call is for; the agent talks in their own words.
import { useEffect, useRef } from 'react';
import type { DeskFollowUp } from '../../../shared/api/voc';
import { FOLLOW_UP_OUTCOMES, VOC_REASON_MAX_CHARS } from '../../../shared/domain/index';
import { formatPhone } from '../../../shared/domain/phone';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { formatDateTime } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { VocTypeBadge } from '../../components/VocTypeBadge';
import { FreshnessNote } from '../voc-desk/DeskList';
import { localDateTime } from '../voc-desk/steps';
import {
  followUpCallRequested,
  followUpFormChanged,
  followUpFormClosed,
  followUpFormOpened,
  followUpFormSubmitted,
  selectFollowUps,
} from './follow-ups-slice';

function CardForm({ task }: { task: DeskFollowUp }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const form = useAppSelector(selectFollowUps).form;
  const first = useRef<HTMLElement | null>(null);
  const kind = form?.taskId === task.id ? form.kind : null;
  useEffect(() => {
    first.current?.focus();
  }, [kind]);
  if (!form || form.taskId !== task.id) return null;
  const label = t(`followUp.form.${form.kind}`);
  return (
    <form
      className="follow-up-form"
      data-testid={`followup-${form.kind}-form`}
      aria-label={label}
      onSubmit={(e) => {
        e.preventDefault();
        dispatch(followUpFormSubmitted());
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          dispatch(followUpFormClosed());
        }
      }}
    >
      {form.kind === 'outcome' && (
        <fieldset>
          <legend>{t('followUp.outcomeQuestion')}</legend>
          {FOLLOW_UP_OUTCOMES.map((o, i) => (
            <label key={o} className="check">
              <input
                ref={i === 0 ? (el) => void (first.current = el) : undefined}
                type="radio"
                name={`outcome-${task.id}`}
                value={o}
                data-testid={`followup-outcome-${o}`}
                checked={form.outcome === o}
                onChange={() => dispatch(followUpFormChanged({ outcome: o }))}
              />
              {t(`followUp.outcome.${o}`)}
            </label>
          ))}
        </fieldset>
      )}
      {form.kind === 'reschedule' && (
        <label>
          {t('followUp.when')}
          <input
            ref={(el) => void (first.current = el)}
            type="datetime-local"
            data-testid="followup-reschedule-at"
            value={form.at}
            onChange={(e) => dispatch(followUpFormChanged({ at: e.target.value }))}
          />
        </label>
      )}
      {form.kind !== 'reschedule' && (
        <label>
          {form.kind === 'skip' ? t('followUp.skipWhy') : form.outcome === 'dissatisfied' ? t('followUp.dissatisfiedWhy') : t('followUp.notes')}
          <textarea
            ref={form.kind === 'skip' ? (el) => void (first.current = el) : undefined}
            data-testid="followup-reason"
            maxLength={VOC_REASON_MAX_CHARS}
            value={form.reason}
            onChange={(e) => dispatch(followUpFormChanged({ reason: e.target.value }))}
          />
        </label>
      )}
      {form.error && (
        <p role="alert" className="error" data-testid="followup-error">
          {t('followUp.failed', { message: form.error })}
        </p>
      )}
      <div className="voc-actions">
        <button type="submit" data-testid="followup-save" disabled={form.sending}>
          {form.sending ? t('vocDesk.step.sending') : label}
        </button>
        <button type="button" onClick={() => dispatch(followUpFormClosed())}>
          {t('voc.cancel')}
        </button>
      </div>
    </form>
  );
}

function Card({ task }: { task: DeskFollowUp }) {
  const t = useT();
  const locale = useLocale();
  const dispatch = useAppDispatch();
  const { placing, called, callError, form } = useAppSelector(selectFollowUps);
  const mine = called[task.id] !== undefined;
  const takenByOther = task.state === 'calling' && !mine;
  const busy = placing !== null || task.pendingOutcome !== null;
  return (
    <li className="follow-up" data-testid="followup-card" aria-labelledby={`followup-${task.id}`}>
      <h3 id={`followup-${task.id}`} data-testid="followup-customer">
        {task.customerName} <span className="muted">{task.phone ? formatPhone(task.phone) : t('followUp.noPhone')}</span>
      </h3>
      <p>
        <VocTypeBadge type={task.type} /> <strong>{task.number ?? '—'}</strong> <span data-testid="followup-words">{task.topic}</span>
      </p>
      {task.result && (
        <p className="follow-up-result">
          <span className="muted">{t('vocDesk.result')}: </span>
          <span data-testid="followup-words">{task.result}</span>
        </p>
      )}
      {task.remedy && (
        <p className="follow-up-result">
          <span className="muted">{t('vocDesk.step.remedy')}: </span>
          <span data-testid="followup-words">{task.remedy}</span>
        </p>
      )}
      <p className="follow-up-ask" data-testid="followup-ask">
        {t('followUp.ask')}
      </p>
      <p className="muted">
        {t('followUp.due', { time: formatDateTime(locale, task.dueAt) })} · {t('followUp.attempts', { n: task.attempts + 1, max: task.maxAttempts })}
        {takenByOther && task.claimedBy && <> · {t('followUp.claimedBy', { name: task.claimedBy })}</>}
      </p>
      {task.pendingOutcome && (
        <p className="notice" role="status" data-testid="followup-pending">
          {t('followUp.pendingOutcome', { outcome: t(`followUp.outcome.${task.pendingOutcome}`) })}
        </p>
      )}
      {callError?.taskId === task.id && (
        <p role="alert" className="error" data-testid="followup-call-error">
          {t('followUp.callFailed', { message: callError.message })}
        </p>
      )}
      {!task.pendingOutcome && (
        <div className="voc-actions">
          {mine ? (
            <button type="button" data-testid="followup-record" onClick={() => dispatch(followUpFormOpened({ kind: 'outcome', taskId: task.id }))}>
              {t('followUp.form.outcome')}
            </button>
          ) : (
            <button type="button" data-testid="followup-call" disabled={busy || takenByOther || !task.phone} onClick={() => dispatch(followUpCallRequested({ taskId: task.id }))}>
              {placing === task.id ? t('followUp.calling') : t('followUp.call')}
            </button>
          )}
          <button
            type="button"
            data-testid="followup-reschedule"
            disabled={busy || takenByOther}
            aria-expanded={form?.taskId === task.id && form.kind === 'reschedule'}
            onClick={() => dispatch(followUpFormOpened({ kind: 'reschedule', taskId: task.id, at: localDateTime(new Date(Date.now() + 3600_000)) }))}
          >
            {t('followUp.form.reschedule')}
          </button>
          <button
            type="button"
            data-testid="followup-skip"
            disabled={busy || takenByOther}
            aria-expanded={form?.taskId === task.id && form.kind === 'skip'}
            onClick={() => dispatch(followUpFormOpened({ kind: 'skip', taskId: task.id }))}
          >
            {t('followUp.form.skip')}
          </button>
        </div>
      )}
      <CardForm task={task} />
    </li>
  );
}

export function FollowUpsPanel() {
  const t = useT();
  const { status, tasks, error, offline, asOf } = useAppSelector(selectFollowUps);
  return (
    <section className="follow-ups" aria-labelledby="follow-ups-heading" data-testid="follow-ups">
      <h2 id="follow-ups-heading">
        {t('followUp.heading')} {tasks.length > 0 && <span className="count-badge">{tasks.length}</span>}
      </h2>
      <FreshnessNote offline={offline} asOf={asOf} testId="followups-offline" />
      {status === 'failed' && (
        <p role="alert" className="error">
          {t('followUp.listFailed', { message: error ?? '' })}
        </p>
      )}
      {status === 'ready' && tasks.length === 0 && <p className="muted">{t('followUp.none')}</p>}
      {tasks.length > 0 && (
        <ul className="follow-up-list">
          {tasks.map((task) => (
            <Card key={task.id} task={task} />
          ))}
        </ul>
      )}
    </section>
  );
}
