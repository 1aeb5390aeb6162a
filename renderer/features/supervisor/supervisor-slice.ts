// The supervisor view's state: one row per queue and per agent, replaced only when its figures
// changed, so memoised rows re-render only for the queues and agents a push actually moved.
import { createAction, createSelector, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { QueueMetricsSnapshot, SupervisedAgent } from '../../../shared/api/index';
import type { PeriodFigures, QueueMetrics } from '../../../shared/protocol/index';
import { longestWaitLevel, serviceLevelLevel, thresholdsFor, type Level } from './thresholds';

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

export type ForceState = 'not_ready' | 'offline';

export interface SupervisorState {
  at: string | null;
  queueIds: string[];
  queues: Record<string, QueueRowView>;
  trends: Record<string, QueueTrend>;
  agents: Record<string, SupervisedAgent>;
  /** The force awaiting the supervisor's confirmation. */
  forceAsk: { agent: string; state: ForceState } | null;
  forceResult: { agent: string; state: ForceState; outcome: 'applied' | 'pending' | 'failed'; message: string | null } | null;
}

const initialState: SupervisorState = { at: null, queueIds: [], queues: {}, trends: {}, agents: {}, forceAsk: null, forceResult: null };

export const forceConfirmed = createAction('supervisor/forceConfirmed');

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

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

const supervisorSlice = createSlice({
  name: 'supervisor',
  initialState,
  reducers: {
    metricsReceived(state, action: PayloadAction<QueueMetricsSnapshot>) {
      const { at, queues } = action.payload;
      state.at = at;
      const ids = Object.keys(queues).sort();
      if (!same(ids, state.queueIds)) state.queueIds = ids;
      for (const id of Object.keys(state.queues)) if (!(id in queues)) delete state.queues[id];
      for (const id of ids) {
        const m = queues[id]!;
        const row = rowOf(m);
        if (!same(row, state.queues[id])) state.queues[id] = row;
        const trend = trendOf(m);
        if (!same(trend, state.trends[id])) state.trends[id] = trend;
      }
    },
    agentsReceived(state, action: PayloadAction<SupervisedAgent[]>) {
      for (const a of action.payload) if (!same(a, state.agents[a.agent])) state.agents[a.agent] = a;
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

export const { metricsReceived, agentsReceived, forceAsked, forceCancelled, forceFinished } = supervisorSlice.actions;
export const supervisorReducer = supervisorSlice.reducer;

type WithSupervisor = { supervisor: SupervisorState };
export const selectQueueIds = (s: WithSupervisor) => s.supervisor.queueIds;
export const selectQueueRow = (s: WithSupervisor, id: string) => s.supervisor.queues[id];
export const selectQueueTrend = (s: WithSupervisor, id: string) => s.supervisor.trends[id];
export const selectAgentMap = (s: WithSupervisor) => s.supervisor.agents;
export const selectAgent = (s: WithSupervisor, id: string) => s.supervisor.agents[id];
export const selectForceAsk = (s: WithSupervisor) => s.supervisor.forceAsk;
export const selectForceResult = (s: WithSupervisor) => s.supervisor.forceResult;

export interface QueueAlert {
  queue: string;
  figure: 'serviceLevel' | 'longestWait';
  level: Exclude<Level, 'ok'>;
  value: number;
}

/** Queues over a threshold, worst first; the view announces them politely. */
export const selectQueueAlerts = createSelector([(s: WithSupervisor) => s.supervisor.queues], (queues): QueueAlert[] => {
  const alerts: QueueAlert[] = [];
  for (const row of Object.values(queues)) {
    const t = thresholdsFor(row.queue);
    const sl = serviceLevelLevel(row.window.serviceLevel, t);
    if (sl !== 'ok' && row.window.serviceLevel !== null) alerts.push({ queue: row.queue, figure: 'serviceLevel', level: sl, value: row.window.serviceLevel });
    const lw = longestWaitLevel(row.longestWaitSec, t);
    if (lw !== 'ok') alerts.push({ queue: row.queue, figure: 'longestWait', level: lw, value: row.longestWaitSec });
  }
  return alerts.sort((a, b) => (a.level === b.level ? a.queue.localeCompare(b.queue) : a.level === 'red' ? -1 : 1));
});
