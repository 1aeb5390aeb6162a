// Great service on every desktop: the center's `greatService:shared` pushes and a fetch on each
// (re)connect keep the list; the renderer hears it as `greatService`. Supervisors mark through here.
import { EVENTS, GreatService, GreatServiceList, type MarkGreatServiceRequest } from '../../../shared/protocol/index';
import type { CenterLink } from '../center-link';
import { desktopErrorFromCenter, type CenterErrorWords } from '../center-errors';
import type { EventHub } from '../events';

const KEEP = 20;

export interface GreatServiceRelay {
  /** The link (re)connected: fetch what was shared meanwhile. */
  connected(): void;
  list(): Promise<GreatServiceList>;
  mark(input: MarkGreatServiceRequest): Promise<GreatService>;
}

const MARK_WORDS: CenterErrorWords = {
  offline: 'You are offline: great service can be shared when the connection returns.',
  forbidden: 'Only supervisors can mark great service. Sign in with a supervisor account.',
  conflict: 'This call is already marked as great service.',
};

export function createGreatServiceRelay(opts: { link: CenterLink; emit: EventHub['emit'] }): GreatServiceRelay {
  const { link, emit } = opts;
  let items: GreatService[] = [];
  const publish = (next: GreatService[]) => {
    items = next.slice(0, KEEP);
    emit('greatService', { items });
    return { items };
  };
  const refresh = async () => publish((await link.request(EVENTS.listGreatService, { limit: KEEP }, GreatServiceList)).items);
  link.on(EVENTS.greatServiceShared, GreatService, (g) => publish([g, ...items.filter((i) => i.id !== g.id)]));
  return {
    connected() {
      refresh().catch(() => undefined); // the list stays as it was; the next connect tries again
    },
    async list() {
      try {
        return await refresh();
      } catch {
        return { items };
      }
    },
    async mark(input) {
      try {
        const marked = await link.request(EVENTS.markGreatService, input, GreatService);
        publish([marked, ...items.filter((i) => i.id !== marked.id)]);
        return marked;
      } catch (err) {
        throw desktopErrorFromCenter(err, MARK_WORDS);
      }
    },
  };
}
