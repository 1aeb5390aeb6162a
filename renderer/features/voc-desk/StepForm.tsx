// The form of one step on the item page: only the fields the step takes (why, the result and remedy,
// how and when the customer was told, who owns it, which department, the happy call's outcome, the
// classification). Sent with Enter on the button or Ctrl+Enter anywhere; Escape closes it.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import {
  CUSTOMER_WANTS,
  CustomerWant,
  FOLLOW_UP_OUTCOMES,
  FollowUpOutcome,
  NOTIFY_CHANNELS,
  NotifyChannel,
  VOC_PRIORITIES,
  VOC_REASON_MAX_CHARS,
  VOC_RESULT_MAX_CHARS,
  VOC_TYPES,
  VocPriority,
  VocType,
  type Department,
  type VocItem,
} from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { TopicCombobox } from '../../components/TopicCombobox';
import { selectDepartments, selectTopicOptions } from '../voc/reference-slice';
import { STEP_FIELDS } from './steps';
import { deskStepCancelled, deskStepChanged, deskStepSubmitted, selectDeskStep } from './voc-desk-slice';

export function StepForm({ item, department }: { item: VocItem; department: Department | undefined }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const { draft, sending, error } = useAppSelector(selectDeskStep);
  const departments = useAppSelector(selectDepartments);
  const topics = useAppSelector(selectTopicOptions);
  const form = useRef<HTMLFormElement>(null);
  const action = draft?.action;

  // Into the form when it opens: its first field (or its button).
  useEffect(() => {
    form.current?.querySelector<HTMLElement>('input, select, textarea, button[type="submit"]')?.focus();
  }, [action]);

  if (!draft) return null;
  const fields = STEP_FIELDS[draft.action];
  const change = (c: Parameters<typeof deskStepChanged>[0]) => dispatch(deskStepChanged(c));
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      dispatch(deskStepCancelled());
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      dispatch(deskStepSubmitted());
    }
  };
  const reasonOptional = draft.action === 'followUpOutcome' && draft.outcome !== 'dissatisfied';

  return (
    <form
      ref={form}
      className="step-form"
      data-testid="desk-step-form"
      aria-label={t(`vocAction.${draft.action}`)}
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault();
        dispatch(deskStepSubmitted());
      }}
    >
      {fields.includes('owner') && (
        <label>
          {t('vocDesk.step.owner')}
          <select data-testid="desk-step-owner" value={draft.ownerUserId} onChange={(e) => change({ ownerUserId: e.target.value })}>
            <option value="">{t('vocDesk.step.pick')}</option>
            {(department?.members ?? []).map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {fields.includes('department') && (
        <label>
          {t('vocDesk.step.department')}
          <select data-testid="desk-step-department" value={draft.departmentId} onChange={(e) => change({ departmentId: e.target.value })}>
            <option value="">{t('vocDesk.step.pick')}</option>
            {departments
              .filter((d) => d.active && d.id !== item.departmentId)
              .map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
          </select>
        </label>
      )}
      {fields.includes('result') && (
        <>
          <label>
            {t('vocDesk.step.result')}
            <textarea data-testid="desk-step-result" maxLength={VOC_RESULT_MAX_CHARS} value={draft.result} onChange={(e) => change({ result: e.target.value })} />
          </label>
          <label>
            {t('vocDesk.step.remedy')}
            <textarea data-testid="desk-step-remedy" maxLength={VOC_RESULT_MAX_CHARS} value={draft.remedy} onChange={(e) => change({ remedy: e.target.value })} />
          </label>
        </>
      )}
      {fields.includes('notify') && (
        <div className="step-row">
          <label>
            {t('vocDesk.step.via')}
            <select data-testid="desk-step-via" value={draft.via} onChange={(e) => change({ via: NotifyChannel.parse(e.target.value) })}>
              {NOTIFY_CHANNELS.map((v) => (
                <option key={v} value={v}>
                  {t(`vocDesk.via.${v}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('vocDesk.step.at')}
            <input type="datetime-local" data-testid="desk-step-at" value={draft.at} onChange={(e) => change({ at: e.target.value })} />
          </label>
        </div>
      )}
      {fields.includes('outcome') && (
        <label>
          {t('vocDesk.step.outcome')}
          <select data-testid="desk-step-outcome" value={draft.outcome} onChange={(e) => change({ outcome: FollowUpOutcome.parse(e.target.value) })}>
            {FOLLOW_UP_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`followUp.outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {fields.includes('classification') && (
        <div className="voc-fields">
          <label>
            {t('voc.type')}
            <select data-testid="desk-step-type" value={draft.type} onChange={(e) => change({ type: VocType.parse(e.target.value) })}>
              {VOC_TYPES.map((v) => (
                <option key={v} value={v}>
                  {t(`voc.type.${v}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('voc.priority')}
            <select data-testid="desk-step-priority" value={draft.priority} onChange={(e) => change({ priority: VocPriority.parse(e.target.value) })}>
              {VOC_PRIORITIES.map((v) => (
                <option key={v} value={v}>
                  {t(`voc.priority.${v}`)}
                </option>
              ))}
            </select>
          </label>
          <div className="voc-field-wide">
            <TopicCombobox topic={draft.topic} topicId={draft.topicId} options={topics} onChange={change} testId="desk-step-topic" />
          </div>
          {draft.type === 'complaint' && (
            <label>
              {t('voc.wants')}
              <select data-testid="desk-step-wants" value={draft.wants ?? ''} onChange={(e) => change({ wants: e.target.value ? CustomerWant.parse(e.target.value) : null })}>
                <option value="">{t('voc.wants.none')}</option>
                {CUSTOMER_WANTS.map((w) => (
                  <option key={w} value={w}>
                    {t(`voc.wants.${w}`)}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="check">
            <input type="checkbox" data-testid="desk-step-safety" checked={draft.safety} onChange={(e) => change({ safety: e.target.checked })} />
            {t('voc.safety')}
          </label>
        </div>
      )}
      {(fields.includes('reason') || fields.includes('outcome')) && (
        <label>
          {reasonOptional ? t('vocDesk.step.reasonOptional') : t('vocDesk.step.reason')}
          <textarea data-testid="desk-step-reason" maxLength={VOC_REASON_MAX_CHARS} value={draft.reason} onChange={(e) => change({ reason: e.target.value })} />
        </label>
      )}
      {error && (
        <p role="alert" className="error" data-testid="desk-step-error">
          {t('vocDesk.step.failed', { message: error })}
        </p>
      )}
      <div className="voc-actions">
        <button type="submit" data-testid="desk-step-send" aria-keyshortcuts="Control+Enter" disabled={sending}>
          {sending ? t('vocDesk.step.sending') : t(`vocAction.${draft.action}`)}
        </button>
        <button type="button" onClick={() => dispatch(deskStepCancelled())}>
          {t('voc.cancel')}
        </button>
      </div>
    </form>
  );
}
