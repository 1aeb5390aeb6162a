// Subscribes to the DesktopApi's events for the life of the app and turns each into an action.
import { appStarted, appStopped, desktopEvent } from './actions';
import type { AppStartListening } from './listener';
import { markCallReceived } from '../features/screen-pop/paint-timing';

export function registerDesktopEvents(startListening: AppStartListening): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const { api } = listener.extra;
      const unsubscribe = [
        api.on('callOffered', (p) => {
          // Ring-to-paint (tests/bench/ring-to-paint.bench.ts): when the offer reached the screen.
          markCallReceived(p.call.interactionId);
          listener.dispatch(desktopEvent.callOffered(p));
        }),
        api.on('screenPopUpdated', (p) => listener.dispatch(desktopEvent.screenPopUpdated(p))),
        api.on('syncStatus', (p) => listener.dispatch(desktopEvent.syncStatus(p))),
        api.on('noteSynced', (p) => listener.dispatch(desktopEvent.noteSynced(p))),
        api.on('agentState', (p) => listener.dispatch(desktopEvent.agentState(p))),
      ];
      try {
        await listener.condition(appStopped.match);
      } finally {
        for (const off of unsubscribe) off();
      }
    },
  });
}
