// Great service on every desktop: the center's `greatService:shared` pushes and a fetch on each
// (re)connect keep the list; the renderer hears it as `greatService`. Supervisors mark through here.
import { EVENTS, GreatService, GreatServiceList, type MarkGreatServiceRequest } from '../../../shared/protocol/index';
import { DesktopApiError } from '../api-dispatch';
import { CenterRequestError, type CenterLink } from '../center-link';
import type { EventHub } from '../events';

const KEEP = 20;

export interface GreatServiceRelay {
  /** The link (re)connected: fetch what was shared meanwhile. */
  connected(): void;
  list(): Promise<GreatServiceList>;
  mark(input: MarkGreatServiceRequest): Promise<GreatService>;
}

function facing(err: unknown): DesktopApiError {
  if (!(err instanceof CenterRequestError)) return new DesktopApiError('internal', 'The request failed on this computer. Try again; if it keeps failing, tell IT.');
  switch (err.code) {
    case 'offline':
      return new DesktopApiError('offline', 'You are offline: great service can be shared when the connection returns.');
    case 'forbidden':
      return new DesktopApiError('forbidden', 'Only supervisors can mark great service.');
    case 'conflict':
      return new DesktopApiError('conflict', 'This call is already marked as great service.');
    case 'timeout':
      return new DesktopApiError('timeout', 'The Earshot center did not answer in time. Try again in a moment.');
    default:
      return new DesktopApiError(err.code, err.message);
  }
}

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
        throw facing(err);
      }
    },
  };
}
