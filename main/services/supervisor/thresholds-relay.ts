// Supervisor relay for per-queue thresholds: the center's `queue:thresholds` pushes become the
// `queueThresholds` event; get/set ask the center (get falls back to the last known set offline).
import type { EventPayload } from '../../../shared/api/index';
import { EVENTS, QueueThresholdsSet, type QueueThresholds } from '../../../shared/protocol/index';
import type { CenterLink } from '../center-link';
import { desktopErrorFromCenter } from '../center-errors';
import type { EventHub } from '../events';
import { SUPERVISOR_WORDS } from './floor-relay';

export interface ThresholdsRelay {
  get(): Promise<QueueThresholdsSet>;
  set(input: { queue: string; thresholds: QueueThresholds | null }): Promise<QueueThresholdsSet>;
}

export function createThresholdsRelay(opts: { link: CenterLink; emit: EventHub['emit'] }): ThresholdsRelay {
  const { link, emit } = opts;
  let current: QueueThresholdsSet | null = null;
  const adopt = (set: EventPayload<'queueThresholds'>) => {
    current = set;
    emit('queueThresholds', set);
    return set;
  };
  link.on(EVENTS.queueThresholds, QueueThresholdsSet, adopt);
  return {
    async get() {
      try {
        current = await link.request(EVENTS.getQueueThresholds, {}, QueueThresholdsSet);
        return current;
      } catch (err) {
        if (current) return current;
        throw desktopErrorFromCenter(err, SUPERVISOR_WORDS);
      }
    },
    async set(input) {
      try {
        return adopt(await link.request(EVENTS.setQueueThresholds, input, QueueThresholdsSet));
      } catch (err) {
        throw desktopErrorFromCenter(err, SUPERVISOR_WORDS);
      }
    },
  };
}
