// A node became the CTI owner of several: it restores every tenant's agent states from
// agent_state_changes (agents signed in nowhere keep theirs for the grace period), then owns the
// floor, then registers the agents signed in on any node (their connect may have found no owner).
import type { Logger } from 'pino';
import { EVENTS } from '../../../shared/protocol';
import { errSummary } from '../base/log';
import type { Db } from '../db/db';
import type { Outlet } from '../io/rooms';
import { RESTORE_LOOKBACK_MS, type Floor, type FloorPerson } from './floor';

export interface FloorTakeoverDeps {
  db: Db;
  /** This node's own floor. */
  floor: Pick<Floor, 'restore' | 'connected'>;
  /** Agents with a desktop on any node (cluster/signed-in-agents.ts). */
  signedIn(): Promise<FloorPerson[]>;
  outlet: Pick<Outlet, 'toAgent'>;
  /** Called between the restore and the registrations: from then on, this node's floor counts. */
  owned(): void;
  log: Pick<Logger, 'info' | 'warn'>;
}

export async function takeFloorOver(deps: FloorTakeoverDeps): Promise<void> {
  const { db, floor, log } = deps;
  const present = await deps.signedIn();
  const presentIds = new Set(present.map((a) => a.userId));
  const since = new Date(Date.now() - RESTORE_LOOKBACK_MS);
  let restored = 0;
  for (const t of await db.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM agent_state_changes WHERE at >= $1', [since])) {
    restored += await floor.restore(t.tenant_id, { present: presentIds });
  }
  deps.owned();
  for (const a of present) {
    const state = await floor.connected(a).catch((err: unknown) => {
      log.warn({ err: errSummary(err), userId: a.userId }, 'a signed-in agent could not be registered with the floor');
      return null;
    });
    if (state) deps.outlet.toAgent(a.userId, EVENTS.agentState, state);
  }
  log.info({ restored, present: present.length }, 'agent floor taken over');
}
