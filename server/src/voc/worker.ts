// The VOC loop's own work, on exactly one center node (the CTI owner: cluster/leadership.ts): the
// deadline sweep marks every passed deadline overdue (a history row, the item logged, its owner and
// lead told at once), and the assigner gives routed items of round-robin departments to a member who
// is signed in, the one given an item longest ago first.
import type { Logger } from 'pino';
import { DEADLINE_KINDS, type DeadlineKind, type VocPriority, type VocStatus } from '../../../shared/domain';
import { errSummary } from '../base/log';
import type { Db } from '../db/db';
import { changeTx, type ChangeInput } from '../sync/change-log';
import { addToWorkingSet } from '../sync/scope';
import { appendHistory, CENTER, lockItems, recordItems, saveItem } from './items';
import type { VocNotifier } from './notify';

/** Every passed deadline is marked within one sweep period (VOC goal: within 60 s). */
export const SWEEP_MS = 15_000;
export const ASSIGN_MS = 3_000;
/** Items marked per tenant and kind in one transaction; the rest follow in the next round at once. */
const SWEEP_BATCH = 1_000;

const COLUMNS: Record<DeadlineKind, { due: string; met: string; overdue: string }> = {
  acknowledge: { due: 'acknowledge_due', met: 'acknowledged_at', overdue: 'acknowledge_overdue' },
  resolve: { due: 'resolve_due', met: 'resolved_at', overdue: 'resolve_overdue' },
  notify: { due: 'notify_due', met: 'notified_at', overdue: 'notify_overdue' },
};

interface Passed {
  id: string;
  status: VocStatus;
  number: string | null;
  priority: VocPriority;
  safety: boolean;
  department_id: string | null;
  owner_user_id: string | null;
  due: Date | string;
}

export interface SweepResult {
  marked: number;
  tenants: number;
}

/** Marks passed deadlines overdue; returns how many. Changes are logged and pokes sent by `onCommitted`. */
export async function sweepDeadlines(
  db: Db,
  notifier: Pick<VocNotifier, 'overdue'>,
  onCommitted: (tenantId: string, r: { changes: ReadonlyArray<ChangeInput>; version: string }) => void,
  now = new Date(),
): Promise<SweepResult> {
  let marked = 0;
  const seen = new Set<string>();
  for (const kind of DEADLINE_KINDS) {
    const c = COLUMNS[kind];
    const tenants = await db.query<{ tenant_id: string }>(
      `SELECT DISTINCT tenant_id FROM voc_items WHERE ${c.due} <= $1 AND ${c.met} IS NULL AND NOT ${c.overdue} AND ${c.due} IS NOT NULL`,
      [now],
    );
    for (const { tenant_id: tenantId } of tenants) {
      seen.add(tenantId);
      for (;;) {
        const r = await changeTx(db, tenantId, async (tx) => {
          const passed = await tx.q.query<Passed>(
            `UPDATE voc_items v SET ${c.overdue} = true, overdue = true, revision = revision + 1, updated_at = $2
               FROM (SELECT id FROM voc_items WHERE tenant_id = $1 AND ${c.due} <= $2 AND ${c.met} IS NULL AND NOT ${c.overdue} AND ${c.due} IS NOT NULL
                      AND status NOT IN ('closed', 'withdrawn') ORDER BY ${c.due} LIMIT ${SWEEP_BATCH} FOR UPDATE SKIP LOCKED) due
              WHERE v.id = due.id
              RETURNING v.id, v.number, v.priority, v.safety, v.department_id, v.owner_user_id, v.${c.due} AS due, v.status`,
            [tenantId, now],
          );
          await appendHistory(
            tx.q,
            tenantId,
            passed.map((p) => ({
              vocId: p.id,
              byUserId: CENTER.userId,
              byName: CENTER.name,
              action: 'overdue',
              from: p.status,
              to: p.status,
              reason: `The ${kind} deadline passed.`,
              data: { deadline: kind, dueAt: new Date(p.due).toISOString() },
              at: now,
            })),
          );
          await recordItems(tx, passed.map((p) => p.id));
          return passed;
        });
        onCommitted(tenantId, r);
        for (const p of r.value) {
          notifier.overdue(tenantId, {
            id: p.id,
            number: p.number,
            deadline: kind,
            priority: p.priority,
            safety: p.safety,
            departmentId: p.department_id,
            dueAt: new Date(p.due).toISOString(),
            ownerUserId: p.owner_user_id,
          });
        }
        marked += r.value.length;
        if (r.value.length < SWEEP_BATCH) break;
      }
    }
  }
  return { marked, tenants: seen.size };
}

/**
 * Gives each routed item of a round-robin department to a member signed in now (`present`), the one
 * given an item longest ago first. Items of departments with nobody present wait in their queue.
 */
export async function assignRouted(
  db: Db,
  present: (tenantId: string) => Promise<ReadonlySet<string>>,
  onCommitted: (tenantId: string, r: { changes: ReadonlyArray<ChangeInput>; version: string }) => void,
  now = new Date(),
): Promise<number> {
  let assigned = 0;
  const waiting = await db.query<{ tenant_id: string; id: string; department_id: string }>(
    `SELECT v.tenant_id, v.id, v.department_id FROM voc_items v JOIN departments d ON d.tenant_id = v.tenant_id AND d.id = v.department_id
      WHERE v.status = 'routed' AND v.owner_user_id IS NULL AND d.assignment = 'round_robin' AND d.active
      ORDER BY v.tenant_id, v.created_at LIMIT 500`,
  );
  const byTenant = new Map<string, typeof waiting>();
  for (const w of waiting) byTenant.set(w.tenant_id, [...(byTenant.get(w.tenant_id) ?? []), w]);
  for (const [tenantId, items] of byTenant) {
    const here = await present(tenantId);
    if (here.size === 0) continue;
    const r = await changeTx(db, tenantId, async (tx) => {
      const done: string[] = [];
      for (const it of await lockItems(tx.q, tenantId, items.map((i) => i.id))) {
        if (it.status !== 'routed' || it.ownerUserId !== null || it.departmentId === null) continue; // moved meanwhile
        const [next] = await tx.q.query<{ user_id: string; display_name: string }>(
          `SELECT m.user_id, u.display_name FROM department_members m JOIN users u ON u.id = m.user_id AND NOT u.disabled
            WHERE m.tenant_id = $1 AND m.department_id = $2 AND m.user_id = ANY($3::uuid[])
            ORDER BY m.last_assigned_at NULLS FIRST, m.user_id LIMIT 1`,
          [tenantId, it.departmentId, [...here]],
        );
        if (!next) continue;
        await tx.q.query('UPDATE department_members SET last_assigned_at = $4 WHERE tenant_id = $1 AND department_id = $2 AND user_id = $3', [tenantId, it.departmentId, next.user_id, now]);
        it.ownerUserId = next.user_id;
        it.met.acknowledge ??= now;
        it.status = 'assigned';
        await saveItem(tx.q, it, now);
        await appendHistory(tx.q, tenantId, [
          { vocId: it.id, byUserId: CENTER.userId, byName: CENTER.name, action: 'assign', from: 'routed', to: 'assigned', data: { owner: next.user_id, by: 'round_robin' }, at: now },
        ]);
        await addToWorkingSet(tx, next.user_id, it.customerId, 'voc');
        done.push(it.id);
      }
      await recordItems(tx, done);
      return done.length;
    });
    onCommitted(tenantId, r);
    assigned += r.value;
  }
  return assigned;
}

export interface VocWorkerDeps {
  db: Db;
  notifier: Pick<VocNotifier, 'overdue'>;
  present(tenantId: string): Promise<ReadonlySet<string>>;
  /** After each commit: pokes and desk refreshes. */
  onCommitted(tenantId: string, r: { changes: ReadonlyArray<ChangeInput>; version: string }): void;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** Starts both loops; the returned function stops them (waiting for a round in progress). */
export function startVocWorker(deps: VocWorkerDeps, periods = { sweepMs: SWEEP_MS, assignMs: ASSIGN_MS }): () => Promise<void> {
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  const loop = (name: string, everyMs: number, round: () => Promise<unknown>) => {
    const timer = setInterval(() => {
      if (stopped) return;
      running = running.then(round).catch((err: unknown) => deps.log.warn({ err: errSummary(err), loop: name }, 'a VOC round failed; it runs again shortly'));
    }, everyMs);
    timer.unref();
    return timer;
  };
  const timers = [
    loop('deadline sweep', periods.sweepMs, async () => {
      const r = await sweepDeadlines(deps.db, deps.notifier, deps.onCommitted);
      if (r.marked > 0) deps.log.info({ marked: r.marked, tenants: r.tenants }, 'VOC deadlines passed');
    }),
    loop('assigner', periods.assignMs, () => assignRouted(deps.db, deps.present, deps.onCommitted)),
  ];
  // A sweep at once: deadlines that passed while no node ran one (a restart, a takeover).
  running = running.then(() => sweepDeadlines(deps.db, deps.notifier, deps.onCommitted)).catch((err: unknown) => deps.log.warn({ err: errSummary(err) }, 'the first VOC deadline sweep failed; it runs again shortly'));
  return async () => {
    stopped = true;
    for (const t of timers) clearInterval(t);
    await running;
  };
}

