// From a drilled item to the contact it came from and to the customer, in the views the desk already
// has (nothing new to keep in step):
// - the contact: the item's page on the VOC desk, which shows the contact it was raised on (channel,
//   time, agent, queue, disposition) with the item's whole history and the customer's profile;
// - the customer: the customer view of the calls workspace (profile, open VOC, contact history), as
//   opening them from search does — for those who take calls; the others (supervisors and leads
//   without calls) get the customer on the item's desk page.
// Analysts (management) have neither view: the center does not show them an item or a customer, so
// no link is offered.
import type { AnalysisCellItem } from '../../../shared/api/analysis';
import { useAppDispatch, useAppSelector } from '../../app/hooks';
import { useT } from '../../i18n/use-t';
import { customerOpened } from '../search/search-slice';
import { selectViews, viewChosen } from '../shell/shell-slice';
import { deskItemOpened } from '../voc-desk/voc-desk-slice';

/** The links of one item: each says its item (to screen readers) and where it goes (a tooltip). */
export function ItemLinks({ item }: { item: AnalysisCellItem }) {
  const t = useT();
  const dispatch = useAppDispatch();
  const views = useAppSelector(selectViews);
  const desk = views.includes('desk');
  const calls = views.includes('calls');
  if (!desk && !calls) return <span className="muted">—</span>;
  const label = item.number ?? t('pop.openVocNoNumber');
  const openOnDesk = () => {
    dispatch(deskItemOpened(item.id));
    dispatch(viewChosen('desk'));
  };
  const openCustomer = () => {
    if (!calls) return openOnDesk();
    dispatch(customerOpened({ customerId: item.customerId }));
    dispatch(viewChosen('calls'));
  };
  return (
    <span className="analysis-links">
      {desk && (
        <button type="button" className="link" data-testid="analysis-item-contact" onClick={openOnDesk} title={t('analysis.openContactOf', { item: label })}>
          {item.interactionId ? t('analysis.contact') : t('analysis.item')} <span className="visually-hidden">{label}</span>
        </button>
      )}
      <button type="button" className="link" data-testid="analysis-item-customer" onClick={openCustomer} title={t('analysis.openCustomerOf', { item: label })}>
        {t('analysis.customer')} <span className="visually-hidden">{label}</span>
      </button>
    </span>
  );
}
