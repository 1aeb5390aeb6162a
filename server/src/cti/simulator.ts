// The demo's telephony: at random intervals it offers a call to the longest-idle available agent,
// mostly from known customers' numbers and sometimes from a caller nobody knows.
import pino from 'pino';

export interface OfferedCall {
  ani: string;
  dnis: string;
  queue: string;
  agentUserId: string;
  agentUsername: string;
}

export interface SimulatorHooks {
  /** Longest idle first. */
  availableAgents(): Promise<Array<{ userId: string; username: string }>>;
  offer(call: OfferedCall): Promise<void>;
}

/** Only counts and error class names are logged: callers' numbers never reach the log. */
export interface SimulatorLogger {
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface OfferSimulatorStats {
  offered: number;
  /** Ticks where nobody was available, so no call was offered. */
  noAgent: number;
  failed: number;
}

export interface OfferSimulatorOptions {
  hooks: SimulatorHooks;
  knownNumbers: string[];
  queues: string[];
  dnis: string;
  /** [min, max] milliseconds between two offers, drawn uniformly. */
  offerIntervalMs: [number, number];
  /** Share of calls (0–1) from a number that is in no customer's profile. */
  unknownCallerShare: number;
  random?: () => number;
  logger?: SimulatorLogger;
}

/** Log the first failure and then every this many, so a broken hook cannot flood the log. */
const LOG_EVERY_FAILURES = 100;

export function createOfferSimulator(opts: OfferSimulatorOptions): {
  start(): void;
  stop(): void;
  stats(): OfferSimulatorStats;
} {
  const [minMs, maxMs] = opts.offerIntervalMs;
  if (!(minMs >= 0 && maxMs >= minMs)) {
    throw new Error(`Offer simulator interval [${minMs}, ${maxMs}] ms is not a range; give [min, max] with 0 <= min <= max.`);
  }
  if (opts.queues.length === 0) throw new Error('Offer simulator needs at least one queue to offer calls from.');
  const random = opts.random ?? Math.random;
  const logger = opts.logger ?? pino({ name: 'offer-simulator' });
  const known = new Set(opts.knownNumbers);
  const stats: OfferSimulatorStats = { offered: 0, noAgent: 0, failed: 0 };
  let timer: ReturnType<typeof setTimeout> | null = null;
  // Each start() opens a new run; a tick still awaiting its hooks from an older run must not reschedule.
  let run = 0;

  const pick = <T>(items: readonly T[]): T => items[Math.min(items.length - 1, Math.floor(random() * items.length))] as T;

  const callerNumber = (): string => {
    if (opts.knownNumbers.length > 0 && random() >= opts.unknownCallerShare) return pick(opts.knownNumbers);
    for (let attempt = 0; attempt < 100; attempt++) {
      const subscriber = String(Math.floor(random() * 100_000_000)).padStart(8, '0');
      const made = `+8210${subscriber}`;
      if (!known.has(made)) return made;
    }
    throw new Error('Offer simulator could not make up an unknown caller number.');
  };

  const tick = async (myRun: number): Promise<void> => {
    timer = null;
    try {
      const [agent] = await opts.hooks.availableAgents();
      if (myRun !== run) return;
      if (!agent) {
        stats.noAgent += 1;
      } else {
        await opts.hooks.offer({
          ani: callerNumber(),
          dnis: opts.dnis,
          queue: pick(opts.queues),
          agentUserId: agent.userId,
          agentUsername: agent.username,
        });
        stats.offered += 1;
      }
    } catch (err) {
      stats.failed += 1;
      if (stats.failed === 1 || stats.failed % LOG_EVERY_FAILURES === 0) {
        logger.warn(
          { failed: stats.failed, offered: stats.offered, error: err instanceof Error ? err.name : typeof err },
          'Offer simulator could not offer a call; it keeps trying. Check the center log for the cause.',
        );
      }
    } finally {
      schedule(myRun);
    }
  };

  const schedule = (myRun: number): void => {
    if (myRun !== run || timer !== null) return;
    const delay = minMs + random() * (maxMs - minMs);
    timer = setTimeout(() => void tick(myRun), delay);
  };

  let running = false;
  return {
    start() {
      if (running) return;
      running = true;
      run += 1;
      schedule(run);
    },
    stop() {
      if (!running) return;
      running = false;
      run += 1;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
    stats: () => ({ ...stats }),
  };
}
