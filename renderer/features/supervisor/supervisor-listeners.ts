// Supervisor side effects: follow the desktop's queueMetrics / agentStates events, load the current
// figures once a supervisor is signed in, and carry out a confirmed force.
import type { AppStartListening } from '../../app/listener';
import { appStarted, appStopped } from '../../app/actions';
import { sessionLoaded } from '../session/session-slice';
import { agentsReceived, forceConfirmed, forceFinished, metricsReceived } from './supervisor-slice';

export const isSupervisorRole = (role: string | undefined | null) => role === 'supervisor' || role === 'admin';

export function registerSupervisorListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const { api } = listener.extra;
      const unsubscribe = [
        api.on('queueMetrics', (p) => listener.dispatch(metricsReceived(p))),
        api.on('agentStates', (p) => listener.dispatch(agentsReceived(p.agents))),
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
      const [metrics, agents] = await Promise.all([api.invoke('getQueueMetrics'), api.invoke('getSupervisedAgents')]);
      if (metrics.ok) listener.dispatch(metricsReceived(metrics.value));
      if (agents.ok) listener.dispatch(agentsReceived(agents.value));
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
}
