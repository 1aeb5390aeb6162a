// Autovacuum's work for the embedded center. PGlite runs no background workers, so nothing else
// gathers the planner's statistics or clears dead rows: a center that grows through its calls keeps
// the plans it made when its tables were small (measured on PGlite at 20k customers / 200k
// interactions grown after start: screen pop p50 46 ms, 3.5 ms after ANALYZE), and rows updated on
// every push (sync_clients, working_set) leave dead versions behind for good. On PostgreSQL the
// server's own autovacuum does this.
import type { Db } from './db';

/** How often the tables are checked: autovacuum's default naptime. */
export const MAINTENANCE_INTERVAL_MS = 60_000;

export interface MaintenanceRun {
  table: string;
  action: 'vacuum analyze' | 'analyze';
  ms: number;
}

export interface MaintenanceHooks {
  /** After each table is done. */
  onRun?(run: MaintenanceRun): void;
  /** A table whose maintenance failed; the next check tries it again. */
  onError?(table: string, err: unknown): void;
}

export interface PgliteMaintenance {
  /** Checks every table now and maintains the ones that are due, one after another. */
  tick(): Promise<MaintenanceRun[]>;
  /** Stops the timer and waits for a check in progress. */
  stop(): Promise<void>;
}

/**
 * The tables due, with autovacuum's default thresholds (PostgreSQL's documentation, "The Autovacuum
 * Daemon"): vacuum past 50 + 20% dead rows or 1000 + 20% rows inserted since the last vacuum; analyze
 * past 50 + 10% rows changed since the last analyze. PGlite keeps those counters in memory only, so
 * two more tests need no counter: a table never analysed that has pages, and a table that has grown
 * by a fifth (and 8 pages) since its size was last recorded (by VACUUM or ANALYZE), as after a restart.
 */
const DUE_SQL = `
  SELECT t.name, t.vacuum FROM (
    SELECT c.oid::regclass::text AS name,
           (s.n_dead_tup > 50 + 0.2 * GREATEST(c.reltuples, 0)
             OR s.n_ins_since_vacuum > 1000 + 0.2 * GREATEST(c.reltuples, 0)) AS vacuum,
           (s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0)
             OR (c.reltuples < 0 AND pg_relation_size(c.oid) > 0)
             OR pg_relation_size(c.oid) / current_setting('block_size')::int > 1.2 * c.relpages + 8) AS analyze
      FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid
     WHERE c.relkind = 'r' AND s.schemaname = current_schema()) t
   WHERE t.vacuum OR t.analyze
   ORDER BY t.name`;

export interface MaintenanceOptions {
  intervalMs?: number;
  /** Also check once right away (default true). */
  checkNow?: boolean;
}

/** Checks `db`'s tables now and every `intervalMs`; only PGlite needs it (see the top of this file). */
export function startPgliteMaintenance(db: Db, hooks: MaintenanceHooks = {}, opts: MaintenanceOptions = {}): PgliteMaintenance {
  if (db.driver !== 'pglite') throw new Error('PostgreSQL maintains its own tables (autovacuum); this is for PGlite');
  let running: Promise<MaintenanceRun[]> | null = null;
  let stopped = false;

  async function check(): Promise<MaintenanceRun[]> {
    const runs: MaintenanceRun[] = [];
    for (const t of await db.query<{ name: string; vacuum: boolean }>(DUE_SQL)) {
      if (stopped) break;
      const action = t.vacuum ? 'vacuum analyze' : 'analyze';
      const t0 = performance.now();
      try {
        await db.exec(`${action === 'analyze' ? 'ANALYZE' : 'VACUUM (ANALYZE)'} ${t.name}`);
      } catch (err) {
        hooks.onError?.(t.name, err);
        continue;
      }
      const run = { table: t.name, action, ms: performance.now() - t0 } as const;
      runs.push(run);
      hooks.onRun?.(run);
    }
    return runs;
  }

  const tick = (): Promise<MaintenanceRun[]> => {
    if (stopped) return Promise.resolve([]);
    // One check at a time: a timer firing during a long VACUUM joins the check in progress.
    running ??= check().finally(() => (running = null));
    return running;
  };
  const inBackground = () => void tick().catch((err: unknown) => hooks.onError?.('(check)', err));
  const timer = setInterval(inBackground, opts.intervalMs ?? MAINTENANCE_INTERVAL_MS);
  timer.unref();
  if (opts.checkNow ?? true) inBackground();

  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
