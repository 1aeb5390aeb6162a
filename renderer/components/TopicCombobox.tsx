// The topic of a VOC item: type-ahead over the tenant's catalogue (an ARIA 1.2 combobox with a list
// box, worked from the keyboard: arrows move, Enter picks, Escape closes the list), or the agent's own
// words, which leave the item unclassified for a supervisor to map later.
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { VOC_TOPIC_MAX_CHARS } from '../../shared/domain/index';
import { useT } from '../i18n/use-t';

/** A topic the agent can pick: its catalogue id, its own name, and its category's name ('' for a category itself). */
export interface TopicOption {
  id: string;
  name: string;
  category: string;
}

const SHOWN = 8;

/** Options whose category and name hold every word typed, in catalogue order. */
export function matchTopics(options: readonly TopicOption[], query: string): TopicOption[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return options.slice(0, SHOWN);
  return options.filter((o) => words.every((w) => `${o.category} ${o.name}`.toLocaleLowerCase().includes(w))).slice(0, SHOWN);
}

export function TopicCombobox(props: {
  topic: string;
  topicId: string | null;
  options: readonly TopicOption[];
  onChange(change: { topic: string; topicId: string | null }): void;
  testId: string;
}) {
  const t = useT();
  const { topic, topicId, options, onChange, testId } = props;
  const base = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const matches = useMemo(() => matchTopics(options, topicId ? '' : topic), [options, topic, topicId]);
  const shown = open && matches.length > 0;
  const optionId = (i: number) => `${base}-option-${i}`;
  const picked = topicId ? options.find((o) => o.id === topicId) : undefined;

  function pick(option: TopicOption) {
    onChange({ topic: option.name, topicId: option.id });
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!shown) {
        setOpen(true);
        setActive(event.key === 'ArrowDown' ? 0 : matches.length - 1);
        return;
      }
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (i + step + matches.length) % matches.length);
    } else if (event.key === 'Enter' && shown && active >= 0 && matches[active] && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      pick(matches[active]);
    } else if (event.key === 'Escape' && shown) {
      // Closes the list only; a second Escape reaches the form.
      event.preventDefault();
      event.stopPropagation();
      setOpen(false);
      setActive(-1);
    }
  }

  return (
    <div className="topic-combobox">
      <label htmlFor={`${base}-input`}>{t('voc.topic')}</label>
      <input
        id={`${base}-input`}
        data-testid={testId}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={shown}
        aria-controls={`${base}-list`}
        aria-activedescendant={shown && active >= 0 ? optionId(active) : undefined}
        aria-describedby={`${base}-hint`}
        autoComplete="off"
        maxLength={VOC_TOPIC_MAX_CHARS}
        value={topic}
        onChange={(e) => {
          onChange({ topic: e.target.value, topicId: null });
          setOpen(true);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setOpen(false)}
      />
      <ul id={`${base}-list`} role="listbox" aria-label={t('voc.topicList')} className="topic-options" hidden={!shown}>
        {shown &&
          matches.map((m, i) => (
            <li
              key={m.id}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              data-testid={`${testId}-option`}
              // mousedown, not click: the input must not lose focus (and close the list) first.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(m);
              }}
            >
              {m.name}
              {m.category && <span className="muted"> · {m.category}</span>}
            </li>
          ))}
      </ul>
      <p id={`${base}-hint`} className={`field-hint${!topicId && topic.trim() ? ' unclassified' : ''}`} data-testid={`${testId}-classification`}>
        {topicId
          ? t('voc.topicClassified', { category: picked?.category || picked?.name || topicId })
          : topic.trim()
            ? t('voc.topicUnclassified')
            : t('voc.topicHint')}
      </p>
    </div>
  );
}
