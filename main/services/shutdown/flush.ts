// Flush on close: before the desktop quits (or its window closes), the renderer is asked to save
// the note it is still holding back (the debounce), and the desktop waits for its answer — but
// never longer than a bound, so a hung or crashed renderer cannot keep Earshot from quitting.
// (Notes already saved are in SQLite; only the last ≤ 300 ms of typing can be in the renderer.)
import { randomUUID } from 'node:crypto';
import type { EventHub } from '../events';

export type FlushOutcome = { outcome: 'flushed'; saved: number } | { outcome: 'timeout' };

/** How long quitting waits for the renderer's flush by default. */
export const FLUSH_TIMEOUT_MS = 3_000;

export interface FlushCoordinator {
  /** Asks the renderer to save what it holds; resolves when it confirms, or after `timeoutMs` (call it only while a window is open). */
  request(timeoutMs?: number): Promise<FlushOutcome>;
  /** The renderer's confirmation (the DesktopApi method `flushCompleted`); false for an unknown or stale request. */
  confirm(requestId: string, saved: number): boolean;
}

export function createFlushCoordinator(opts: { emit: EventHub['emit']; newId?: () => string }): FlushCoordinator {
  const waiting = new Map<string, (outcome: FlushOutcome) => void>();
  return {
    request(timeoutMs = FLUSH_TIMEOUT_MS) {
      const requestId = (opts.newId ?? randomUUID)();
      return new Promise<FlushOutcome>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(requestId);
          resolve({ outcome: 'timeout' });
        }, timeoutMs);
        waiting.set(requestId, (outcome) => {
          clearTimeout(timer);
          waiting.delete(requestId);
          resolve(outcome);
        });
        opts.emit('flushRequested', { requestId });
      });
    },
    confirm(requestId, saved) {
      const done = waiting.get(requestId);
      if (!done) return false;
      done({ outcome: 'flushed', saved });
      return true;
    },
  };
}
