// "Is this an existing customer?": for an unknown caller, a compact search of the customers this
// desktop knows (the agent bar's search) with "Link to this call" per result. Linking moves the
// contact to that customer (queued for the center) and the pane shows them.
import { useEffect, useId, useState } from 'react';
import type { CustomerSummary } from '../../../shared/api/index';
import { CUSTOMER_SEARCH_MAX_CHARS } from '../../../shared/domain/field-limits';
import { formatPhone } from '../../../shared/domain/phone';
import { useAppDispatch } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { linkCallerToCustomer, searchForLink } from './link-caller';

type Results = { status: 'idle' } | { status: 'searching' } | { status: 'done'; results: CustomerSummary[] } | { status: 'failed'; message: string };
type Linking = { status: 'idle' } | { status: 'linking'; customerId: string } | { status: 'linked'; name: string } | { status: 'failed'; message: string };

export function LinkCallerSearch({ interactionId }: { interactionId: string }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const inputId = useId();
  const headingId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Results>({ status: 'idle' });
  const addPhoneId = useId();
  const [addPhone, setAddPhone] = useState(true);
  const [linking, setLinking] = useState<Linking>({ status: 'idle' });

  useEffect(() => {
    const q = query.trim();
    if (q === '') {
      setResults({ status: 'idle' });
      return;
    }
    const abort = new AbortController();
    setResults({ status: 'searching' });
    void dispatch(searchForLink(q, abort.signal)).then((answer) => {
      if (abort.signal.aborted || 'aborted' in answer) return;
      setResults(answer.ok ? { status: 'done', results: answer.value } : { status: 'failed', message: answer.message });
    });
    return () => abort.abort();
  }, [query, dispatch]);

  async function link(c: CustomerSummary) {
    setLinking({ status: 'linking', customerId: c.id });
    const answer = await dispatch(linkCallerToCustomer(interactionId, c.id, addPhone));
    if (answer.ok) setLinking({ status: 'linked', name: c.displayName });
    else setLinking({ status: 'failed', message: 'message' in answer ? answer.message : '' });
  }

  return (
    <section className="link-caller" data-testid="link-caller" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('pop.link.title')}</h3>
      <p className="link-caller-option">
        <input id={addPhoneId} data-testid="link-caller-add-phone" type="checkbox" checked={addPhone} onChange={(e) => setAddPhone(e.target.checked)} />{' '}
        <label htmlFor={addPhoneId}>{t('pop.link.addPhone')}</label>
      </p>
      <label htmlFor={inputId} className="visually-hidden">
        {t('pop.link.label')}
      </label>
      <input
        id={inputId}
        data-testid="link-caller-search"
        type="search"
        maxLength={CUSTOMER_SEARCH_MAX_CHARS}
        placeholder={t('pop.link.placeholder')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setQuery('');
        }}
      />
      <div aria-live="polite">
        {results.status === 'searching' && <p>{t('pop.link.searching')}</p>}
        {results.status === 'failed' && <p role="alert">{t('search.failed', { message: results.message })}</p>}
        {results.status === 'done' && (
          <>
            <p className="visually-hidden">{t('pop.link.results', { count: results.results.length })}</p>
            {results.results.length === 0 ? (
              <p>{t('pop.link.none')}</p>
            ) : (
              <ul>
                {results.results.map((c) => (
                  <li key={c.id} data-testid="link-caller-result">
                    <strong>{c.displayName}</strong>
                    {c.phone && <span> {formatPhone(c.phone)}</span>}
                    {c.email && <span className="muted"> {c.email}</span>}{' '}
                    <button
                      type="button"
                      aria-label={t('pop.link.buttonFor', { name: c.displayName })}
                      disabled={linking.status === 'linking'}
                      onClick={() => void link(c)}
                    >
                      {linking.status === 'linking' && linking.customerId === c.id ? t('pop.link.linking') : t('pop.link.button')}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        {linking.status === 'linked' && <p data-testid="link-caller-linked">{t('pop.link.linked', { name: linking.name })}</p>}
        {linking.status === 'failed' && <p role="alert">{t('pop.link.failed', { message: linking.message })}</p>}
      </div>
    </section>
  );
}
