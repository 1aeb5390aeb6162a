// The ACD simulator's time: a virtual clock its owner moves forward, and the timers due on it, run
// in time order (ties in the order they were set), so a run is reproducible.

export interface VirtualClock {
  now(): number;
  set(ms: number): void;
}

export function createVirtualClock(startMs: number): VirtualClock {
  let now = startMs;
  return {
    now: () => now,
    set(ms) {
      if (ms < now) throw new Error(`The virtual clock cannot go back from ${new Date(now).toISOString()} to ${new Date(ms).toISOString()}.`);
      now = ms;
    },
  };
}

export interface Timer {
  at: number;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

const before = (x: Timer, y: Timer) => x.at < y.at || (x.at === y.at && x.seq < y.seq);

/** A binary min-heap of timers by (at, seq): events due at the same instant run in the order they were set. */
class TimerHeap {
  private readonly items: Timer[] = [];
  peek(): Timer | undefined {
    return this.items[0];
  }
  push(t: Timer): void {
    const a = this.items;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i] as Timer, a[parent] as Timer)) break;
      [a[i], a[parent]] = [a[parent] as Timer, a[i] as Timer];
      i = parent;
    }
  }
  pop(): Timer | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l] as Timer, a[m] as Timer)) m = l;
        if (r < a.length && before(a[r] as Timer, a[m] as Timer)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as Timer, a[i] as Timer];
        i = m;
      }
    }
    return top;
  }
}

/** Timers on a virtual clock; a group of them (a call's) can be cancelled together. */
export class Timers {
  private readonly heap = new TimerHeap();
  private seq = 0;

  constructor(readonly clock: VirtualClock) {}

  /** Runs `run` `ms` from now (whole milliseconds, as in the events' ISO timestamps, so durations agree to the ms). */
  after(ms: number, run: () => void): Timer {
    const timer: Timer = { at: this.clock.now() + Math.max(0, Math.round(ms)), seq: this.seq++, run, cancelled: false };
    this.heap.push(timer);
    return timer;
  }

  /** A timer that belongs to `group` and dies with it (see cancel). */
  afterIn(group: Set<Timer>, ms: number, run: () => void): void {
    const timer = this.after(ms, () => {
      group.delete(timer);
      run();
    });
    group.add(timer);
  }

  cancel(group: Set<Timer>): void {
    for (const t of group) t.cancelled = true;
    group.clear();
  }

  /** When the next timer is due (Infinity when none). */
  nextAt(): number {
    return this.heap.peek()?.at ?? Infinity;
  }

  /** Runs the next timer (the clock already moved to it), unless it was cancelled. */
  runNext(): void {
    const timer = this.heap.pop();
    if (timer && !timer.cancelled) timer.run();
  }
}
