// Working-set grants and touches, off the screen pop's path. A lookup answers from one read; the
// customer's entry into the user's working set (and the snapshot that brings it to their desktops,
// which takes the change-log counter) is queued here and written in batches: every request that
// arrives while a batch commits goes into the next one; on PGlite's one session they also wait for the
// pops to be quiet (GrantPacing). A user's pull first waits for that user's queued grants, so "look up,
// then pull" still brings the customer.
import type { Db } from '../db/db';
import { changeTx, PREPARED, type ChangeInput, type ChangeTxResult } from './change-log';
import { auditGrantsCte, recordCustomerSnapshot, type WorkingSetReason } from './scope';

/** Default cap on one user's working set at the center; `EARSHOT_WORKING_SET_MAX` overrides it. */
export const DEFAULT_WORKING_SET_MAX = 200_000;

export function workingSetMax(): number {
  const raw = process.env.EARSHOT_WORKING_SET_MAX;
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_WORKING_SET_MAX;
}

interface Request {
  userId: string;
  customerId: string;
  reason: WorkingSetReason;
}

export interface GrantQueue {
  /**
   * Puts `customerId` in the user's working set (a snapshot change for that user when it is new
   * there) or marks it used now. Resolves with the user's own changes once committed.
   */
  touch(tenantId: string, req: Request): Promise<{ changes: ChangeInput[]; version: string }>;
  /** Resolves when every touch queued so far for `userId` has committed (or failed); writes them now. */
  settled(userId: string): Promise<void>;
  /**
   * Marks a screen pop's read as running until the returned function is called. Where grants are
   * paced (one-session databases), none starts while a pop reads, nor until the pops are quiet.
   */
  foreground(): () => void;
  /** Writes everything queued now, whatever the pacing, and resolves once it is committed (or failed). */
  drain(): Promise<void>;
}

/**
 * When queued grants are written. PGlite runs one statement at a time on one session: a grant's
 * transaction (about 6 ms there) started right after a pop's answer holds up the next pop behind it.
 * Paced, grants wait until no pop has read for `quietMs`, and never longer than `maxWaitMs` after the
 * first of them was queued; those that wait together are written as one batch. A pull (`settled`) and
 * a stopping center (`drain`) do not wait. PostgreSQL's pool runs grants beside pops: no pacing.
 */
export interface GrantPacing {
  quietMs: number;
  maxWaitMs: number;
}

export const ONE_SESSION_GRANT_PACING: GrantPacing = { quietMs: 5, maxWaitMs: 100 };

const queues = new WeakMap<Db, GrantQueue>();

/** The grant queue of `db` (one per database handle, created on first use). */
export function grantQueue(db: Db, opts: { max?: () => number; pacing?: GrantPacing | null } = {}): GrantQueue {
  let q = queues.get(db);
  if (!q) {
    q = createGrantQueue(db, opts.max ?? workingSetMax, opts.pacing !== undefined ? opts.pacing : db.driver === 'pglite' ? ONE_SESSION_GRANT_PACING : null);
    queues.set(db, q);
  }
  return q;
}

export function createGrantQueue(db: Db, max: () => number, pacing: GrantPacing | null): GrantQueue {
  type Waiting = Request & { at: number; done: (r: { changes: ChangeInput[]; version: string }) => void; fail: (err: unknown) => void };
  const waiting = new Map<string, Waiting[]>(); // by tenant, oldest first
  const running = new Map<string, Promise<void>>(); // tenants with a batch committing
  const lastOfUser = new Map<string, Promise<unknown>>();
  let reading = 0; // pops reading now
  let quietSince = 0; // when the last pop's read ended
  let urgent = 0; // settled() and drain() calls waiting: write now
  let timer: NodeJS.Timeout | null = null;

  /** Writes one tenant's waiting requests as one batch, then looks at what waits next. */
  function flush(tenantId: string): void {
    const batch = waiting.get(tenantId) ?? [];
    waiting.delete(tenantId);
    const done = (async () => {
      try {
        const r = await writeBatch(db, tenantId, batch, max());
        for (const w of batch) w.done({ changes: r.changes.filter((c) => c.userId === w.userId), version: r.version });
      } catch (err) {
        for (const w of batch) w.fail(err);
      }
    })();
    running.set(tenantId, done);
    void done.then(() => {
      running.delete(tenantId);
      schedule();
    });
  }

  /** Starts the batches that are due, and a timer for the first one that is not yet. */
  function schedule(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    const now = Date.now();
    let next = Infinity;
    for (const [tenantId, list] of waiting) {
      if (running.has(tenantId) || list.length === 0) continue;
      const due = pacing === null || urgent > 0 ? now : Math.min(list[0]!.at + pacing.maxWaitMs, reading > 0 ? Infinity : quietSince + pacing.quietMs);
      if (due <= now) flush(tenantId);
      else next = Math.min(next, due);
    }
    if (next < Infinity) {
      timer = setTimeout(schedule, next - now);
      timer.unref();
    }
  }

  /** Resolves once nothing is waiting or committing (what is queued meanwhile included). */
  async function allWritten(): Promise<void> {
    urgent += 1;
    try {
      schedule();
      while (running.size > 0) {
        await Promise.all(running.values());
        schedule();
      }
    } finally {
      urgent -= 1;
    }
  }

  return {
    touch(tenantId, req) {
      const p = new Promise<{ changes: ChangeInput[]; version: string }>((done, fail) => {
        const list = waiting.get(tenantId) ?? [];
        list.push({ ...req, at: Date.now(), done, fail });
        waiting.set(tenantId, list);
      });
      const tracked = p.catch(() => undefined);
      lastOfUser.set(req.userId, tracked);
      void tracked.then(() => {
        if (lastOfUser.get(req.userId) === tracked) lastOfUser.delete(req.userId);
      });
      if (!running.has(tenantId)) schedule();
      return p;
    },
    async settled(userId) {
      const last = lastOfUser.get(userId);
      if (!last) return;
      urgent += 1;
      try {
        schedule();
        await last;
      } finally {
        urgent -= 1;
      }
    },
    foreground() {
      reading += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        reading -= 1;
        quietSince = Date.now();
        if (reading === 0 && waiting.size > 0) schedule();
      };
    },
    drain: allWritten,
  };
}

/**
 * One transaction: upserts the batch's working-set rows (new ones get a snapshot for their user;
 * present ones get last_used_at = now()), then evicts the least recently used beyond `max` for
 * the users who gained customers. Only a batch with new rows writes the change log.
 * Eviction: the center then stops sending those customers' changes to that user; popping one again
 * brings a fresh snapshot. Their desktops keep what they cached (the desktop bounds its own cache
 * and never drops unsynced writes).
 */
async function writeBatch(db: Db, tenantId: string, batch: readonly Request[], max: number): Promise<ChangeTxResult<void>> {
  // One row per (user, customer): the first reason wins, as with ON CONFLICT DO NOTHING one by one.
  const rows = new Map<string, Request>();
  for (const r of batch) if (!rows.has(`${r.userId}/${r.customerId}`)) rows.set(`${r.userId}/${r.customerId}`, r);
  const list = [...rows.values()];
  return changeTx(db, tenantId, async (tx) => {
    const upserted = await tx.q.query<{ user_id: string; customer_id: string; inserted: boolean }>(
      `INSERT INTO working_set (tenant_id, user_id, customer_id, reason)
       SELECT $1, u.user_id, u.customer_id, u.reason FROM unnest($2::uuid[], $3::uuid[], $4::text[]) AS u(user_id, customer_id, reason)
       ON CONFLICT (user_id, customer_id) DO UPDATE SET last_used_at = now()
       RETURNING user_id::text AS user_id, customer_id::text AS customer_id, (xmax = 0) AS inserted`,
      [tenantId, list.map((r) => r.userId), list.map((r) => r.customerId), list.map((r) => r.reason)],
      PREPARED,
    );
    const added = new Map<string, string[]>();
    for (const r of upserted) if (r.inserted) added.set(r.user_id, [...(added.get(r.user_id) ?? []), r.customer_id]);
    // One statement per user who gained customers: their snapshot, and the trim to the cap.
    for (const [userId, customerIds] of added) await recordCustomerSnapshot(tx, customerIds, userId, { evictBeyond: max });
    // The grants just written, into the audit trail, in the transaction's last statement (with the
    // change log): one statement fewer on PGlite's one session, which the next screen pop waits for.
    const granted = upserted
      .filter((r) => r.inserted)
      .map((r) => ({ userId: r.user_id, customerId: r.customer_id, reason: rows.get(`${r.user_id}/${r.customer_id}`)?.reason ?? 'search' }));
    const params: unknown[] = [];
    await tx.finish!(granted.length > 0 ? [auditGrantsCte(params, tenantId, granted)] : [], params);
  });
}
