// An item's topic as the UI names it (see reference-slice's localized catalogue).
import { useMemo } from 'react';
import { useAppSelector } from '../../app/hooks';
import type { Translate } from '../../i18n/use-t';
import { selectTopicNames } from './reference-slice';

/** An item's topic: its catalogue topic in the UI's language, else the words it was raised with. */
export function useTopicName(item: { topic: string; topicId?: string | null }): string {
  const names = useAppSelector(selectTopicNames);
  return (item.topicId ? names.get(item.topicId) : undefined) ?? item.topic;
}

/** The same, as an element (for lists). */
export function TopicName({ item }: { item: { topic: string; topicId?: string | null } }) {
  return <>{useTopicName(item)}</>;
}

export type TopicName = (id: string | null, fallback: string) => string;

/** Catalogue topics by id in the UI's language ("Category › Topic"), the given fallback where this desktop does not know the topic; null: unclassified. */
export function useTopicPath(t: Translate): TopicName {
  const names = useAppSelector(selectTopicNames);
  const topics = useAppSelector((s) => s.vocReference.topics);
  return useMemo(() => {
    const parents = new Map(topics.map((tp) => [tp.id, tp.parentId]));
    return (id, fallback) => {
      if (id === null) return t('analysis.unclassified');
      const own = names.get(id);
      if (!own) return fallback;
      const parent = parents.get(id);
      const parentName = parent ? names.get(parent) : undefined;
      return parentName ? `${parentName} › ${own}` : own;
    };
  }, [names, topics, t]);
}
