// The sync protocol's socket events (SYNC.md): sync:push applies a desktop's mutations exactly once
// and pokes whoever can see what changed; sync:pull hands out changes in scope.
import type { Logger } from 'pino';
import { EVENTS, IDENTITY_SCHEMA_VERSION, PullRequest, PushRequest } from '../../../shared/protocol';
import { errSummary } from '../base/log';
import type { Db } from '../db/db';
import type { CenterIdentity } from '../db/identity';
import { ANY_ROLE, spec, type EventTable } from '../io/event-table';
import type { ChangeInput } from './change-log';
import { pokeAudience, type Poker } from './poke';
import { pullChanges } from './pull';
import { pushMutations, type PushHooks } from './push';
import { updateRequired } from './schema-version';

/** Pokes the audience of committed changes; a failed poke is logged (the next pull finds them anyway). */
export function createPoke(db: Db, poker: Poker, log: Pick<Logger, 'warn'>) {
  return (tenantId: string, r: { changes: ReadonlyArray<ChangeInput>; version: string }): Promise<void> =>
    pokeAudience(db, poker, tenantId, r.changes, r.version).catch((err: unknown) => log.warn({ err: errSummary(err) }, 'poke failed'));
}
export type Poke = ReturnType<typeof createPoke>;

/**
 * Every answer carries the database's identity (`centerId`). After a restore, a desktop that cannot
 * read it is told to update: its cursor and seq may be ahead of the restored data. `hooks`: what
 * other rooms do inside a push (the VOC workflow).
 */
export function syncEvents(db: Db, poke: Poke, identity: CenterIdentity, hooks?: PushHooks): EventTable {
  const knowsIdentity = (schemaVersion: number) => {
    if (identity.restored && schemaVersion < IDENTITY_SCHEMA_VERSION) throw updateRequired(schemaVersion, IDENTITY_SCHEMA_VERSION);
  };
  return {
    [EVENTS.push]: spec({
      roles: ANY_ROLE,
      schema: PushRequest,
      handle: async (who, req) => {
        knowsIdentity(req.schemaVersion);
        const r = await pushMutations(db, who, req, hooks);
        void poke(who.tenantId, r);
        return { ...r.value, centerId: identity.id };
      },
    }),
    [EVENTS.pull]: spec({
      roles: ANY_ROLE,
      schema: PullRequest,
      handle: async (who, req) => {
        knowsIdentity(req.schemaVersion);
        return { ...(await pullChanges(db, who, req)), centerId: identity.id };
      },
    }),
  };
}
