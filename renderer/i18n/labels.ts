// Names the center keeps per language (queues, disposition codes): the one for the UI's language, else
// its base language (`en` for `en-GB`), else the name as given, else the code itself.
import { useCallback, useMemo } from 'react';
import type { Queue } from '../../shared/domain/entities';
import { useAppSelector } from '../app/hooks';
import { selectQueuesById } from '../features/voc/reference-slice';
import { pickLabel } from './pick-label';
import { useLocale } from './use-t';

export { pickLabel };


export function queueLabel(queue: Queue | undefined, queueId: string, locale: string): string {
  return queue ? pickLabel(queue.labels, queue.name || queueId, locale) : queueId;
}

/**
 * A disposition code's label: the queue's own when it has the code, else any queue's with that code
 * (a contact from a queue since retired, or one that is not synced), else the code.
 */
export function dispositionLabel(queues: ReadonlyMap<string, Queue>, queueId: string | null, code: string, locale: string): string {
  const own = queueId ? queues.get(queueId)?.dispositionCodes.find((c) => c.code === code) : undefined;
  const found = own ?? [...queues.values()].flatMap((q) => q.dispositionCodes).find((c) => c.code === code);
  return found ? pickLabel(found.labels, found.label || code, locale) : code;
}

/** Components' access: `queue(id)` and `disposition(queueId, code)` in the UI's language. */
export function useReferenceLabels(): { queue: (queueId: string) => string; disposition: (queueId: string | null, code: string) => string } {
  const locale = useLocale();
  const queues = useAppSelector(selectQueuesById);
  const queue = useCallback((queueId: string) => queueLabel(queues.get(queueId), queueId, locale), [queues, locale]);
  const disposition = useCallback((queueId: string | null, code: string) => dispositionLabel(queues, queueId, code, locale), [queues, locale]);
  return useMemo(() => ({ queue, disposition }), [queue, disposition]);
}
