// Supervisor relay for chat and email capacity per queue: the center's `queue:capacities` pushes become
// the `queueCapacities` event; get/set ask the center (get falls back to the last known set offline), and
// a supervisor's desktop reads them again on every (re)connect.
import { EVENTS, QueueCapacitiesSet, type SetQueueCapacityRequest } from '../../../shared/protocol/index';
import type { CenterLink } from '../center-link';
import { desktopErrorFromCenter } from '../center-errors';
import type { EventHub } from '../events';
import { SUPERVISOR_WORDS } from './floor-relay';

export interface CapacityRelay {
  /** The link (re)connected: a supervisor's desktop reads the capacities (sign-in may have asked while offline). */
  connected(): void;
  get(): Promise<QueueCapacitiesSet>;
  set(input: SetQueueCapacityRequest): Promise<QueueCapacitiesSet>;
}

export function createCapacityRelay(opts: { link: CenterLink; emit: EventHub['emit']; supervising: () => boolean }): CapacityRelay {
  const { link, emit, supervising } = opts;
  let current: QueueCapacitiesSet | null = null;
  const adopt = (set: QueueCapacitiesSet) => {
    current = set;
    emit('queueCapacities', set);
    return set;
  };
  link.on(EVENTS.queueCapacities, QueueCapacitiesSet, adopt);
  return {
    connected() {
      if (!supervising()) return;
      link.request(EVENTS.getQueueCapacities, {}, QueueCapacitiesSet).then(adopt, () => undefined); // the next connect tries again
    },
    async get() {
      try {
        current = await link.request(EVENTS.getQueueCapacities, {}, QueueCapacitiesSet);
        return current;
      } catch (err) {
        if (current) return current;
        throw desktopErrorFromCenter(err, SUPERVISOR_WORDS);
      }
    },
    async set(input) {
      try {
        return adopt(await link.request(EVENTS.setQueueCapacity, input, QueueCapacitiesSet));
      } catch (err) {
        throw desktopErrorFromCenter(err, SUPERVISOR_WORDS);
      }
    },
  };
}
