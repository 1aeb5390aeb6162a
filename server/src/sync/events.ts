// The sync protocol's socket events (SYNC.md): sync:push applies a desktop's mutations exactly once
// and pokes whoever can see what changed; sync:pull hands out changes in scope.
import type { Logger } from 'pino';
import { EVENTS, PullRequest, PushRequest } from '../../../shared/protocol';
import { errSummary } from '../base/log';
import type { Db } from '../db/db';
import { ANY_ROLE, spec, type EventTable } from '../io/event-table';
import type { ChangeInput } from './change-log';
import { pokeAudience, type Poker } from './poke';
import { pullChanges } from './pull';
import { pushMutations, type PushHooks } from './push';

/** Pokes the audience of committed changes; a failed poke is logged (the next pull finds them anyway). */
export function createPoke(db: Db, poker: Poker, log: Pick<Logger, 'warn'>) {
  return (tenantId: string, r: { changes: ReadonlyArray<ChangeInput>; version: string }): Promise<void> =>
    pokeAudience(db, poker, tenantId, r.changes, r.version).catch((err: unknown) => log.warn({ err: errSummary(err) }, 'poke failed'));
}
export type Poke = ReturnType<typeof createPoke>;

/** `hooks`: what other rooms do inside a push (the VOC workflow). */
export function syncEvents(db: Db, poke: Poke, hooks?: PushHooks): EventTable {
  return {
    [EVENTS.push]: spec({
      roles: ANY_ROLE,
      schema: PushRequest,
      handle: async (who, req) => {
        const r = await pushMutations(db, who, req, hooks);
        void poke(who.tenantId, r);
        return r.value;
      },
    }),
    [EVENTS.pull]: spec({ roles: ANY_ROLE, schema: PullRequest, handle: (who, req) => pullChanges(db, who, req) }),
  };
}
