// The fields of a VOC item as an agent writes it — type, topic (from the catalogue, or free text left
// unclassified), what the customer said, then priority, what a complaining customer wants, the safety
// flag and whether it was answered on this contact — with the same limits wherever they appear: the
// add form under the notes, and the fix of a refused item. Tab goes type, topic, what was said first.
import type { Ref } from 'react';
import { CUSTOMER_WANTS, VOC_DESCRIPTION_MAX_CHARS, VOC_PRIORITIES, VOC_TYPES, VocType, type CustomerWant, type VocPriority } from '../../shared/domain/index';
import { ChoiceSelect } from './ChoiceSelect';
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
  /** Only the classification (type, topic, priority, wants, safety): the desk's "reclassify" step. */
  classificationOnly?: boolean;
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
      {!props.classificationOnly && (
        <label className="voc-field-wide">
          {t('voc.description')}
          <textarea
            data-testid={`${p}-description`}
            maxLength={VOC_DESCRIPTION_MAX_CHARS}
            value={value.description}
            onChange={(e) => onChange({ description: e.target.value })}
          />
        </label>
      )}
      <ChoiceSelect
        label={t('voc.priority')}
        testId={`${p}-priority`}
        values={VOC_PRIORITIES}
        value={value.priority}
        labelOf={(v) => t(`voc.priority.${v}`)}
        onChange={(priority) => priority && onChange({ priority })}
      />
      {value.type === 'complaint' && (
        <ChoiceSelect
          label={t('voc.wants')}
          testId={`${p}-wants`}
          values={CUSTOMER_WANTS}
          value={value.wants}
          none={t('voc.wants.none')}
          labelOf={(v) => t(`voc.wants.${v}`)}
          onChange={(wants) => onChange({ wants })}
        />
      )}
      <div className="voc-checks">
        <label className="check">
          <input type="checkbox" data-testid={`${p}-safety`} checked={value.safety} onChange={(e) => onChange({ safety: e.target.checked })} />
          {t('voc.safety')}
        </label>
        {!props.classificationOnly && (
          <label className="check">
            <input type="checkbox" data-testid={`${p}-resolved`} checked={value.resolvedOnContact} onChange={(e) => onChange({ resolvedOnContact: e.target.checked })} />
            {t('voc.resolvedOnContact')}
          </label>
        )}
      </div>
    </div>
  );
}
