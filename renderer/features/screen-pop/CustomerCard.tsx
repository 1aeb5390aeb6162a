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

export function CustomerCard({ customer }: { customer: Customer }) {
  const t = useT();
  const locale = useLocale();
  const value = customer.value;
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
      <h2 data-testid="customer-name" className="customer-name" lang={customer.language || undefined}>
        {customer.displayName}
      </h2>
      {customer.provisional && <p className="muted">{t('pop.provisional')}</p>}
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
