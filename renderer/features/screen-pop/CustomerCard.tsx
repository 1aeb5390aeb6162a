// Who is calling and what they are worth: name, contact details, tier (RFM and lifetime value on
// hover), flags with who set them and why.
import type { Customer, Identity } from '../../../shared/domain/index';
import { formatPhone } from '../../../shared/domain/phone';
import { formatDateTime, formatNumber } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';

/** A warning about the caller comes before the good news. */
const FLAG_ORDER = { abusive: 0, churn_risk: 1, vip: 2 } as const;

function identityText(identity: Identity): string {
  return identity.kind === 'phone' ? formatPhone(identity.value) : identity.value;
}

/**
 * A provisional customer the desktop made for an unknown number is named after the number until
 * someone names them: it stays "New caller" with the number, as before the center answered.
 */
function unnamedCaller(customer: Customer): { number: string } | null {
  if (!customer.provisional) return null;
  const phone = customer.identities.find((i) => i.kind === 'phone');
  const number = phone ? formatPhone(phone.value) : '';
  const name = customer.displayName.trim();
  return name === '' || name === number || (phone !== undefined && name === phone.value) ? { number } : null;
}

/** `paintId`: the Element Timing identifier of the name (see paint-timing.ts), for a popped caller. */
export function CustomerCard({ customer, paintId }: { customer: Customer; paintId?: string }) {
  const t = useT();
  const locale = useLocale();
  const value = customer.value;
  const unnamed = unnamedCaller(customer);
  // `elementtiming` is a standard attribute React passes through; it is not in React's DOM types.
  const timing = paintId ? ({ elementtiming: paintId } as object) : {};
  const tierDetail = value
    ? t('pop.tierDetail', {
        recency: value.recency,
        frequency: value.frequency,
        monetary: value.monetary,
        ltv: formatNumber(locale, value.lifetimeValue),
      })
    : '';

  return (
    <div className="customer-card">
      {unnamed ? (
        <h2 data-testid="customer-name" className="customer-name" {...timing}>
          {t('pop.newCaller')} <span className="caller-number">{unnamed.number}</span>
        </h2>
      ) : (
        <h2 data-testid="customer-name" className="customer-name" lang={customer.language || undefined} {...timing}>
          {customer.displayName}
        </h2>
      )}
      {customer.provisional && (
        <p className="muted" data-testid="customer-provisional">
          {t('pop.provisional')}
          {unnamed && <> · {t('pop.newCallerHelp')}</>}
        </p>
      )}
      <div className="customer-value">
        {value ? (
          <span data-testid="customer-tier" className={`tier tier-${value.tier}`} title={tierDetail} tabIndex={0}>
            {t('pop.tier', { tier: t(`tier.${value.tier}`) })}
            <span className="visually-hidden">
              {tierDetail}
            </span>
          </span>
        ) : (
          <span className="muted">{t('pop.noValue')}</span>
        )}
        {customer.segment && <span className="muted">{t('pop.segment', { segment: customer.segment })}</span>}
      </div>
      {customer.flags.length > 0 && (
        <ul className="flags" aria-label={t('pop.flags')}>
          {[...customer.flags].sort((a, b) => FLAG_ORDER[a.flag] - FLAG_ORDER[b.flag]).map((f) => {
            const detail = t('pop.flagDetail', { setBy: f.setBy, time: formatDateTime(locale, f.setAt), reason: f.reason });
            return (
              <li key={f.flag} data-testid="customer-flag" className={`flag flag-${f.flag}`} title={detail}>
                <strong>{t(`flag.${f.flag}`)}</strong> <span className="flag-detail">{detail}</span>
              </li>
            );
          })}
        </ul>
      )}
      <dl className="identities" aria-label={t('pop.identities')} data-testid="customer-identities">
        {customer.identities.map((identity) => (
          <div key={`${identity.kind}:${identity.value}`}>
            <dt>{t(`identity.${identity.kind}`)}</dt>
            <dd>{identityText(identity)}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
