// The queue's disposition codes as a labelled picker, in the agent's language: the call's wrap-up
// (WrapUpPanel) and a chat's or email's (features/inbox) both close with it.
import type { Queue } from '../../../shared/domain/entities';
import { pickLabel } from '../../i18n/labels';
import { useLocale, useT } from '../../i18n/use-t';

export function DispositionSelect({ queue, value, onChange, testId, invalid }: { queue: Queue; value: string; onChange(code: string): void; testId: string; invalid?: boolean }) {
  const t = useT();
  const locale = useLocale();
  if (queue.dispositionCodes.length === 0) return null;
  const required = queue.dispositionRequired;
  return (
    <label>
      {required ? t('wrapUp.dispositionRequired') : t('wrapUp.disposition')}
      <select data-testid={testId} value={value} required={required} aria-invalid={invalid || undefined} onChange={(e) => onChange(e.target.value)}>
        <option value="">{required ? t('wrapUp.chooseDisposition') : t('wrapUp.noDisposition')}</option>
        {queue.dispositionCodes.map((c) => (
          <option key={c.code} value={c.code}>
            {pickLabel(c.labels, c.label || c.code, locale)}
          </option>
        ))}
      </select>
    </label>
  );
}
