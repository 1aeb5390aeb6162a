// An item's topic as the UI names it (see reference-slice's localized catalogue).
import { useAppSelector } from '../../app/hooks';
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
