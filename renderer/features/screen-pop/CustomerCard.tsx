// Who is calling, in the order an agent reads it: name, the language they speak and how to address
// them; a warning that protects the agent (abusive) before anything else; tier with its R/F/M scores
// and lifetime value in plain sight; the other flags with who set them, when and why; consents; every
// identity; customer since and the last contact with its outcome. No scripts, no countdowns.
import type { Customer, CustomerFlag, HistoryItem, Identity } from '../../../shared/domain/index';
import { formatPhone } from '../../../shared/domain/phone';
import { formatDate, formatDateTime, formatLanguage, formatNumber, type MessageKey } from '../../i18n/index';
import { useReferenceLabels } from '../../i18n/labels';
import { useLocale, useT, type Translate } from '../../i18n/use-t';

/** A warning about the caller comes before the good news. */
const FLAG_ORDER = { abusive: 0, churn_risk: 1, vip: 2 } as const;
const SEGMENTS = ['retail', 'small_business', 'enterprise', 'student', 'senior'] as const;

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

function segmentLabel(t: Translate, segment: string): string {
  return (SEGMENTS as readonly string[]).includes(segment) ? t(`segment.${segment}` as MessageKey) : segment;
}

function FlagLine({ flag }: { flag: CustomerFlag }) {
  const t = useT();
  const locale = useLocale();
  const setBy = t('pop.flagSetBy', { setBy: flag.setBy, time: formatDateTime(locale, flag.setAt) });
  return (
    <li data-testid="customer-flag" className={`flag flag-${flag.flag}`}>
      <strong>{t(`flag.${flag.flag}`)}</strong>
      {flag.flag === 'abusive' && <span className="flag-advice"> {t('pop.abusiveAdvice')}</span>}{' '}
      <span className="flag-detail">
        {setBy}: <span data-testid="flag-reason">{flag.reason}</span>
      </span>
    </li>
  );
}

/** The tier, its R/F/M scores and lifetime value, each with what it means on hover and for screen readers. */
function ValueLine({ customer }: { customer: Customer }) {
  const t = useT();
  const locale = useLocale();
  const value = customer.value;
  if (!value) return <p className="customer-value muted">{t('pop.noValue')}</p>;
  const scores = [
    ['R', value.recency, t('pop.recencyHelp')],
    ['F', value.frequency, t('pop.frequencyHelp')],
    ['M', value.monetary, t('pop.monetaryHelp')],
  ] as const;
  return (
    <div className="customer-value">
      <span data-testid="customer-tier" className={`tier tier-${value.tier}`} title={t(`tierHelp.${value.tier}`)}>
        {t('pop.tier', { tier: t(`tier.${value.tier}`) })}
      </span>
      <dl className="value-scores" aria-label={t('pop.scores')} data-testid="customer-scores">
        {scores.map(([letter, score, help]) => (
          <div key={letter} title={help}>
            <dt>
              <abbr title={help}>{letter}</abbr>
            </dt>
            <dd>
              {score}
              <span className="muted">/5</span>
            </dd>
          </div>
        ))}
        <div title={t('pop.ltvHelp')}>
          <dt>{t('pop.ltv')}</dt>
          <dd data-testid="customer-ltv">{formatNumber(locale, value.lifetimeValue)}</dd>
        </div>
      </dl>
    </div>
  );
}

/**
 * `paintId`: the Element Timing identifier of the name (see paint-timing.ts), for a popped caller.
 * `lastContact`: the newest contact before this one (history is newest first), with its outcome;
 * null when there was none, left out where the card is not about a contact (the VOC desk).
 */
export function CustomerCard({ customer, paintId, lastContact }: { customer: Customer; paintId?: string; lastContact?: HistoryItem | null }) {
  const t = useT();
  const locale = useLocale();
  const labels = useReferenceLabels();
  const unnamed = unnamedCaller(customer);
  // `elementtiming` is a standard attribute React passes through; it is not in React's DOM types.
  const timing = paintId ? ({ elementtiming: paintId } as object) : {};
  const language = formatLanguage(locale, customer.language);
  const flags = [...customer.flags].sort((a, b) => FLAG_ORDER[a.flag] - FLAG_ORDER[b.flag]);
  const warnings = flags.filter((f) => f.flag === 'abusive');
  const others = flags.filter((f) => f.flag !== 'abusive');
  const addressAs = customer.language.split('-')[0] === 'ko' ? t('pop.honorificKo', { name: customer.displayName }) : customer.displayName;

  return (
    <div className="customer-card">
      {warnings.length > 0 && (
        <ul className="flags flags-warning" role="note" aria-label={t('pop.warning')}>
          {warnings.map((f) => (
            <FlagLine key={f.flag} flag={f} />
          ))}
        </ul>
      )}
      <div className="customer-heading">
        {unnamed ? (
          <h2 data-testid="customer-name" className="customer-name" {...timing}>
            {t('pop.newCaller')} <span className="caller-number">{unnamed.number}</span>
          </h2>
        ) : (
          <h2 data-testid="customer-name" className="customer-name" lang={customer.language === 'und' ? undefined : customer.language || undefined} {...timing}>
            {customer.displayName}
          </h2>
        )}
        {!unnamed && (
          <p className="customer-address" data-testid="customer-address">
            {language && <span className="chip">{t('pop.speaks', { language })}</span>}
            <span>
              {t('pop.addressAs')} <strong lang={customer.language === 'und' ? undefined : customer.language}>{addressAs}</strong>
            </span>
          </p>
        )}
      </div>
      {customer.provisional && (
        <p className="muted" data-testid="customer-provisional">
          {t('pop.provisional')}
          {unnamed && <> · {t('pop.newCallerHelp')}</>}
        </p>
      )}
      <ValueLine customer={customer} />
      {others.length > 0 && (
        <ul className="flags" aria-label={t('pop.flags')}>
          {others.map((f) => (
            <FlagLine key={f.flag} flag={f} />
          ))}
        </ul>
      )}
      <dl className="customer-facts" data-testid="customer-facts">
        <div>
          <dt>{t('pop.consents')}</dt>
          <dd data-testid="customer-consents" className="consents">
            {(['phone', 'email', 'sms'] as const).map((channel) => (
              <span key={channel} className={customer.consent[channel] ? 'consent-yes' : 'consent-no'}>
                {t(`consent.${channel}`)} {customer.consent[channel] ? t('pop.consentYes') : t('pop.consentNo')}
              </span>
            ))}
          </dd>
        </div>
        {customer.since && (
          <div>
            <dt>{t('pop.since')}</dt>
            <dd data-testid="customer-since">{formatDate(locale, customer.since)}</dd>
          </div>
        )}
        {lastContact !== undefined && (
          <div>
            <dt>{t('pop.lastContact')}</dt>
            <dd data-testid="customer-last-contact">
              {lastContact
                ? t('pop.lastContactDetail', {
                    time: formatDateTime(locale, lastContact.startedAt),
                    channel: t(`channel.${lastContact.channel}`),
                    outcome: lastContact.disposition ? labels.disposition(lastContact.queue, lastContact.disposition) : t('history.noDisposition'),
                  })
                : t('pop.noLastContact')}
            </dd>
          </div>
        )}
        {customer.segment && (
          <div>
            <dt>{t('pop.segmentLabel')}</dt>
            <dd>{segmentLabel(t, customer.segment)}</dd>
          </div>
        )}
      </dl>
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
