// Which center node owns the CTI sources and the call simulator: the one holding a PostgreSQL
// session-level advisory lock. The lock lives exactly as long as one dedicated connection, so a node
// that dies (or loses its database) lets go of it and another node takes over within seconds.
import pg from 'pg';
import type { ClusterLog } from './redis-adapter';

/** The advisory lock key for CTI ownership: "EARSHOT" in ASCII, so it is recognisable in pg_locks. */
export const CTI_OWNER_LOCK_KEY = 0x45415253484f54n;

export interface LeadershipOptions {
  databaseUrl: string;
  key: bigint;
  /** How often a follower tries for the lock and a leader checks its connection. Default 1000. */
  retryMs?: number;
  /** Start the CTI sources / simulator here. If it throws, this node lets go of the lock again. */
  onAcquire(): void | Promise<void>;
  /** Stop the CTI sources at once: another node may already be taking over. */
  onLose(reason: string): void | Promise<void>;
  log: ClusterLog;
  /** Shown in pg_stat_activity, so an operator can see which connection holds the lock. */
  applicationName?: string;
}

export interface Leadership {
  /** Begins trying for the lock (and keeps trying until stop()). */
  start(): void;
  /** Gives the lock up (after onLose has run, so two owners never overlap) and stops trying. */
  stop(): Promise<void>;
  isLeader(): boolean;
}

/** Rounds of retryMs a node that lost the lock sits out before trying for it again. */
const LOST_BACKOFF_ROUNDS = 3;

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 200);

export function createLeadership(opts: LeadershipOptions): Leadership {
  const retryMs = opts.retryMs ?? 1_000;
  const { log } = opts;
  let client: pg.Client | null = null;
  let leader = false;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let tick: Promise<void> = Promise.resolve();
  let failures = 0;
  // A node that just lost the lock waits a few rounds before trying again, so a healthy node gets
  // it first rather than the one whose connection just broke.
  let notBefore = 0;

  /** Leaves leadership: onLose first (CTI stops), then the connection goes, which frees the lock. */
  const lose = async (reason: string): Promise<void> => {
    if (!leader) return;
    leader = false;
    notBefore = Date.now() + retryMs * LOST_BACKOFF_ROUNDS;
    log.warn({ reason }, 'this node no longer owns CTI; stopping CTI sources');
    try {
      await opts.onLose(reason);
    } catch (err) {
      log.error({ error: errText(err) }, 'stopping CTI sources failed');
    }
  };

  const dropClient = (c: pg.Client): void => {
    if (client === c) client = null;
    c.end().catch(() => undefined);
  };

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({
      connectionString: opts.databaseUrl,
      application_name: opts.applicationName ?? 'earshot-center cti-owner',
      keepAlive: true,
      connectionTimeoutMillis: Math.max(2_000, retryMs * 4),
      query_timeout: Math.max(2_000, retryMs * 4),
    });
    // A dead connection means a lost lock: leave at once rather than at the next check.
    const gone = (why: string) => {
      if (client !== c) return;
      client = null;
      void lose(why);
    };
    c.on('error', (err) => gone(`database connection failed: ${errText(err)}`));
    c.on('end', () => gone('database connection ended'));
    await c.connect();
    return c;
  };

  const attempt = async (): Promise<void> => {
    let c = client;
    try {
      if (!c) {
        c = await connect();
        if (!running) return dropClient(c);
        client = c;
      }
      if (leader) {
        await c.query('SELECT 1');
      } else if (Date.now() >= notBefore) {
        const [row] = (await c.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS got', [String(opts.key)])).rows;
        if (row?.got && running && client === c) {
          leader = true;
          log.info({ key: String(opts.key) }, 'this node owns CTI now; starting CTI sources');
          try {
            await opts.onAcquire();
          } catch (err) {
            log.error({ error: errText(err) }, 'starting CTI sources failed; letting another node take over');
            await lose('starting CTI sources failed');
            dropClient(c);
          }
        }
      }
      failures = 0;
    } catch (err) {
      failures += 1;
      if (failures === 1 || failures % 20 === 0) {
        log.warn({ failures, error: errText(err) }, 'CTI ownership check failed; retrying. Check that PostgreSQL is reachable.');
      }
      if (c) dropClient(c);
      await lose(`database check failed: ${errText(err)}`);
    }
  };

  const schedule = (delay: number): void => {
    if (!running) return;
    timer = setTimeout(() => {
      timer = null;
      tick = attempt().finally(() => schedule(retryMs));
    }, delay);
  };

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      if (!running && !client) return;
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await tick;
      await lose('this node is stopping');
      const c = client;
      client = null;
      if (c) {
        await c.query('SELECT pg_advisory_unlock_all()').catch(() => undefined);
        await c.end().catch(() => undefined);
      }
    },
    isLeader: () => leader,
  };
}

/**
 * On PGlite there is one process and so one node: it owns CTI from start() to stop(). Same shape as
 * createLeadership, so the center wires CTI the same way on both databases.
 */
export function createSingleNodeLeadership(opts: Pick<LeadershipOptions, 'onAcquire' | 'onLose' | 'log'>): Leadership {
  let leader = false;
  return {
    start() {
      if (leader) return;
      leader = true;
      Promise.resolve()
        .then(() => opts.onAcquire())
        .catch((err: unknown) => opts.log.error({ error: errText(err) }, 'starting CTI sources failed on this single node'));
    },
    async stop() {
      if (!leader) return;
      leader = false;
      await opts.onLose('this node is stopping');
    },
    isLeader: () => leader,
  };
}
