// Time in a state, counting up from the center's timestamp (never a countdown: DOMAIN.md).
import { useLayoutEffect, useRef, useSyncExternalStore, type RefObject } from 'react';

/** 0:07, 12:45, 1:02:03. A clock skewed ahead of the center shows 0:00, not a negative time. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = String(s % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}

/**
 * One clock for every time-in-state on screen: a single interval, and every counter re-renders in the
 * same batch (a supervisor's grid has hundreds; one timer each cost a render task each, every second).
 */
const clock = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: null as ReturnType<typeof setInterval> | null,
};
function subscribe(listener: () => void): () => void {
  clock.listeners.add(listener);
  if (clock.timer === null) {
    clock.now = Date.now();
    clock.timer = setInterval(() => {
      clock.now = Date.now();
      for (const l of clock.listeners) l();
    }, 1000);
  }
  return () => {
    clock.listeners.delete(listener);
    if (clock.listeners.size === 0 && clock.timer !== null) {
      clearInterval(clock.timer);
      clock.timer = null;
    }
  };
}
const readClock = () => clock.now;

/** Seconds since `since` (ISO time), re-rendering once a second; null without a start. */
export function useElapsedSeconds(since: string | null): number | null {
  const now = useSyncExternalStore(subscribe, readClock);
  if (!since) return null;
  // The shared clock may be up to a second behind a state that began just now: that reads as 0:00.
  return Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
}

/** Whole seconds until `until` (ISO time), never below 0, on the same clock; null without an end (an offer's time to accept). */
export function useSecondsLeft(until: string | null): number | null {
  const now = useSyncExternalStore(subscribe, readClock);
  if (!until) return null;
  return Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
}

/**
 * Time in a state written by the shared clock straight into an element's text, without rendering
 * the component again: for long lists (the floor's agents grid has hundreds of counters), where a
 * React render of every counter every second was a task of its own that a push could land on. The
 * element must have no children of its own in JSX; a new `since` writes the new time at once.
 */
export function useElapsedText<E extends HTMLElement>(since: string | null): RefObject<E | null> {
  const ref = useRef<E>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const start = since ? Date.parse(since) : NaN;
    const write = () => {
      const text = Number.isNaN(start) ? '' : formatElapsed(Math.max(0, Math.floor((clock.now - start) / 1000)));
      if (el.textContent !== text) el.textContent = text;
    };
    // Subscribed first, so the clock is running (and current) before the first write.
    const unsubscribe = subscribe(write);
    write();
    return unsubscribe;
  }, [since]);
  return ref;
}

