// Holds a window close or an app quit until the renderer has saved the note it is holding back
// (flush on close), then lets it go on. Pure (no electron import): main.ts feeds it the events.
export interface Preventable {
  preventDefault(): void;
}

export interface CloseGuard {
  /**
   * Call first in the window's `close` and the app's `before-quit`. Returns true when the close may
   * go on now; otherwise the event was prevented and `proceed` is called once the flush is over
   * (confirmed or timed out: `flush` must be bounded). A second close while flushing just waits.
   */
  intercept(event: Preventable, proceed: () => void): boolean;
}

export function createCloseGuard(flush: () => Promise<unknown>): CloseGuard {
  let state: 'open' | 'flushing' | 'flushed' = 'open';
  const waiting: Array<() => void> = [];
  return {
    intercept(event, proceed) {
      if (state === 'flushed') return true;
      event.preventDefault();
      waiting.push(proceed);
      if (state === 'flushing') return false;
      state = 'flushing';
      void flush()
        .catch(() => undefined) // a failed flush must not keep Earshot from closing
        .finally(() => {
          state = 'flushed';
          // The first close asked for goes on; the others follow from it (window close → quit).
          waiting.splice(0)[0]?.();
        });
      return false;
    },
  };
}
