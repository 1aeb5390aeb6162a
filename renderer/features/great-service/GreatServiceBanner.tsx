// The great-service banner every desktop of the tenant shows: the most recent marks, who handled
// the call and why it was exceptional; each can be hidden on this desktop.
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { greatServiceHidden, selectHiddenGreatService, selectVisibleGreatService } from './great-service-slice';
import './great-service.css';

const SHOWN = 3;

export function GreatServiceBanner() {
  const t = useT();
  const dispatch = useAppDispatch();
  const items = useAppSelector(selectVisibleGreatService);
  const hidden = useAppSelector(selectHiddenGreatService);
  const shown = items.filter((i) => !hidden.includes(i.id)).slice(0, SHOWN);
  return (
    <section className="great-service" aria-labelledby="great-service-heading" aria-live="polite" data-testid="great-service" hidden={shown.length === 0}>
      <h2 id="great-service-heading">{t('greatService.heading')}</h2>
      <ul>
        {shown.map((g) => (
          <li key={g.id} data-testid="great-service-item" data-interaction={g.interactionId}>
            <span>{t('greatService.entry', { agent: g.agentName ?? g.agent ?? '—', by: g.markedBy, why: g.why })}</span>{' '}
            <button type="button" className="link" onClick={() => dispatch(greatServiceHidden(g.id))} aria-label={`${t('greatService.hide')}: ${g.agentName ?? g.agent ?? ''}`}>
              {t('greatService.hide')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
