// The small labels of a VOC item, the same wherever VOC items appear: its type, and its priority and
// safety flag when they ask for attention.
import type { VocItem, VocType } from '../../shared/domain/index';
import { useT } from '../i18n/use-t';

export function VocTypeBadge({ type }: { type: VocType }) {
  const t = useT();
  return <span className={`voc-type voc-${type}`}>{t(`voc.type.${type}`)}</span>;
}

/** "Urgent" / "High" and "Safety or legal" when set; nothing for a normal item. */
export function VocMarks({ item }: { item: Pick<VocItem, 'priority' | 'safety'> }) {
  const t = useT();
  return (
    <>
      {item.priority !== 'normal' && <span className={`voc-mark voc-priority-${item.priority}`}>{t(`voc.priority.${item.priority}`)}</span>}
      {item.safety && <span className="voc-mark voc-safety">{t('voc.safetyShort')}</span>}
    </>
  );
}
