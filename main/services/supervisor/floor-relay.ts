// Supervisor relay: follows the center's `queue:metrics` (full, then diffs) and `agent:state` pushes,
// keeps the current snapshot and agent list, and answers the supervisor's DesktopApi methods.
// The renderer always receives whole snapshots: diffs are applied here, once, next to the socket.
import type { QueueMetricsSnapshot, SupervisedAgent } from '../../../shared/api/index';
import {
  AgentStateName,
  AgentStateUpdate,
  EVENTS,
  ForceAgentStateResponse,
  QueueMetricsPush,
  QueueTrendsResponse,
  applyDiff,
  type QueueMetrics,
} from '../../../shared/protocol/index';
import type { CenterLink } from '../center-link';
import { desktopErrorFromCenter, type CenterErrorWords } from '../center-errors';
import type { EventHub } from '../events';

type Queues = Record<string, QueueMetrics>;

export interface FloorRelay {
  metrics(): QueueMetricsSnapshot;
  agents(): SupervisedAgent[];
  trends(input: { queue?: string }): Promise<QueueTrendsResponse>;
  force(input: { agent: string; state: 'not_ready' | 'offline'; reason?: string }): Promise<{ applied: boolean; pending: boolean }>;
  /** The link dropped: the next push after reconnecting is a full snapshot, so diffs are refused until then. */
  disconnected(): void;
}

export interface FloorRelayOptions {
  link: CenterLink;
  emit: EventHub['emit'];
  now?: () => Date;
}

/** What a supervisor's requests (trends, force, thresholds) say when the center refuses or cannot be asked. */
export const SUPERVISOR_WORDS: CenterErrorWords = {
  offline: 'You are offline: the Earshot center cannot be asked. Try again when the connection returns.',
  forbidden: 'Only supervisors can do this. Sign in with a supervisor account.',
};

export function createFloorRelay(opts: FloorRelayOptions): FloorRelay {
  const { link, emit } = opts;
  const now = opts.now ?? (() => new Date());
  let queues: Queues | null = null;
  let at: string | null = null;
  /** False after a disconnect: the figures stay on screen, but no diff applies until a full push. */
  let baseCurrent = false;
  const agents = new Map<string, SupervisedAgent>();

  const snapshot = (): QueueMetricsSnapshot => ({ at, queues: queues ?? {} });

  function remember(next: SupervisedAgent, changed: SupervisedAgent[]): void {
    const before = agents.get(next.agent);
    if (before && JSON.stringify(before) === JSON.stringify(next)) return;
    agents.set(next.agent, next);
    changed.push(next);
  }

  /** Queue lists name each agent's state too: the grid learns of agents before their first change. */
  function learnAgentsFrom(qs: Queues): SupervisedAgent[] {
    const changed: SupervisedAgent[] = [];
    for (const [queue, m] of Object.entries(qs)) {
      for (const [agent, a] of Object.entries(m.agents)) {
        const state = AgentStateName.safeParse(a.state);
        if (!state.success) continue;
        const known = agents.get(agent);
        // An `agent:state` push says more (interaction, forcedBy): keep it while the state agrees.
        if (known && known.state === state.data && known.since === a.since) continue;
        remember({ agent, state: state.data, reason: a.reason, since: a.since, queue: known?.queue ?? queue, interactionId: known?.interactionId ?? null, forcedBy: known?.forcedBy ?? null }, changed);
      }
    }
    return changed;
  }

  link.on(EVENTS.queueMetrics, QueueMetricsPush, (push) => {
    if (push.kind === 'full') {
      queues = push.queues;
      baseCurrent = true;
    } else if (queues && baseCurrent) queues = applyDiff(queues, push.diff);
    else return; // a diff without its base cannot be applied; the center sends a full push on (re)connect
    at = push.at;
    emit('queueMetrics', snapshot());
    const changed = learnAgentsFrom(queues);
    if (changed.length) emit('agentStates', { agents: changed });
  });

  link.on(EVENTS.agentState, AgentStateUpdate, (u) => {
    const changed: SupervisedAgent[] = [];
    const customer = u.customerName === undefined ? {} : { customerName: u.customerName };
    remember({ agent: u.agent, state: u.state, reason: u.reason, since: u.since, queue: u.queue, interactionId: u.interactionId, forcedBy: u.forcedBy, ...customer }, changed);
    if (changed.length) emit('agentStates', { agents: changed });
  });

  return {
    metrics: snapshot,
    agents: () => [...agents.values()],
    async trends({ queue }) {
      // "Today" is the tenant's day as the center counts it; before the first push, the last 24 hours.
      const first = queues ? Object.values(queues)[0] : undefined;
      const to = now();
      const from = first?.today.from ?? new Date(to.getTime() - 24 * 3600_000).toISOString();
      try {
        return await link.request(EVENTS.queueTrends, { queue, from, to: to.toISOString() }, QueueTrendsResponse);
      } catch (err) {
        throw desktopErrorFromCenter(err, SUPERVISOR_WORDS);
      }
    },
    async force({ agent, state, reason }) {
      try {
        return await link.request(EVENTS.forceAgentState, { agent, state, reason: reason ?? null }, ForceAgentStateResponse);
      } catch (err) {
        throw desktopErrorFromCenter(err, SUPERVISOR_WORDS);
      }
    },
    disconnected() {
      baseCurrent = false;
    },
  };
}
