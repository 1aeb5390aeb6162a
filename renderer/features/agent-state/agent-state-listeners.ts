// Side effects of the agent state: load it once signed in (and after the desktop connection comes
// back), and send the agent's choice to the desktop.
import { desktopReconnected } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import { agentStateAnswered, agentStateFailed, agentStateLoaded, agentStateRequested } from './agent-state-slice';

export function registerAgentStateListeners(startListening: AppStartListening): void {
  startListening({
    predicate: (action, current, previous) =>
      current.session.status === 'signedIn' && (previous.session.status !== 'signedIn' || desktopReconnected.match(action)),
    effect: async (_action, listener) => {
      const response = await listener.extra.api.invoke('getAgentState');
      if (response.ok) listener.dispatch(agentStateLoaded(response.value));
    },
  });

  startListening({
    actionCreator: agentStateRequested,
    effect: async (action, listener) => {
      // The latest choice wins; an earlier one still in flight is not answered to the screen.
      listener.cancelActiveListeners();
      const response = await listener.extra.api.invoke('setAgentState', action.payload);
      if (response.ok) listener.dispatch(agentStateAnswered(response.value));
      else listener.dispatch(agentStateFailed(response.error.message));
    },
  });
}
