// Per-queue chat and email capacity: how many of each an agent of the queue holds at once, and whether
// a call may still reach them meanwhile. Saved at the center (audited), pushed to every supervisor,
// used by routing at once. Voice is not here: a call is always one at a time.
import { useEffect, useRef, useState } from 'react';
import { CAPACITY_MAX, type WorkChannel } from '../../../shared/protocol/index';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useReferenceLabels } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { capacityEditClosed, capacitySaveRequested, selectCapacities, selectCapacitiesError, selectChannelQueueIds, selectCapacityEdit, selectCapacityResult } from './supervisor-slice';

const CHANNELS: readonly WorkChannel[] = ['chat', 'email'];
type Form = Record<WorkChannel, { capacity: string; interruptible: boolean }>;

/** A whole number from 1 to CAPACITY_MAX, or null (the center checks the same). */
export function capacityOf(text: string): number | null {
  const n = Number(text.trim());
  return /^\d+$/.test(text.trim()) && n >= 1 && n <= CAPACITY_MAX ? n : null;
}

function Editor({ queue }: { queue: string }) {
  const t = useT();
  const labels = useReferenceLabels();
  const dispatch = useAppDispatch();
  const set = useAppSelector(selectCapacities);
  const current = set?.queues[queue] ?? set?.defaults;
  const [form, setForm] = useState<Form | null>(() =>
    current ? { chat: { capacity: String(current.chat.capacity), interruptible: current.chat.interruptible }, email: { capacity: String(current.email.capacity), interruptible: current.email.interruptible } } : null,
  );
  const [invalid, setInvalid] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  if (!form || !set) return null;
  const close = () => dispatch(capacityEditClosed());

  return (
    <form
      role="dialog"
      aria-modal="true"
      aria-labelledby="capacity-title"
      className="force-dialog capacity-dialog"
      data-testid="capacity-dialog"
      onKeyDown={(e) => e.key === 'Escape' && close()}
      onSubmit={(e) => {
        e.preventDefault();
        const chat = capacityOf(form.chat.capacity);
        const email = capacityOf(form.email.capacity);
        setInvalid(chat === null || email === null);
        if (chat !== null && email !== null)
          dispatch(capacitySaveRequested({ queue, capacities: { chat: { capacity: chat, interruptible: form.chat.interruptible }, email: { capacity: email, interruptible: form.email.interruptible } } }));
      }}
    >
      <h2 id="capacity-title">{t('supervisor.capacity.heading', { queue: labels.queue(queue) })}</h2>
      <p>{t('supervisor.capacity.intro')}</p>
      <table>
        <thead>
          <tr>
            <td />
            <th scope="col">{t('supervisor.capacity.perAgent', { max: CAPACITY_MAX })}</th>
            <th scope="col">{t('supervisor.capacity.interruptible')}</th>
          </tr>
        </thead>
        <tbody>
          {CHANNELS.map((channel, i) => {
            const name = t(channel === 'chat' ? 'supervisor.channels.chat' : 'supervisor.channels.email');
            return (
              <tr key={channel}>
                <th scope="row">{name}</th>
                <td>
                  <input
                    ref={i === 0 ? first : undefined}
                    inputMode="numeric"
                    size={4}
                    value={form[channel].capacity}
                    aria-label={`${name}: ${t('supervisor.capacity.perAgent', { max: CAPACITY_MAX })}`}
                    aria-describedby={`capacity-default-${channel}`}
                    data-testid={`capacity-${channel}`}
                    onChange={(e) => setForm((f) => f && { ...f, [channel]: { ...f[channel], capacity: e.target.value } })}
                  />{' '}
                  <span className="muted" id={`capacity-default-${channel}`}>
                    {t('supervisor.capacity.default', { capacity: set.defaults[channel].capacity })}
                  </span>
                </td>
                <td>
                  <input
                    type="checkbox"
                    checked={form[channel].interruptible}
                    aria-label={`${name}: ${t('supervisor.capacity.interruptible')}`}
                    data-testid={`capacity-${channel}-interruptible`}
                    onChange={(e) => setForm((f) => f && { ...f, [channel]: { ...f[channel], interruptible: e.target.checked } })}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {invalid && <p role="alert">{t('supervisor.capacity.invalid', { max: CAPACITY_MAX })}</p>}
      <button type="submit" data-testid="save-capacity">
        {t('supervisor.capacity.save')}
      </button>
      <button type="button" onClick={close}>
        {t('supervisor.capacity.cancel')}
      </button>
    </form>
  );
}

export function CapacityDialog() {
  const t = useT();
  const labels = useReferenceLabels();
  const queue = useAppSelector(selectCapacityEdit);
  const result = useAppSelector(selectCapacityResult);
  // A center that cannot say (an older one) is worth a word only where chats and emails show.
  const loadError = useAppSelector((s) => (selectChannelQueueIds(s).length > 0 ? selectCapacitiesError(s) : null));
  return (
    <>
      {queue && <Editor key={queue} queue={queue} />}
      <p role="status" data-testid="capacity-result">
        {result && (result.ok ? t('supervisor.capacity.saved', { queue: labels.queue(result.queue) }) : t('supervisor.capacity.failed', { message: result.message ?? '' }))}
        {!result && loadError && t('supervisor.capacity.unavailable', { message: loadError })}
      </p>
    </>
  );
}
