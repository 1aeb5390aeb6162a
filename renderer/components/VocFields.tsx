// The fields of a VOC item as an agent writes it — type, topic (from the catalogue, or free text left
// unclassified), what the customer said, then priority, what a complaining customer wants, the safety
// flag and whether it was answered on this contact — with the same limits wherever they appear: the
// add form under the notes, and the fix of a refused item. Tab goes type, topic, what was said first.
import type { Ref } from 'react';
import {
  CUSTOMER_WANTS,
  CustomerWant,
  VOC_DESCRIPTION_MAX_CHARS,
  VOC_PRIORITIES,
  VOC_TYPES,
  VocPriority,
  VocType,
} from '../../shared/domain/index';
import { useT } from '../i18n/use-t';
import { TopicCombobox, type TopicOption } from './TopicCombobox';

export interface VocFieldValues {
  type: VocType;
  topic: string;
  /** The catalogue topic picked; null: the agent's own words (unclassified). */
  topicId: string | null;
  priority: VocPriority;
  safety: boolean;
  /** Complaints only. */
  wants: CustomerWant | null;
  /** Answered on this contact: the center closes it at once instead of routing it. */
  resolvedOnContact: boolean;
  description: string;
}

/** A new item's fields: an inquiry is usually answered on the contact. */
export const EMPTY_VOC_FIELDS: VocFieldValues = {
  type: 'inquiry',
  topic: '',
  topicId: null,
  priority: 'normal',
  safety: false,
  wants: null,
  resolvedOnContact: true,
  description: '',
};

/** What changes with the type: "answered on this contact" defaults on for inquiries; only complaints say what the customer wants. */
export function typeChange(type: VocType, values: Pick<VocFieldValues, 'wants'>): Partial<VocFieldValues> {
  return { type, resolvedOnContact: type === 'inquiry', wants: type === 'complaint' ? values.wants : null };
}

export function VocFields(props: {
  value: VocFieldValues;
  onChange(change: Partial<VocFieldValues>): void;
  /** The catalogue's active topics (features/voc/reference-slice selectTopicOptions). */
  topics: readonly TopicOption[];
  /** Test ids are `${testIdPrefix}-type`, `-topic`, `-priority`, `-safety`, `-wants`, `-resolved`, `-description`. */
  testIdPrefix: string;
  /** The type select: focused first when the fields open. */
  typeRef?: Ref<HTMLSelectElement>;
  typeId?: string;
}) {
  const t = useT();
  const { value, onChange, topics, testIdPrefix: p } = props;
  return (
    <div className="voc-fields">
      <label>
        {t('voc.type')}
        <select id={props.typeId} ref={props.typeRef} data-testid={`${p}-type`} value={value.type} onChange={(e) => onChange(typeChange(VocType.parse(e.target.value), value))}>
          {VOC_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`voc.type.${type}`)}
            </option>
          ))}
        </select>
      </label>
      <TopicCombobox topic={value.topic} topicId={value.topicId} options={topics} onChange={onChange} testId={`${p}-topic`} />
      <label className="voc-field-wide">
        {t('voc.description')}
        <textarea
          data-testid={`${p}-description`}
          maxLength={VOC_DESCRIPTION_MAX_CHARS}
          value={value.description}
          onChange={(e) => onChange({ description: e.target.value })}
        />
      </label>
      <label>
        {t('voc.priority')}
        <select data-testid={`${p}-priority`} value={value.priority} onChange={(e) => onChange({ priority: VocPriority.parse(e.target.value) })}>
          {VOC_PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {t(`voc.priority.${priority}`)}
            </option>
          ))}
        </select>
      </label>
      {value.type === 'complaint' && (
        <label>
          {t('voc.wants')}
          <select
            data-testid={`${p}-wants`}
            value={value.wants ?? ''}
            onChange={(e) => onChange({ wants: e.target.value === '' ? null : CustomerWant.parse(e.target.value) })}
          >
            <option value="">{t('voc.wants.none')}</option>
            {CUSTOMER_WANTS.map((want) => (
              <option key={want} value={want}>
                {t(`voc.wants.${want}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      <div className="voc-checks">
        <label className="check">
          <input type="checkbox" data-testid={`${p}-safety`} checked={value.safety} onChange={(e) => onChange({ safety: e.target.checked })} />
          {t('voc.safety')}
        </label>
        <label className="check">
          <input type="checkbox" data-testid={`${p}-resolved`} checked={value.resolvedOnContact} onChange={(e) => onChange({ resolvedOnContact: e.target.checked })} />
          {t('voc.resolvedOnContact')}
        </label>
      </div>
    </div>
  );
}
