// Customer search in the agent bar: by name, number or email, answered from this computer's store;
// a result opens the customer's profile, looked up by id (this computer's store, then the center).
import { useId } from 'react';
import { CUSTOMER_SEARCH_MAX_CHARS } from '../../../shared/domain/field-limits';
import { formatPhone } from '../../../shared/domain/phone';
import { FOCUS } from '../../app/focus-targets';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { customerOpened, searchCleared, searchQueryChanged, selectSearch } from './search-slice';

export function SearchBox() {
  const t = useT();
  const dispatch = useAppDispatch();
  const search = useAppSelector(selectSearch);
  const resultsId = useId();
  const showResults = search.query.trim() !== '' && search.status !== 'idle';

  return (
    <div className="search" role="search">
      <label htmlFor={FOCUS.search} className="visually-hidden">
        {t('search.label')}
      </label>
      <input
        id={FOCUS.search}
        data-testid="customer-search"
        type="search"
        maxLength={CUSTOMER_SEARCH_MAX_CHARS}
        placeholder={t('search.placeholder')}
        aria-keyshortcuts="Alt+S"
        aria-controls={resultsId}
        value={search.query}
        onChange={(e) => dispatch(searchQueryChanged(e.target.value))}
        onKeyDown={(e) => {
          if (e.key === 'Escape') dispatch(searchCleared());
        }}
      />
      <div id={resultsId} className={showResults ? 'search-results' : 'visually-hidden'} aria-live="polite">
        {showResults && search.status === 'searching' && <p>{t('search.searching')}</p>}
        {showResults && search.status === 'failed' && <p role="alert">{t('search.failed', { message: search.error ?? '' })}</p>}
        {showResults && search.status === 'done' && (
          <>
            <p className="visually-hidden">{t('search.results', { count: search.results.length })}</p>
            {search.results.length === 0 ? (
              <p>{t('search.none')}</p>
            ) : (
              <ul>
                {search.results.map((c) => (
                  <li key={c.id}>
                    <button
                      type="button"
                      data-testid="search-result"
                      className="search-result"
                      title={t('search.open', { name: c.displayName })}
                      onClick={() => dispatch(customerOpened({ customerId: c.id }))}
                    >
                      <strong>{c.displayName}</strong>
                      {c.phone && <span> {formatPhone(c.phone)}</span>}
                      {c.email && <span className="muted"> {c.email}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}
