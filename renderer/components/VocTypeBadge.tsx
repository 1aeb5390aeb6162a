// The small coloured label naming a VOC item's type, the same wherever VOC items appear.
import type { VocType } from '../../shared/domain/index';
import { useT } from '../i18n/use-t';

export function VocTypeBadge({ type }: { type: VocType }) {
  const t = useT();
  return <span className={`voc-type voc-${type}`}>{t(`voc.type.${type}`)}</span>;
}
