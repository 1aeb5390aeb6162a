// customer:lookup: the tenant's lookup limit (limit.ts), the screen pop and search at the center
// (screen-pop.ts), then a poke for the working-set grant it queued.
import type { Logger } from 'pino';
import { EVENTS, LookupRequest } from '../../../shared/protocol';
import { errSummary } from '../base/log';
import type { Db } from '../db/db';
import { ANY_ROLE, spec, type EventTable } from '../io/event-table';
import type { Poke } from '../sync/events';
import type { CheckLookup } from './limit';
import { lookupCustomer } from './screen-pop';

export function lookupEvents(db: Db, poke: Poke, log: Pick<Logger, 'warn'>, checkLookup: CheckLookup = async () => undefined): EventTable {
  return {
    [EVENTS.lookup]: spec({
      roles: ANY_ROLE,
      schema: LookupRequest,
      handle: async (who, req) => {
        await checkLookup(who.tenantId, who.userId);
        const r = await lookupCustomer(db, who, req, (err) =>
          log.warn({ err: errSummary(err), userId: who.userId }, "working-set grant failed: the customer's later changes reach this user's desktops only once they look it up again"),
        );
        void poke(who.tenantId, r);
        return r.value;
      },
    }),
  };
}
