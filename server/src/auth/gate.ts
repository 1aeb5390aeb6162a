// A bound on work that costs much CPU and memory at once (password hashing): at most `running` at a
// time and `waiting` more queued; past that a caller is turned away at once rather than queued without
// end, so a flood of sign-ins cannot exhaust the center's memory or starve everything else.
export interface Gate {
  /** A promise of a slot (resolved with its release) when there is room to run or wait; null when full. */
  tryEnter(): Promise<() => void> | null;
}

export function createGate(opts: { running: number; waiting: number }): Gate {
  let running = 0;
  const queue: Array<() => void> = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
  const slot = () => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      release();
    };
  };
  return {
    tryEnter() {
      if (running < opts.running) {
        running++;
        return Promise.resolve(slot());
      }
      if (queue.length >= opts.waiting) return null;
      return new Promise((resolve) => queue.push(() => resolve(slot())));
    },
  };
}
