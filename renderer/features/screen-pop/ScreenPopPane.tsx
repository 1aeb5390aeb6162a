// The screen pop: the offered call, who is calling (or "New caller"), open matters and history.
// With no call up, it waits (and shows a customer opened from search, if any).
// The profile summary sits in a polite live region so screen readers announce each pop.
import { useAppSelector } from '../../app/hooks';
import { HistoryPanel } from '../history/HistoryPanel';
import { useReferenceLabels } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { displayCallerNumber } from './caller-number';
import { CustomerCard } from './CustomerCard';
import { popPaintId } from './paint-timing';
import { CustomerView } from './CustomerView';
import { LinkCallerSearch } from './LinkCallerSearch';
import { OpenVocList } from './OpenVocList';
import { selectCall, selectPop } from './screen-pop-slice';

export function ScreenPopPane() {
  const t = useT();
  const labels = useReferenceLabels();
  const call = useAppSelector(selectCall);
  const pop = useAppSelector(selectPop);

  if (!call) {
    return (
      <>
        <section className="waiting" data-testid="waiting-for-call" aria-live="polite">
          <p>{t('call.waiting')}</p>
        </section>
        <CustomerView />
      </>
    );
  }

  const number = displayCallerNumber(call.ani);
  return (
    <section data-testid="screen-pop" className="screen-pop" aria-label={t('pop.label')}>
      <div aria-live="polite" aria-atomic="true" className="pop-summary">
        <p className="call-banner">{t('call.offered', { number, queue: labels.queue(call.queue) })}</p>
        {pop ? (
          <>
            {/* One card per call, so each call's first paint of the profile is timed (paint-timing.ts). */}
            <CustomerCard
              key={call.interactionId}
              customer={pop.customer}
              paintId={popPaintId(call.interactionId, pop.source)}
              lastContact={pop.history.find((h) => h.id !== call.interactionId) ?? null}
            />
            <p className="muted pop-source">{t(`pop.source.${pop.source}`)}</p>
          </>
        ) : (
          <div className="customer-card">
            <h2 data-testid="customer-name" className="customer-name">
              {t('pop.newCaller')} <span className="caller-number">{number}</span>
            </h2>
            <p className="muted">{t('pop.newCallerHelp')}</p>
          </div>
        )}
      </div>
      {/* An unknown caller (no pop yet, or the provisional profile made for them): offer to link a customer. */}
      {(!pop || pop.customer.provisional) && <LinkCallerSearch key={call.interactionId} interactionId={call.interactionId} />}
      {pop && <OpenVocList items={pop.openVocItems} />}
      {pop && <HistoryPanel />}
    </section>
  );
}
