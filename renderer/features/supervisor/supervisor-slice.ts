// The supervisor view's state: one row per queue and per agent, replaced only when its figures
// changed, so memoised rows re-render only for the queues and agents a push actually moved.
import { createAction, createSelector, createSlice, isDraft, original, type Draft, type PayloadAction } from '@reduxjs/toolkit';
import type { QueueMetricsSnapshot, SupervisedAgent } from '../../../shared/api/index';
import { sameJson as same, type ChannelCapacities, type ChannelsOfQueue, type PeriodFigures, type QueueCapacitiesSet, type QueueMetrics, type QueueThresholds, type QueueThresholdsSet, type QueueTrendsResponse } from '../../../shared/protocol/index';
import { queueLevels, thresholdsFor, type Level } from './thresholds';

/** What a queue row shows: the live figures without the per-second clock and agent timers. */
export interface QueueRowView {
  queue: string;
  waitingNow: number;
  longestWaitSec: number;
  serviceLevel: QueueMetrics['serviceLevel'];
  window: Omit<PeriodFigures, 'from'>;
}

/** Today's 15-minute buckets in time order, for the sparklines. */
export interface QueueTrend {
  serviceLevel: Array<number | null>;
  offered: number[];
}

/** One 15-minute bucket of today's trend charts. */
export interface TrendPoint {
  serviceLevel: number | null;
  asaSec: number | null;
}
/** How many live samples (one per center push, about a second apart) the waiting sparkline keeps. */
export const WAITING_SAMPLES = 120;

export type ForceState = 'not_ready' | 'offline';

export interface SupervisorState {
  at: string | null;
  queueIds: string[];
  queues: Record<string, QueueRowView>;
  /** Chats and emails per queue, for queues whose center reports them (`QueueMetrics.channels`). */
  channels: Record<string, ChannelsOfQueue>;
  trends: Record<string, QueueTrend>;
  agents: Record<string, SupervisedAgent>;
  /** Each agent's current or most recent interaction (what a supervisor can mark as great service). */
  lastInteraction: Record<string, string>;
  /** The force awaiting the supervisor's confirmation. */
  forceAsk: { agent: string; state: ForceState } | null;
  forceResult: { agent: string; state: ForceState; outcome: 'applied' | 'pending' | 'failed'; message: string | null } | null;
  /** Today's buckets per queue, by bucket start: the center's stored ones, overlaid by the live ones. */
  trendPoints: Record<string, Record<string, TrendPoint>>;
  trendsError: string | null;
  /** The last WAITING_SAMPLES `waitingNow` figures per queue, oldest first. */
  waiting: Record<string, number[]>;
  /** The center's thresholds per queue; null until they arrive (the defaults apply meanwhile). */
  thresholds: QueueThresholdsSet | null;
  /** The queue whose thresholds are being edited. */
  thresholdsEdit: string | null;
  thresholdsResult: { queue: string; ok: boolean; message: string | null } | null;
  /** Chat and email capacity per queue from the center; null until they arrive (or from a center without them). */
  capacities: QueueCapacitiesSet | null;
  capacitiesError: string | null;
  /** The queue whose capacity is being edited. */
  capacityEdit: string | null;
  capacityResult: { queue: string; ok: boolean; message: string | null } | null;
}

const initialState: SupervisorState = { at: null, queueIds: [], queues: {}, channels: {}, trends: {}, agents: {}, forceAsk: null, forceResult: null, trendPoints: {}, trendsError: null, waiting: {}, thresholds: null, thresholdsEdit: null, thresholdsResult: null, lastInteraction: {}, capacities: null, capacitiesError: null, capacityEdit: null, capacityResult: null };

export const forceConfirmed = createAction('supervisor/forceConfirmed');
/** Save (or, with null, reset to the defaults) one queue's thresholds at the center. */
export const thresholdsSaveRequested = createAction<{ queue: string; thresholds: QueueThresholds | null }>('supervisor/thresholdsSaveRequested');

/** Save one queue's chat and email capacity at the center (only the channels that changed are sent). */
export const capacitySaveRequested = createAction<{ queue: string; capacities: { [C in keyof ChannelCapacities]: { capacity: number; interruptible: boolean } } }>('supervisor/capacitySaveRequested');

function rowOf(m: QueueMetrics): QueueRowView {
  const { from: _from, ...window } = m.window;
  return { queue: m.queue, waitingNow: m.waitingNow, longestWaitSec: m.longestWaitSec, serviceLevel: m.serviceLevel, window };
}

function trendOf(m: QueueMetrics): QueueTrend {
  const buckets = Object.keys(m.buckets)
    .sort()
    .map((k) => m.buckets[k]!);
  return { serviceLevel: buckets.map((b) => b.serviceLevel), offered: buckets.map((b) => b.offered) };
}

// localeCompare's order (the default collation), without building a collator per comparison.
const collator = new Intl.Collator();

/**
 * The state as the action found it, in plain objects. Pushes compare against it rather than the
 * draft: reading a figure through the draft wraps every object on the way in a proxy, for every queue
 * and agent of every push.
 */
const plain = <T>(value: T): T => (isDraft(value) ? (original(value as Draft<T>) as T) : value);

/** Writes buckets into a queue's trend points; a queue's object is replaced only when a point changed. */
function mergePoints(state: SupervisorState, queue: string, figures: PeriodFigures[], overwrite = true): void {
  const before = plain(state.trendPoints)[queue] ?? {};
  let next: Record<string, TrendPoint> | null = null;
  for (const f of figures) {
    const key = new Date(f.from).toISOString();
    const point: TrendPoint = { serviceLevel: f.serviceLevel, asaSec: f.asaSec };
    if (before[key] && (!overwrite || same(before[key], point))) continue;
    next ??= { ...before };
    next[key] = point;
  }
  if (next) state.trendPoints[queue] = next;
}

const supervisorSlice = createSlice({
  name: 'supervisor',
  initialState,
  reducers: {
    metricsReceived(state, action: PayloadAction<QueueMetricsSnapshot>) {
      const { at, queues } = action.payload;
      const was = plain(state);
      state.at = at;
      const ids = Object.keys(queues).sort();
      if (!same(ids, was.queueIds)) state.queueIds = ids;
      for (const id of Object.keys(was.queues)) if (!(id in queues)) delete state.queues[id];
      for (const id of Object.keys(was.channels)) if (!queues[id]?.channels) delete state.channels[id];
      for (const id of ids) {
        const m = queues[id]!;
        const row = rowOf(m);
        if (!same(row, was.queues[id])) state.queues[id] = row;
        if (m.channels && !same(m.channels, was.channels[id])) state.channels[id] = m.channels;
        const trend = trendOf(m);
        if (!same(trend, was.trends[id])) state.trends[id] = trend;
        mergePoints(state, id, Object.values(m.buckets));
        // A new array each push (the sparkline redraws anyway), built outside the draft.
        const samples = was.waiting[id] ?? [];
        state.waiting[id] = [...samples.slice(Math.max(0, samples.length + 1 - WAITING_SAMPLES)), m.waitingNow];
      }
    },
    trendsReceived(state, action: PayloadAction<QueueTrendsResponse>) {
      state.trendsError = null;
      const byQueue = new Map<string, PeriodFigures[]>();
      for (const b of action.payload.buckets) byQueue.set(b.queue, [...(byQueue.get(b.queue) ?? []), b.figures]);
      // Stored buckets fill in what this desktop did not see live; a live bucket is never replaced by an older stored copy.
      for (const [queue, figures] of byQueue) mergePoints(state, queue, figures, false);
    },
    trendsFailed(state, action: PayloadAction<string>) {
      state.trendsError = action.payload;
    },
    thresholdsReceived(state, action: PayloadAction<QueueThresholdsSet>) {
      if (!same(action.payload, state.thresholds)) state.thresholds = action.payload;
    },
    thresholdsEditOpened(state, action: PayloadAction<string>) {
      state.thresholdsEdit = action.payload;
      state.thresholdsResult = null;
    },
    thresholdsEditClosed(state) {
      state.thresholdsEdit = null;
    },
    thresholdsSaveFinished(state, action: PayloadAction<NonNullable<SupervisorState['thresholdsResult']>>) {
      state.thresholdsResult = action.payload;
      if (action.payload.ok) state.thresholdsEdit = null;
    },
    capacitiesReceived(state, action: PayloadAction<QueueCapacitiesSet>) {
      state.capacitiesError = null;
      if (!same(action.payload, state.capacities)) state.capacities = action.payload;
    },
    capacitiesFailed(state, action: PayloadAction<string>) {
      state.capacitiesError = action.payload;
    },
    capacityEditOpened(state, action: PayloadAction<string>) {
      state.capacityEdit = action.payload;
      state.capacityResult = null;
    },
    capacityEditClosed(state) {
      state.capacityEdit = null;
    },
    capacitySaveFinished(state, action: PayloadAction<NonNullable<SupervisorState['capacityResult']>>) {
      state.capacityResult = action.payload;
      if (action.payload.ok) state.capacityEdit = null;
    },
    agentsReceived(state, action: PayloadAction<SupervisedAgent[]>) {
      const was = plain(state).agents;
      // An agent named twice in one push ends as its last word.
      const latest = new Map(action.payload.map((a) => [a.agent, a]));
      for (const [id, a] of latest) if (!same(a, was[id])) state.agents[id] = a;
      for (const a of action.payload) {
        if (a.interactionId && state.lastInteraction[a.agent] !== a.interactionId) state.lastInteraction[a.agent] = a.interactionId;
      }
    },
    forceAsked(state, action: PayloadAction<{ agent: string; state: ForceState }>) {
      state.forceAsk = action.payload;
    },
    forceCancelled(state) {
      state.forceAsk = null;
    },
    forceFinished(state, action: PayloadAction<NonNullable<SupervisorState['forceResult']>>) {
      state.forceResult = action.payload;
    },
  },
  extraReducers: (builder) => {
    builder.addCase(forceConfirmed, (state) => {
      state.forceAsk = null;
    });
  },
});

export const {
  metricsReceived,
  agentsReceived,
  forceAsked,
  forceCancelled,
  forceFinished,
  trendsReceived,
  trendsFailed,
  thresholdsReceived,
  thresholdsEditOpened,
  thresholdsEditClosed,
  thresholdsSaveFinished,
  capacitiesReceived,
  capacitiesFailed,
  capacityEditOpened,
  capacityEditClosed,
  capacitySaveFinished,
} = supervisorSlice.actions;
export const supervisorReducer = supervisorSlice.reducer;

type WithSupervisor = { supervisor: SupervisorState };
export const selectQueueIds = (s: WithSupervisor) => s.supervisor.queueIds;
export const selectQueueRow = (s: WithSupervisor, id: string) => s.supervisor.queues[id];
/** The queues with chat and email figures, in queue order (empty from a center without them). */
export const selectChannelQueueIds = createSelector([selectQueueIds, (s: WithSupervisor) => s.supervisor.channels], (ids, channels) => ids.filter((id) => channels[id] !== undefined), { memoizeOptions: { resultEqualityCheck: same } });
export const selectQueueChannels = (s: WithSupervisor, id: string) => s.supervisor.channels[id];
export const selectQueueTrend = (s: WithSupervisor, id: string) => s.supervisor.trends[id];
export const selectAgentMap = (s: WithSupervisor) => s.supervisor.agents;
export const selectAgent = (s: WithSupervisor, id: string) => s.supervisor.agents[id];

/** How the agents grid is ordered and filtered (its own controls, not the store's). */
export interface AgentListView {
  sort: 'agent' | 'state' | 'since';
  /** An agent state, or '' for all. */
  state: string;
  /** Text to find in the agent, queue or customer name; '' for all. */
  text: string;
}
/**
 * The ids the agents grid shows, in order. Worked out again only when an agent or the view changes,
 * and the same array as before while the order is: a push that moves no row does not re-render the grid.
 */
export const selectAgentOrder = createSelector(
  [selectAgentMap, (_s: WithSupervisor, view: AgentListView) => view.sort, (_s: WithSupervisor, view: AgentListView) => view.state, (_s: WithSupervisor, view: AgentListView) => view.text],
  (agents, sort, stateFilter, text): string[] => {
    const needle = text.trim().toLowerCase();
    const by = (x: SupervisedAgent, y: SupervisedAgent) =>
      sort === 'since' ? collator.compare(x.since, y.since) : sort === 'state' ? collator.compare(x.state, y.state) || collator.compare(x.agent, y.agent) : collator.compare(x.agent, y.agent);
    return Object.values(agents)
      .filter((a) => (!stateFilter || a.state === stateFilter) && (!needle || a.agent.toLowerCase().includes(needle) || (a.queue ?? '').toLowerCase().includes(needle) || (a.customerName ?? '').toLowerCase().includes(needle)))
      .sort(by)
      .map((a) => a.agent);
  },
  { memoizeOptions: { resultEqualityCheck: same } },
);
export const selectLastInteraction = (s: WithSupervisor, id: string) => s.supervisor.lastInteraction[id];
export const selectForceAsk = (s: WithSupervisor) => s.supervisor.forceAsk;
export const selectForceResult = (s: WithSupervisor) => s.supervisor.forceResult;

export interface QueueAlert {
  queue: string;
  figure: 'serviceLevel' | 'longestWait' | 'waitingNow' | 'abandonRate';
  level: Exclude<Level, 'ok'>;
  value: number;
}

export const selectThresholdsSet = (s: WithSupervisor) => s.supervisor.thresholds;
/** The thresholds in force for one queue (a stable object while they do not change). */
export const selectThresholdsOf = (s: WithSupervisor, id: string) => thresholdsFor(s.supervisor.thresholds, id);
export const selectThresholdsEdit = (s: WithSupervisor) => s.supervisor.thresholdsEdit;
export const selectThresholdsResult = (s: WithSupervisor) => s.supervisor.thresholdsResult;
export const selectCapacities = (s: WithSupervisor) => s.supervisor.capacities;
export const selectCapacitiesError = (s: WithSupervisor) => s.supervisor.capacitiesError;
export const selectCapacityEdit = (s: WithSupervisor) => s.supervisor.capacityEdit;
export const selectCapacityResult = (s: WithSupervisor) => s.supervisor.capacityResult;

/** The levels of one queue row's figures under its thresholds. */
export function rowLevels(row: QueueRowView, t: QueueThresholds) {
  return queueLevels({ waitingNow: row.waitingNow, longestWaitSec: row.longestWaitSec, serviceLevel: row.window.serviceLevel, abandonRate: row.window.abandonRate }, t);
}

/** Queues over a threshold, worst first; the view announces them politely. */
export const selectQueueAlerts = createSelector([(s: WithSupervisor) => s.supervisor.queues, selectThresholdsSet], (queues, set): QueueAlert[] => {
  const alerts: QueueAlert[] = [];
  for (const row of Object.values(queues)) {
    const levels = rowLevels(row, thresholdsFor(set, row.queue));
    const add = (figure: QueueAlert['figure'], level: Level, value: number | null) => {
      if (level !== 'ok' && value !== null) alerts.push({ queue: row.queue, figure, level, value });
    };
    add('waitingNow', levels.waitingNow, row.waitingNow);
    add('longestWait', levels.longestWait, row.longestWaitSec);
    add('serviceLevel', levels.serviceLevel, row.window.serviceLevel);
    add('abandonRate', levels.abandonRate, row.window.abandonRate);
  }
  return alerts.sort((a, b) => (a.level === b.level ? collator.compare(a.queue, b.queue) : a.level === 'red' ? -1 : 1));
}, { memoizeOptions: { resultEqualityCheck: same } });

export const selectWaitingSamples = (s: WithSupervisor, id: string) => s.supervisor.waiting[id];
export const selectTrendsError = (s: WithSupervisor) => s.supervisor.trendsError;

/** uPlot-shaped series for today's charts: x in seconds, one series per queue, null where a queue had no calls. */
export interface TrendChartData {
  xs: number[];
  queues: string[];
  serviceLevel: Array<Array<number | null>>;
  asaSec: Array<Array<number | null>>;
}
export const selectTrendChart = createSelector([(s: WithSupervisor) => s.supervisor.trendPoints], (points): TrendChartData => {
  const queues = Object.keys(points).sort();
  const keys = [...new Set(queues.flatMap((q) => Object.keys(points[q]!)))].sort();
  return {
    xs: keys.map((k) => Date.parse(k) / 1000),
    queues,
    serviceLevel: queues.map((q) => keys.map((k) => {
      const v = points[q]![k]?.serviceLevel;
      return v === undefined || v === null ? null : Math.round(v * 1000) / 10;
    })),
    asaSec: queues.map((q) => keys.map((k) => points[q]![k]?.asaSec ?? null)),
  };
});
