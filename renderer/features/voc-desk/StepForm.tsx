// The form of one step on the item page: only the fields the step takes (why, the result and remedy,
// how and when the customer was told, who owns it, which department, the happy call's outcome, the
// classification). Sent with Enter on the button or Ctrl+Enter anywhere; Escape closes it.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { FOLLOW_UP_OUTCOMES, NOTIFY_CHANNELS, VOC_REASON_MAX_CHARS, VOC_RESULT_MAX_CHARS, type Department, type VocItem } from '../../../shared/domain/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { ChoiceSelect } from '../../components/ChoiceSelect';
import { VocFields } from '../../components/VocFields';
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
          <ChoiceSelect
            label={t('vocDesk.step.via')}
            testId="desk-step-via"
            values={NOTIFY_CHANNELS}
            value={draft.via}
            labelOf={(v) => t(`vocDesk.via.${v}`)}
            onChange={(via) => via && change({ via })}
          />
          <label>
            {t('vocDesk.step.at')}
            <input type="datetime-local" data-testid="desk-step-at" value={draft.at} onChange={(e) => change({ at: e.target.value })} />
          </label>
        </div>
      )}
      {fields.includes('outcome') && (
        <ChoiceSelect
          label={t('vocDesk.step.outcome')}
          testId="desk-step-outcome"
          values={FOLLOW_UP_OUTCOMES}
          value={draft.outcome}
          labelOf={(o) => t(`followUp.outcome.${o}`)}
          onChange={(outcome) => outcome && change({ outcome })}
        />
      )}
      {fields.includes('classification') && (
        <VocFields
          classificationOnly
          value={{ ...draft, description: '', resolvedOnContact: false }}
          topics={topics}
          testIdPrefix="desk-step"
          onChange={({ description: _description, resolvedOnContact: _resolved, ...classification }) => change(classification)}
        />
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
