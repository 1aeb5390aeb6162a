// Supervisor side effects: follow the desktop's queueMetrics / agentStates events, load the current
// figures (thresholds and chat/email capacity too) once a supervisor is signed in, carry out a confirmed
// force, and save thresholds and capacity.
import type { AppStartListening } from '../../app/listener';
import { appStarted, appStopped } from '../../app/actions';
import { sessionLoaded } from '../session/session-slice';
import {
  agentsReceived,
  capacitiesFailed,
  capacitiesReceived,
  capacitySaveFinished,
  capacitySaveRequested,
  forceConfirmed,
  forceFinished,
  metricsReceived,
  thresholdsReceived,
  thresholdsSaveFinished,
  thresholdsSaveRequested,
  trendsFailed,
  trendsReceived,
} from './supervisor-slice';

/** How long the trend request waits for the first live figures (they say where the tenant's day starts). */
export const TRENDS_WAIT_FOR_METRICS_MS = 5_000;

export const isSupervisorRole = (role: string | undefined | null) => role === 'supervisor' || role === 'admin';

export function registerSupervisorListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const { api } = listener.extra;
      const unsubscribe = [
        api.on('queueMetrics', (p) => listener.dispatch(metricsReceived(p))),
        api.on('agentStates', (p) => listener.dispatch(agentsReceived(p.agents))),
        api.on('queueThresholds', (p) => listener.dispatch(thresholdsReceived(p))),
        api.on('queueCapacities', (p) => listener.dispatch(capacitiesReceived(p))),
      ];
      try {
        await listener.condition(appStopped.match);
      } finally {
        for (const off of unsubscribe) off();
      }
    },
  });

  startListening({
    actionCreator: sessionLoaded,
    effect: async (action, listener) => {
      if (!action.payload.signedIn || !isSupervisorRole(action.payload.user?.role)) return;
      const { api } = listener.extra;
      const [metrics, agents, thresholds, capacities] = await Promise.all([
        api.invoke('getQueueMetrics'),
        api.invoke('getSupervisedAgents'),
        api.invoke('getQueueThresholds'),
        api.invoke('getQueueCapacities'),
      ]);
      if (thresholds.ok) listener.dispatch(thresholdsReceived(thresholds.value));
      // Offline at sign-in: the desktop reads them itself once connected (and pushes them), so no word yet.
      if (capacities.ok) listener.dispatch(capacitiesReceived(capacities.value));
      else if (capacities.error.code !== 'offline') listener.dispatch(capacitiesFailed(capacities.error.message));
      if (metrics.ok) listener.dispatch(metricsReceived(metrics.value));
      if (agents.ok) listener.dispatch(agentsReceived(agents.value));
      // Today's stored buckets, once the live figures have said when today began for the tenant.
      if (listener.getState().supervisor.at === null) await listener.condition((_a, s) => s.supervisor.at !== null, TRENDS_WAIT_FOR_METRICS_MS);
      const trends = await api.invoke('getQueueTrends', {});
      listener.dispatch(trends.ok ? trendsReceived(trends.value) : trendsFailed(trends.error.message));
    },
  });

  startListening({
    actionCreator: forceConfirmed,
    effect: async (_action, listener) => {
      const ask = listener.getOriginalState().supervisor.forceAsk;
      if (!ask) return;
      const answer = await listener.extra.api.invoke('forceAgentState', { agent: ask.agent, state: ask.state });
      listener.dispatch(
        forceFinished(
          answer.ok
            ? { ...ask, outcome: answer.value.pending ? 'pending' : 'applied', message: null }
            : { ...ask, outcome: 'failed', message: answer.error.message },
        ),
      );
    },
  });

  startListening({
    actionCreator: thresholdsSaveRequested,
    effect: async (action, listener) => {
      const { queue, thresholds } = action.payload;
      const answer = await listener.extra.api.invoke('setQueueThresholds', { queue, thresholds });
      if (answer.ok) listener.dispatch(thresholdsReceived(answer.value));
      listener.dispatch(thresholdsSaveFinished({ queue, ok: answer.ok, message: answer.ok ? null : answer.error.message }));
    },
  });

  registerCapacityListener(startListening);
}

/** Sends the channels whose capacity or interruptible changed, one request each; stops at the first refusal. */
function registerCapacityListener(startListening: AppStartListening): void {
  startListening({
    actionCreator: capacitySaveRequested,
    effect: async (action, listener) => {
      const { queue, capacities } = action.payload;
      const before = listener.getState().supervisor.capacities?.queues[queue];
      for (const channel of ['chat', 'email'] as const) {
        const want = capacities[channel];
        const had = before?.[channel];
        if (had && had.capacity === want.capacity && had.interruptible === want.interruptible) continue;
        const answer = await listener.extra.api.invoke('setQueueCapacity', { queue, channel, capacity: want.capacity, interruptible: want.interruptible });
        if (!answer.ok) {
          listener.dispatch(capacitySaveFinished({ queue, ok: false, message: answer.error.message }));
          return;
        }
        listener.dispatch(capacitiesReceived(answer.value));
      }
      listener.dispatch(capacitySaveFinished({ queue, ok: true, message: null }));
    },
  });
}
