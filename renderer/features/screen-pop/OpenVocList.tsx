// What the customer raised before that is still open, so the agent can speak to it first.
import type { VocItem } from '../../../shared/domain/index';
import { formatDateTime } from '../../i18n/index';
import { useLocale, useT } from '../../i18n/use-t';
import { VocTypeBadge } from '../../components/VocTypeBadge';

export function OpenVocList({ items }: { items: VocItem[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <section className="open-voc" aria-labelledby="open-voc-heading">
      <h3 id="open-voc-heading">{t('pop.openVoc')}</h3>
      {items.length === 0 ? (
        <p className="muted">{t('pop.openVocNone')}</p>
      ) : (
        <ul>
          {items.map((item) => (
            <li key={item.id} data-testid="open-voc-item">
              <VocTypeBadge type={item.type} /> <strong>{item.topic}</strong>{' '}
              <span className="muted">
                {t(`vocStatus.${item.status}`)} · {formatDateTime(locale, item.createdAt)}
              </span>
              {item.description && <p data-testid="open-voc-description">{item.description}</p>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
