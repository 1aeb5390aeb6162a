// A customer opened from search while no call is up: the same profile, open matters and history
// as a screen pop, and a way to close it.
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { HistoryPanel } from '../history/HistoryPanel';
import { customerViewClosed, selectOpenedCustomer } from '../search/search-slice';
import { CustomerCard } from './CustomerCard';
import { OpenVocList } from './OpenVocList';

export function CustomerView() {
  const t = useT();
  const dispatch = useAppDispatch();
  const opened = useAppSelector(selectOpenedCustomer);
  if (!opened) return null;
  return (
    <section data-testid="customer-view" className="customer-view" aria-label={t('customerView.label')} aria-busy={opened.status === 'loading'}>
      <button type="button" className="close-view" onClick={() => dispatch(customerViewClosed())}>
        {t('customerView.close')}
      </button>
      {opened.status === 'loading' && <p role="status">{t('customerView.loading')}</p>}
      {opened.status === 'notFound' && <p role="status">{t('customerView.notFound')}</p>}
      {opened.status === 'failed' && <p role="alert">{t('customerView.failed', { message: opened.error ?? '' })}</p>}
      {opened.pop && (
        <>
          <CustomerCard customer={opened.pop.customer} lastContact={opened.pop.history[0] ?? null} />
          <OpenVocList items={opened.pop.openVocItems} />
          <HistoryPanel />
        </>
      )}
    </section>
  );
}
