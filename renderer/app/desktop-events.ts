// Subscribes to the DesktopApi's events for the life of the app and turns each into an action.
import { appStarted, appStopped, desktopEvent } from './actions';
import type { AppStartListening } from './listener';
import { markCallReceived } from '../features/screen-pop/paint-timing';

/** The longest background news waits for a pop's paint: a hidden window paints no frame at all. */
export const POP_FIRST_MAX_MS = 100;

/**
 * Runs background news (sync progress, a note's receipt) after the frame that paints a call's pop.
 * An offer is followed within milliseconds by the sync it causes (the center records the call, the
 * desktop pulls it), and that news re-renders the top bar and reloads the VOC catalogue; handled
 * before the pop's frame, it delays the one thing the agent is waiting to read (issue 22, ring to
 * paint). Held news keeps its order and is never dropped.
 */
export function popFirst(): { held(run: () => void): void; offered(): void } {
  let queue: Array<() => void> | null = null;
  const release = () => {
    const runs = queue;
    queue = null;
    for (const run of runs ?? []) run();
  };
  return {
    held(run) {
      if (queue) queue.push(run);
      else run();
    },
    offered() {
      if (queue) return;
      queue = [];
      // A task queued from a frame callback runs after that frame's paint; the timer covers no frame.
      if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(release, 0));
      setTimeout(release, POP_FIRST_MAX_MS);
    },
  };
}

export function registerDesktopEvents(startListening: AppStartListening): void {
  startListening({
    actionCreator: appStarted,
    effect: async (_action, listener) => {
      const { api } = listener.extra;
      const background = popFirst();
      const unsubscribe = [
        api.on('callOffered', (p) => {
          // Ring-to-paint (tests/bench/ring-to-paint.bench.ts): when the offer reached the screen.
          markCallReceived(p.call.interactionId);
          listener.dispatch(desktopEvent.callOffered(p));
          background.offered();
        }),
        api.on('screenPopUpdated', (p) => listener.dispatch(desktopEvent.screenPopUpdated(p))),
        api.on('syncStatus', (p) => background.held(() => listener.dispatch(desktopEvent.syncStatus(p)))),
        api.on('noteSynced', (p) => background.held(() => listener.dispatch(desktopEvent.noteSynced(p)))),
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
