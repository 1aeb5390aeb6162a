// The nightly customer value recompute: each tenant's once a night, after NIGHTLY_VALUE_HOUR in the
// tenant's own time zone, so scores move with time (recency, who is still "new") even on a night with
// no import. Every center node checks; the date a tenant's run is claimed for (tenants.values_recomputed_on)
// makes exactly one node run it, and a run that fails gives its claim back for the next check.
import type { Logger } from 'pino';
import { errSummary } from '../base/log';
import type { Db } from '../db/db';
import { localDate, startOfLocalDay } from '../floor/model/local-day';
import { recomputeCustomerValues } from './customer-values';

/** Local hour from which a tenant's night run is due (quiet hours in a contact center). */
export const NIGHTLY_VALUE_HOUR = 2;
/** How often the center checks which tenants are due: a run starts at most this long after the hour. */
export const NIGHTLY_CHECK_MS = 10 * 60 * 1000;

export interface NightlyRun {
  tenantId: string;
  /** The tenant-local date (YYYY-MM-DD) the run is for. */
  date: string;
  changed: number;
}

/**
 * Runs the recompute of every tenant whose local time at `now` is past NIGHTLY_VALUE_HOUR on a date
 * it has not run for yet. A tenant whose time zone cannot be read, or whose run fails, is reported in
 * `failed` and does not stop the others.
 */
export async function recomputeDueValues(db: Db, now: Date): Promise<{ ran: NightlyRun[]; failed: Array<{ tenantId: string; error: unknown }> }> {
  const ran: NightlyRun[] = [];
  const failed: Array<{ tenantId: string; error: unknown }> = [];
  const tenants = await db.query<{ id: string; time_zone: string; last: string | null }>(
    'SELECT id, time_zone, values_recomputed_on::text AS last FROM tenants ORDER BY id',
  );
  for (const t of tenants) {
    try {
      const ms = now.getTime();
      if (ms - startOfLocalDay(ms, t.time_zone) < NIGHTLY_VALUE_HOUR * 3_600_000) continue;
      const d = localDate(ms, t.time_zone);
      const date = `${Math.floor(d / 10_000)}-${String(Math.floor(d / 100) % 100).padStart(2, '0')}-${String(d % 100).padStart(2, '0')}`;
      if (t.last !== null && t.last >= date) continue;
      const claimed = await db.query(
        `UPDATE tenants SET values_recomputed_on = $2::date
          WHERE id = $1 AND (values_recomputed_on IS NULL OR values_recomputed_on < $2::date) RETURNING id`,
        [t.id, date],
      );
      if (claimed.length === 0) continue; // another node has it
      try {
        const r = await recomputeCustomerValues(db, t.id, now);
        ran.push({ tenantId: t.id, date, changed: r.changed });
      } catch (err) {
        await db.query('UPDATE tenants SET values_recomputed_on = $3::date WHERE id = $1 AND values_recomputed_on = $2::date', [t.id, date, t.last]);
        throw err;
      }
    } catch (error) {
      failed.push({ tenantId: t.id, error });
    }
  }
  return { ran, failed };
}

/**
 * Checks every NIGHTLY_CHECK_MS, the first one a period after start (a center starting is busy
 * enough, and a run missed while it was down is then made up); `clock` is injected by tests. Returns stop.
 */
export function startNightlyValues(deps: { db: Db; log: Logger; clock?: () => Date; everyMs?: number }): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const round = () => {
    if (stopped) return;
    running = running.then(async () => {
      try {
        const r = await recomputeDueValues(deps.db, deps.clock?.() ?? new Date());
        for (const run of r.ran) deps.log.info({ tenant: run.tenantId, date: run.date, changed: run.changed }, 'customer values recomputed for the night');
        for (const f of r.failed) deps.log.warn({ tenant: f.tenantId, err: errSummary(f.error) }, 'nightly customer value recompute failed; will retry at the next check');
      } catch (err) {
        deps.log.warn({ err: errSummary(err) }, 'nightly customer value check failed; will retry at the next check');
      }
    });
  };
  const timer = setInterval(round, deps.everyMs ?? NIGHTLY_CHECK_MS);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
