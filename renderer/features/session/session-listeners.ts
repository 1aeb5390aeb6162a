// Side effects of the session: ask who is signed in at start, sign in on request, go back to the
// form when the center ends the session, and once signed in (and again after the desktop connection
// comes back) load what the workspace needs: the sync status and the call in progress.
import { appStarted, appStopped, currentCallLoaded, desktopReconnected, syncStatusLoaded } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import { notesFlushRequested } from '../flush-on-close/flush-listeners';
import { sessionEnded, sessionLoaded, sessionUnavailable, signInFailed, signInRequested } from './session-slice';

const MAX_START_RETRY_MS = 10_000;

export function registerSessionListeners(startListening: AppStartListening): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const { api, timing } = listener.extra;
      let wait = timing.startRetryBaseMs;
      // The desktop service may still be starting (or the web bridge reconnecting): keep asking.
      for (;;) {
        const response = await api.invoke('getSession');
        if (response.ok) {
          listener.dispatch(sessionLoaded(response.value));
          return;
        }
        listener.dispatch(sessionUnavailable(response.error.message));
        await listener.delay(wait);
        wait = Math.min(wait * 2, MAX_START_RETRY_MS);
      }
    },
  });

  // The center ended the session: save what the agent is typing (the notes' debounce may be holding
  // it back), then show the sign-in form saying why. Drafts stay in the store for after sign-in.
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const off = listener.extra.api.on('sessionEnded', () => {
        listener.dispatch(notesFlushRequested({ requestId: null }));
        listener.dispatch(sessionEnded());
      });
      try {
        await listener.condition(appStopped.match);
      } finally {
        off();
      }
    },
  });

  // The desktop may have restarted while the connection was down: it may not be signed in any more.
  startListening({
    actionCreator: desktopReconnected,
    effect: async (_action, listener) => {
      const response = await listener.extra.api.invoke('getSession');
      if (response.ok) listener.dispatch(sessionLoaded(response.value));
    },
  });

  startListening({
    actionCreator: signInRequested,
    effect: async (action, listener) => {
      listener.cancelActiveListeners();
      const response = await listener.extra.api.invoke('signIn', action.payload);
      if (!response.ok) listener.dispatch(signInFailed(response.error.message));
      else if (!response.value.signedIn) listener.dispatch(signInFailed('the center did not accept these details'));
      else listener.dispatch(sessionLoaded(response.value));
    },
  });

  startListening({
    predicate: (action, current, previous) =>
      current.session.status === 'signedIn' && (previous.session.status !== 'signedIn' || desktopReconnected.match(action)),
    effect: async (_action, listener) => {
      const { api } = listener.extra;
      const [sync, call] = await Promise.all([api.invoke('getSyncStatus'), api.invoke('getCurrentCall')]);
      if (sync.ok) listener.dispatch(syncStatusLoaded(sync.value));
      if (call.ok) listener.dispatch(currentCallLoaded(call.value));
    },
  });
}
