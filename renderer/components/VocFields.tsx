// The fields of a VOC item as an agent writes it — its type, topic and what the customer said — with
// the same limits wherever they appear: the add form under the notes, and the fix of a refused item.
import type { Ref } from 'react';
import { VOC_DESCRIPTION_MAX_CHARS, VOC_TOPIC_MAX_CHARS, VOC_TYPES, VocType } from '../../shared/domain/index';
import { useT } from '../i18n/use-t';

export interface VocFieldValues {
  type: VocType;
  topic: string;
  description: string;
}

export function VocFields(props: {
  value: VocFieldValues;
  onChange(change: Partial<VocFieldValues>): void;
  /** Test ids are `${testIdPrefix}-type`, `-topic`, `-description`. */
  testIdPrefix: string;
  /** The type select: focused first when the fields open. */
  typeRef?: Ref<HTMLSelectElement>;
  typeId?: string;
}) {
  const t = useT();
  const { value, onChange, testIdPrefix } = props;
  return (
    <>
      <label>
        {t('voc.type')}
        <select
          id={props.typeId}
          ref={props.typeRef}
          data-testid={`${testIdPrefix}-type`}
          value={value.type}
          onChange={(e) => onChange({ type: VocType.parse(e.target.value) })}
        >
          {VOC_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`voc.type.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('voc.topic')}
        <input data-testid={`${testIdPrefix}-topic`} maxLength={VOC_TOPIC_MAX_CHARS} value={value.topic} onChange={(e) => onChange({ topic: e.target.value })} />
      </label>
      <label>
        {t('voc.description')}
        <textarea
          data-testid={`${testIdPrefix}-description`}
          maxLength={VOC_DESCRIPTION_MAX_CHARS}
          value={value.description}
          onChange={(e) => onChange({ description: e.target.value })}
        />
      </label>
    </>
  );
}
