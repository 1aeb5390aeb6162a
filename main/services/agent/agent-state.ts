// The agent's state: relays the agent's choice to the center and follows the center's `agent:state`
// pushes. Offline, the LAST choice is kept (not a queue of them) and sent when the connection
// returns, so an agent who went on break while disconnected is not made available on reconnect.
import type { AgentStateRequest, AgentStateView } from '../../../shared/api/index';
import { AgentStateUpdate, EVENTS } from '../../../shared/protocol/index';
import type { StoreLogger } from '../../db/index';
import type { CenterLink } from '../center-link';
import { CenterRequestError } from '../center-link';
import { desktopErrorFromCenter } from '../center-errors';
import type { EventHub } from '../events';

export interface AgentStateService {
  /** As the center last reported it, with any choice still waiting for the connection; null before the first report. */
  current(): AgentStateView | null;
  /** Sends the choice now, or keeps it for the reconnect when offline (the answer then carries `pending`). */
  set(request: AgentStateRequest): Promise<AgentStateView>;
  /** The link (re)connected: send a choice made while offline. */
  connected(): void;
}

export interface AgentStateOptions {
  link: CenterLink;
  emit: EventHub['emit'];
  logger: StoreLogger;
  /** The signed-in username: supervisors' desktops also hear other agents' `agent:state` pushes. */
  self?: () => string | null;
  now?: () => Date;
}

export function createAgentStateService(opts: AgentStateOptions): AgentStateService {
  const { link, emit, logger } = opts;
  const now = opts.now ?? (() => new Date());
  let reported: AgentStateUpdate | null = null;
  let pending: AgentStateRequest | null = null;

  function view(): AgentStateView | null {
    if (!reported) return null;
    const { state, reason, since, forcedBy, interactionId, queue } = reported;
    return { state, reason, since, forcedBy, interactionId, queue, pending };
  }

  function adopt(update: AgentStateUpdate): void {
    reported = update;
    const v = view();
    if (v) emit('agentState', v);
  }

  async function send(request: AgentStateRequest): Promise<AgentStateView> {
    const update = await link.request(EVENTS.setAgentState, { state: request.state, reason: request.reason ?? null }, AgentStateUpdate);
    if (pending === request) pending = null;
    adopt(update);
    return view() as AgentStateView;
  }

  link.on(EVENTS.agentState, AgentStateUpdate, (update) => {
    const me = opts.self?.();
    if (me === undefined || me === null || update.agent === me) adopt(update);
  });

  return {
    current: view,
    async set(request) {
      try {
        return await send(request);
      } catch (err) {
        if (!(err instanceof CenterRequestError) || err.code !== 'offline') {
          throw desktopErrorFromCenter(err, { offline: 'You are offline: your state will be set when the connection returns.' });
        }
        pending = request;
        const known = view();
        const offlineView: AgentStateView = known ?? {
          state: 'offline',
          reason: null,
          since: now().toISOString(),
          forcedBy: null,
          interactionId: null,
          queue: null,
          pending,
        };
        emit('agentState', offlineView);
        return offlineView;
      }
    },
    connected() {
      const waiting = pending;
      if (!waiting) return;
      send(waiting).catch((err: unknown) => {
        // A refusal now (say, a supervisor forced offline meanwhile) ends the wait; the agent sees the center's state.
        if (!(err instanceof CenterRequestError) || err.code !== 'offline') {
          if (pending === waiting) pending = null;
          const v = view();
          if (v) emit('agentState', v);
        }
        logger.warn({ code: err instanceof CenterRequestError ? err.code : 'unknown' }, 'agent state chosen offline was not applied');
      });
    },
  };
}
