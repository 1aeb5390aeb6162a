// Side effects of the session: ask who is signed in at start, sign in and out on request, go back to
// the form when the session ends (the center, the agent or the idle timeout ended it), tell the desktop
// the agent is still here (input in the window, at most once a minute: the idle timeout starts again),
// and once signed in (and again after the desktop connection comes back) load what the workspace
// needs: the sync status and the call in progress.
import { appStarted, appStopped, currentCallLoaded, desktopReconnected, syncStatusLoaded } from '../../app/actions';
import type { AppStartListening } from '../../app/listener';
import type { RootState } from '../../app/root-reducer';
import { notesFlushRequested } from '../flush-on-close/flush-listeners';
import { sessionEnded, sessionLoaded, sessionUnavailable, signInFailed, signInRequested, signOutAnswered, signOutFailed, signOutRequested } from './session-slice';

const MAX_START_RETRY_MS = 10_000;
/** Activity is reported at most this often; the idle timeout is counted in hours. */
export const ACTIVITY_REPORT_MS = 60_000;
/** How long signing out waits for the note being typed to be saved first. */
const FLUSH_BEFORE_SIGN_OUT_MS = 3_000;
const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel'] as const;

/** Notes whose latest text the desktop does not have yet. */
const heldBack = (state: RootState) => Object.values(state.notes.drafts).some((d) => d.customerId !== null && d.savedText !== d.text);

export function registerSessionListeners(
  startListening: AppStartListening,
  target: Pick<Window, 'addEventListener' | 'removeEventListener'> | null = typeof window === 'undefined' ? null : window,
): void {
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
  // The desktop's own sign-in, finished after the screen asked, shows the signed-in view.
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const offs = [
        listener.extra.api.on('sessionEnded', ({ reason }) => {
          listener.dispatch(notesFlushRequested({ requestId: null }));
          listener.dispatch(sessionEnded(reason));
        }),
        // The desktop signed itself in after this screen asked (a page opened during its automatic sign-in).
        listener.extra.api.on('sessionStarted', (info) => {
          if (listener.getState().session.status !== 'signedIn') listener.dispatch(sessionLoaded(info));
        }),
      ];
      try {
        await listener.condition(appStopped.match);
      } finally {
        for (const off of offs) off();
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

  // The agent is using the window: the desktop's idle timeout starts again.
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      let reportedAt = -Infinity;
      const onInput = () => {
        if (listener.getState().session.status !== 'signedIn' || Date.now() - reportedAt < ACTIVITY_REPORT_MS) return;
        reportedAt = Date.now();
        void listener.extra.api.invoke('reportActivity');
      };
      for (const e of ACTIVITY_EVENTS) target?.addEventListener(e, onInput, { passive: true, capture: true } as AddEventListenerOptions);
      try {
        await listener.condition(appStopped.match);
      } finally {
        for (const e of ACTIVITY_EVENTS) target?.removeEventListener(e, onInput, { capture: true } as EventListenerOptions);
      }
    },
  });

  // Signing out: what the agent is typing is saved first (bounded), then the desktop is asked.
  startListening({
    actionCreator: signOutRequested,
    effect: async (action, listener) => {
      listener.cancelActiveListeners();
      if (heldBack(listener.getState())) {
        listener.dispatch(notesFlushRequested({ requestId: null }));
        await listener.condition((_a, state) => !heldBack(state), FLUSH_BEFORE_SIGN_OUT_MS);
      }
      const response = await listener.extra.api.invoke('signOut', action.payload);
      if (!response.ok) listener.dispatch(signOutFailed(response.error.message));
      else if (response.value.outcome === 'signedOut') listener.dispatch(sessionEnded('signedOut'));
      else listener.dispatch(signOutAnswered(response.value));
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
