// Per-queue thresholds editor: amber and red for waiting, longest wait, service level and abandon
// rate. Saved at the center (audited) and pushed to every supervisor; "Use the defaults" clears them.
import { useEffect, useRef, useState } from 'react';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useReferenceLabels } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import type { MessageKey } from '../../i18n/en';
import { selectThresholdsEdit, selectThresholdsOf, selectThresholdsResult, thresholdsEditClosed, thresholdsSaveRequested } from './supervisor-slice';
import { FORM_FIELDS, fromForm, toForm, type ThresholdsForm } from './thresholds';

const LABELS: Record<keyof ThresholdsForm, MessageKey> = {
  waitingNow: 'supervisor.thresholds.waiting',
  longestWaitSec: 'supervisor.thresholds.longestWait',
  serviceLevel: 'supervisor.thresholds.serviceLevel',
  abandonRate: 'supervisor.thresholds.abandonRate',
};

function Editor({ queue }: { queue: string }) {
  const t = useT();
  const labels = useReferenceLabels();
  const dispatch = useAppDispatch();
  const current = useAppSelector((s) => selectThresholdsOf(s, queue));
  const [form, setForm] = useState<ThresholdsForm>(() => toForm(current));
  const [invalid, setInvalid] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const set = (k: keyof ThresholdsForm, which: 'amber' | 'red', value: string) => setForm((f) => ({ ...f, [k]: { ...f[k], [which]: value } }));

  return (
    <form
      role="dialog"
      aria-modal="true"
      aria-labelledby="thresholds-title"
      className="force-dialog thresholds-dialog"
      data-testid="thresholds-dialog"
      onKeyDown={(e) => e.key === 'Escape' && dispatch(thresholdsEditClosed())}
      onSubmit={(e) => {
        e.preventDefault();
        const thresholds = fromForm(form);
        setInvalid(thresholds === null);
        if (thresholds) dispatch(thresholdsSaveRequested({ queue, thresholds }));
      }}
    >
      <h2 id="thresholds-title">{t('supervisor.thresholds.heading', { queue: labels.queue(queue) })}</h2>
      <table>
        <thead>
          <tr>
            <td />
            <th scope="col">{t('supervisor.thresholds.amber')}</th>
            <th scope="col">{t('supervisor.thresholds.red')}</th>
          </tr>
        </thead>
        <tbody>
          {FORM_FIELDS.map((k, i) => (
            <tr key={k}>
              <th scope="row" id={`th-${k}`}>
                {t(LABELS[k])}
              </th>
              {(['amber', 'red'] as const).map((which) => (
                <td key={which}>
                  <input
                    ref={i === 0 && which === 'amber' ? first : undefined}
                    inputMode="decimal"
                    size={6}
                    value={form[k][which]}
                    aria-label={`${t(LABELS[k])}: ${t(which === 'amber' ? 'supervisor.thresholds.amber' : 'supervisor.thresholds.red')}`}
                    data-testid={`threshold-${k}-${which}`}
                    onChange={(e) => set(k, which, e.target.value)}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {invalid && <p role="alert">{t('supervisor.thresholds.invalid')}</p>}
      <button type="submit" data-testid="save-thresholds">
        {t('supervisor.thresholds.save')}
      </button>
      <button type="button" data-testid="reset-thresholds" onClick={() => dispatch(thresholdsSaveRequested({ queue, thresholds: null }))}>
        {t('supervisor.thresholds.reset')}
      </button>
      <button type="button" onClick={() => dispatch(thresholdsEditClosed())}>
        {t('supervisor.thresholds.cancel')}
      </button>
    </form>
  );
}

export function ThresholdsDialog() {
  const t = useT();
  const labels = useReferenceLabels();
  const queue = useAppSelector(selectThresholdsEdit);
  const result = useAppSelector(selectThresholdsResult);
  return (
    <>
      {queue && <Editor key={queue} queue={queue} />}
      <p role="status" data-testid="thresholds-result">
        {result && (result.ok ? t('supervisor.thresholds.saved', { queue: labels.queue(result.queue) }) : t('supervisor.thresholds.failed', { message: result.message ?? '' }))}
      </p>
    </>
  );
}
