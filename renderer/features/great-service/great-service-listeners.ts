// Great service side effects: follow the desktop's `greatService` event, load the list on sign-in,
// and send a supervisor's mark.
import { appStarted, appStopped } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import { sessionLoaded } from '../session/session-slice';
import { greatServiceReceived, markFinished, markSubmitted } from './great-service-slice';

export function registerGreatServiceListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const off = listener.extra.api.on('greatService', (p) => listener.dispatch(greatServiceReceived(p.items)));
      try {
        await listener.condition(appStopped.match);
      } finally {
        off();
      }
    },
  });

  startListening({
    actionCreator: sessionLoaded,
    effect: async (action, listener) => {
      if (!action.payload.signedIn) return;
      const list = await listener.extra.api.invoke('getGreatService');
      if (list.ok) listener.dispatch(greatServiceReceived(list.value.items));
    },
  });

  startListening({
    actionCreator: markSubmitted,
    effect: async (action, listener) => {
      const { interactionId, agent, why } = action.payload;
      const answer = await listener.extra.api.invoke('markGreatService', { interactionId, why });
      listener.dispatch(markFinished({ agent, ok: answer.ok, message: answer.ok ? null : answer.error.message }));
      if (answer.ok) {
        const list = await listener.extra.api.invoke('getGreatService');
        if (list.ok) listener.dispatch(greatServiceReceived(list.value.items));
      }
    },
  });
}
