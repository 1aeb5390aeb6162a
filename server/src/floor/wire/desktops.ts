// What the floor does when desktops come and go: a supervisor gets the whole picture once (every
// agent with the customer they are talking to, and the queue metrics), then the once-a-second diffs
// of their room; an agent is registered with the floor and gets their state, and, when they are on a
// call, the call again. The last window of an agent closing starts the floor's grace period.
import { takesCalls } from '../../auth/sessions';
import type { Logger } from 'pino';
import { EVENTS, type AgentStateUpdate, type CallOffered } from '../../../../shared/protocol';
import type { Principal } from '../../auth/sessions';
import { errSummary } from '../../base/log';
import { SUPERVISING } from '../../io/event-table';
import type { DesktopHooks } from '../../io/socket';
import type { CustomerNames } from '../customer-names';
import type { Floor } from '../floor';

export interface FloorDesktopDeps {
  /** The floor as the handlers use it (on several nodes, relayed to the owner's). */
  floor: Pick<Floor, 'connected' | 'disconnected' | 'agentsOf' | 'fullPush'>;
  customerNames: Pick<CustomerNames, 'withNames'>;
  /** The offer of the call the agent is on, if any (calls/in-progress.ts). */
  callInProgress(who: Principal, state: AgentStateUpdate): Promise<CallOffered | null>;
  log: Pick<Logger, 'warn'>;
}

export function floorDesktops(deps: FloorDesktopDeps): DesktopHooks {
  const { floor, customerNames, log } = deps;
  return {
    async connected(who, send) {
      const failed = (err: unknown) => log.warn({ err: errSummary(err), userId: who.userId }, 'agent floor update failed');
      if (SUPERVISING.includes(who.role)) {
        floor
          .agentsOf(who.tenantId)
          .then((agents) => customerNames.withNames(who.tenantId, agents))
          .then((agents) => agents.forEach((a) => send(EVENTS.agentState, a)), failed);
        floor.fullPush(who.tenantId).then((full) => send(EVENTS.queueMetrics, full), failed);
        // A supervisor who also takes calls is on the floor as an agent too (never made available by it).
        if (!takesCalls(who)) return;
      }
      const state = await floor.connected(who).catch((err: unknown) => {
        failed(err);
        throw err;
      });
      if (!state) return;
      send(EVENTS.agentState, state);
      // The agent's events need not wait for the call to be found again.
      deps.callInProgress(who, state).then((offer) => offer && send(EVENTS.callOffered, offer), failed);
    },
    lastDisconnected(who) {
      floor.disconnected(who).catch((err: unknown) => log.warn({ err: errSummary(err), userId: who.userId }, 'agent floor update failed'));
    },
  };
}
