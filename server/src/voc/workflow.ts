// The VOC workflow at the center (VOC.md, steps 2–8), inside the transaction that writes the item:
// registering what an agent raised (its number, its topic checked against the catalogue, its
// department by the routing rules, its clocks), and each step a person takes (`voc.act`), decided by
// the one transition table of shared/domain/voc.ts. Every move writes a history row and logs the
// item; a step that cannot be taken is refused with a reason the person can act on.
import { randomUUID } from 'node:crypto';
import { addWorkingMinutes, decideVocAction, vocNumber, wallClock, workingMinutesBetween, type VocActionArgs, type VocStatus } from '../../../shared/domain';
import type { VocActArgs } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { RaisedVoc } from '../sync/batch';
import type { ChangeTx } from '../sync/change-log';
import { MutationRejected } from '../sync/mutations';
import { addToWorkingSet } from '../sync/scope';
import { vocActor } from './actor';
import { dueDates } from './clocks';
import { readVocConfig, routeOf, type TenantVocConfig } from './config';
import { appendHistory, CENTER, lockItems, recordItems, saveItem, type HistoryEntry, type WorkItem } from './items';

type Actor = { userId: string | null; name: string };
const actorOf = (who: Principal): Actor => ({ userId: who.userId, name: who.displayName || who.username });

/** Starts (or restarts, on a reopen) the item's clocks at `at`; a met acknowledge stays met. */
function startClocks(cfg: TenantVocConfig, it: WorkItem, at: Date, keepAcknowledge: boolean): void {
  it.clockStartedAt = at;
  it.pausedSince = null;
  it.pausedMinutes = 0;
  for (const kind of ['acknowledge', 'resolve', 'notify'] as const) {
    if (kind === 'acknowledge' && keepAcknowledge && it.met.acknowledge) continue;
    it.met[kind] = null;
    it.overdue[kind] = false;
    it.due[kind] = null;
  }
  it.due = dueDates(cfg, it, it);
}

/** The next number of the tenant in the year of `at` (its local year). */
async function nextNumber(tx: ChangeTx, cfg: TenantVocConfig, at: Date): Promise<string> {
  const year = wallClock(at.getTime(), cfg.calendar.timeZone).y;
  const [row] = await tx.q.query<{ last: number }>(
    `INSERT INTO voc_numbers (tenant_id, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (tenant_id, year) DO UPDATE SET last = voc_numbers.last + 1 RETURNING last`,
    [tx.tenantId, year],
  );
  return vocNumber(year, row!.last);
}

/**
 * Registers items a push raised: a number; the topic kept only if the catalogue has it (else
 * unclassified, said in the history); closed at once when answered on the contact or routed to
 * "analysis only"; otherwise routed by the rules (or the default department) with clocks running.
 */
export async function registerRaised(tx: ChangeTx, who: Principal, raised: readonly RaisedVoc[], now = new Date()): Promise<void> {
  if (raised.length === 0) return;
  const cfg = await readVocConfig(tx.q, tx.tenantId);
  const items = await lockItems(tx.q, tx.tenantId, raised.map((r) => r.id));
  const topics = new Set(
    (await tx.q.query<{ id: string }>('SELECT id FROM voc_topics WHERE tenant_id = $1 AND active AND id = ANY($2::text[])', [tx.tenantId, items.map((i) => i.topicId).filter((t) => t !== null)])).map(
      (r) => r.id,
    ),
  );
  const history: HistoryEntry[] = [];
  const by = actorOf(who);
  for (const it of items) {
    if (it.status !== 'raised' || it.number !== null) continue; // registered before (a redelivery)
    const resolved = raised.find((r) => r.id === it.id)?.resolvedOnContact ?? false;
    it.number = await nextNumber(tx, cfg, it.createdAt);
    const entry = { vocId: it.id, byUserId: by.userId, byName: by.name, at: it.createdAt };
    history.push({ ...entry, action: 'raise', from: null, to: 'raised', data: { number: it.number } });
    if (it.topicId !== null && !topics.has(it.topicId)) {
      history.push({ ...CENTER_ENTRY(it, it.createdAt), action: 'unclassify', from: 'raised', to: 'raised', reason: `The topic "${it.topicId}" is not in the catalogue; left unclassified for a supervisor to map.` });
      it.topicId = null;
    }
    if (resolved) {
      it.status = 'closed';
      history.push({ ...entry, action: 'resolveOnContact', from: 'raised', to: 'closed', reason: 'Answered on the contact.' });
      continue;
    }
    const route = routeOf(cfg, it);
    if (!route) continue; // no rule and no default department: stays raised for a supervisor to route
    if (route.departmentId === null) {
      it.status = 'closed';
      history.push({ ...CENTER_ENTRY(it, it.createdAt), action: 'route', from: 'raised', to: 'closed', reason: 'Recorded for analysis; no department acts on it.', data: { rule: route.rule } });
      continue;
    }
    it.status = 'routed';
    it.departmentId = route.departmentId;
    startClocks(cfg, it, it.createdAt, false);
    history.push({ ...CENTER_ENTRY(it, it.createdAt), action: 'route', from: 'raised', to: 'routed', data: { department: route.departmentId, rule: route.rule } });
  }
  for (const it of items) await saveItem(tx.q, it, now);
  await appendHistory(tx.q, tx.tenantId, history);
  await recordItems(tx, items.map((i) => i.id));
}

const CENTER_ENTRY = (it: WorkItem, at: Date) => ({ vocId: it.id, byUserId: CENTER.userId, byName: CENTER.name, at });

/** Applies one `voc.act` of a desktop; refuses (MutationRejected) what the table or the item does not allow. */
/** `now`: when it happens (the demo replays the past; everything else acts now). */
export async function applyVocAct(tx: ChangeTx, who: Principal, args: VocActArgs, mutationId: string | null, now = new Date()): Promise<void> {
  const [it] = await lockItems(tx.q, tx.tenantId, [args.id]);
  if (!it) throw new MutationRejected('This VOC item does not exist at the center (or belongs to another tenant).');
  const cfg = await readVocConfig(tx.q, tx.tenantId);
  const actor = await vocActor(tx.q, who);
  const dept = it.departmentId ? cfg.departments.get(it.departmentId) : undefined;
  const decision = decideVocAction(it, args.expectedStatus, args, actor, { requiresApproval: dept?.requiresApproval ?? false });
  if (!decision.ok) throw new MutationRejected(withNumber(it, decision.message));
  const from = it.status;
  const history: HistoryEntry[] = [];
  const by = actorOf(who);
  const entry = (action: string, to: VocStatus, reason?: string | null, data?: unknown): HistoryEntry => ({
    vocId: it.id,
    byUserId: by.userId,
    byName: by.name,
    action,
    from,
    to,
    reason,
    data,
    mutationId,
    at: now,
  });
  const step = args as VocActionArgs;
  switch (step.action) {
    case 'assign':
    case 'take': {
      const owner = step.action === 'take' ? who.userId : step.ownerUserId;
      await checkMember(tx, it.departmentId!, owner);
      it.ownerUserId = owner;
      it.met.acknowledge ??= now;
      await addToWorkingSet(tx, owner, it.customerId, 'voc');
      history.push(entry(step.action, decision.to, null, { owner }));
      break;
    }
    case 'handOver': {
      const to = cfg.departments.get(step.departmentId);
      if (!to || !to.active) throw new MutationRejected(withNumber(it, `There is no department "${step.departmentId}" to hand this item over to; pick one from the list.`));
      history.push(entry('handOver', decision.to, step.reason, { fromDepartment: it.departmentId, toDepartment: to.id }));
      it.departmentId = to.id;
      it.ownerUserId = null;
      break;
    }
    case 'waitForCustomer':
      it.pausedSince = now;
      it.due = dueDates(cfg, it, it); // paused: the running clocks have no due until it resumes
      history.push(entry('waitForCustomer', decision.to, step.reason));
      break;
    case 'resume':
      if (it.pausedSince) it.pausedMinutes += workingMinutesBetween(it.pausedSince.getTime(), now.getTime(), cfg.calendar);
      it.pausedSince = null;
      it.due = dueDates(cfg, it, it);
      history.push(entry('resume', decision.to));
      break;
    case 'recordResult':
      it.result = step.result;
      it.remedy = step.remedy;
      it.met.resolve = now;
      history.push(entry('recordResult', decision.to, null, { result: step.result, remedy: step.remedy }));
      break;
    case 'sendBack':
      it.met.resolve = null;
      it.due = dueDates(cfg, it, it);
      history.push(entry('sendBack', decision.to, step.reason));
      break;
    case 'notifyCustomer': {
      const at = new Date(step.at);
      if (at.getTime() > now.getTime() + 5 * 60_000) throw new MutationRejected(withNumber(it, 'The time the customer was told is in the future; give the time it happened.'));
      if (at < it.createdAt) throw new MutationRejected(withNumber(it, 'The time the customer was told is before the item was raised; give the time it happened.'));
      it.notifiedVia = step.via;
      it.met.notify = at;
      history.push(entry('notifyCustomer', decision.to, null, { via: step.via, at: step.at }));
      await afterNotify(tx, cfg, it, history, now);
      break;
    }
    case 'customerRejected':
      history.push(entry('customerRejected', decision.to, step.reason));
      reopen(cfg, it, now);
      await closeFollowUps(tx, it.id, 'skipped', null);
      break;
    case 'followUpOutcome':
      await followUpOutcome(tx, cfg, it, step, entry, history, now);
      break;
    case 'withdraw':
      history.push(entry('withdraw', decision.to, step.reason));
      await closeFollowUps(tx, it.id, 'skipped', null);
      break;
    case 'reclassify': {
      if (step.topicId) {
        const [topic] = await tx.q.query('SELECT 1 FROM voc_topics WHERE tenant_id = $1 AND id = $2 AND active', [tx.tenantId, step.topicId]);
        if (!topic) throw new MutationRejected(withNumber(it, `The topic "${step.topicId}" is not in the catalogue; pick one from the list.`));
      }
      const before = { type: it.type, topicId: it.topicId, priority: it.priority, safety: it.safety, wants: it.wants };
      if (step.type !== undefined) it.type = step.type;
      if (step.topicId !== undefined) it.topicId = step.topicId;
      if (step.priority !== undefined) it.priority = step.priority;
      if (step.safety !== undefined) it.safety = step.safety;
      if (step.wants !== undefined) it.wants = it.type === 'complaint' ? step.wants : null;
      it.due = dueDates(cfg, it, it); // a new type or priority has other targets
      history.push(entry('reclassify', decision.to, null, { before, after: { type: it.type, topicId: it.topicId, priority: it.priority, safety: it.safety, wants: it.wants } }));
      break;
    }
    case 'start':
    case 'approve':
      history.push(entry(step.action, decision.to));
      break;
  }
  // Notify, a rejection and a follow-up's outcome move the item on themselves (follow-up, closed, reopened).
  if (step.action !== 'notifyCustomer' && step.action !== 'customerRejected' && step.action !== 'followUpOutcome') it.status = decision.to;
  await saveItem(tx.q, it, now);
  await appendHistory(tx.q, tx.tenantId, history);
  await recordItems(tx, [it.id]);
}

const withNumber = (it: WorkItem, message: string) => (it.number ? `${it.number}: ${message}` : message);

async function checkMember(tx: ChangeTx, departmentId: string, userId: string): Promise<void> {
  const [member] = await tx.q.query(
    `SELECT 1 FROM department_members WHERE tenant_id = $1 AND department_id = $2 AND user_id = $3
     UNION ALL SELECT 1 FROM departments WHERE tenant_id = $1 AND id = $2 AND lead_user_id = $3`,
    [tx.tenantId, departmentId, userId],
  );
  if (!member) throw new MutationRejected('That person is not a member of the item\'s department; pick a member, or hand the item over first.');
}

/** Back to its owner with fresh resolve and notify clocks (the acknowledge stays met). */
function reopen(cfg: TenantVocConfig, it: WorkItem, now: Date): void {
  it.status = 'reopened';
  it.reopens += 1;
  it.notifiedVia = null;
  startClocks(cfg, it, now, true);
}

/** After the customer was told: a follow-up call when the tenant wants one for this type, else closed. */
async function afterNotify(tx: ChangeTx, cfg: TenantVocConfig, it: WorkItem, history: HistoryEntry[], now: Date): Promise<void> {
  if (!cfg.happyCallTypes.has(it.type)) {
    it.status = 'closed';
    history.push({ ...CENTER_ENTRY(it, now), action: 'close', from: 'customer_notified', to: 'closed', reason: 'No follow-up call for this type.' });
    return;
  }
  it.status = 'follow_up';
  const dueAt = happyCallDue(cfg, now);
  await tx.q.query(
    `INSERT INTO voc_follow_ups (id, tenant_id, voc_id, customer_id, due_at, created_at, updated_at) VALUES ($5, $1, $2, $3, $4, $6, $6)`,
    [tx.tenantId, it.id, it.customerId, dueAt, randomUUID(), now],
  );
  history.push({ ...CENTER_ENTRY(it, now), action: 'scheduleFollowUp', from: 'customer_notified', to: 'follow_up', data: { dueAt: dueAt.toISOString() } });
}

/** When the happy call is due: after the configured working minutes, or at the next working day's opening. */
export function happyCallDue(cfg: TenantVocConfig, now: Date): Date {
  if (cfg.happyCallAfterMinutes !== null) return new Date(addWorkingMinutes(now.getTime(), cfg.happyCallAfterMinutes, cfg.calendar));
  // The next working day: from the end of today's local day, zero working minutes lands on its opening.
  const w = wallClock(now.getTime(), cfg.calendar.timeZone);
  const endOfToday = now.getTime() + ((24 * 60 - w.minute) * 60 - w.second) * 1000;
  return new Date(addWorkingMinutes(endOfToday, 0, cfg.calendar));
}

async function closeFollowUps(tx: ChangeTx, vocId: string, state: 'done' | 'skipped', outcome: string | null): Promise<void> {
  await tx.q.query(`UPDATE voc_follow_ups SET state = $3, outcome = COALESCE($4, outcome), updated_at = now() WHERE tenant_id = $1 AND voc_id = $2 AND state IN ('open', 'calling')`, [
    tx.tenantId,
    vocId,
    state,
    outcome,
  ]);
}

async function followUpOutcome(
  tx: ChangeTx,
  cfg: TenantVocConfig,
  it: WorkItem,
  step: Extract<VocActionArgs, { action: 'followUpOutcome' }>,
  entry: (action: string, to: VocStatus, reason?: string | null, data?: unknown) => HistoryEntry,
  history: HistoryEntry[],
  now: Date,
): Promise<void> {
  if (step.outcome === 'no_answer') {
    const [task] = await tx.q.query<{ id: string; attempts: number }>(
      `UPDATE voc_follow_ups SET attempts = attempts + 1, state = 'open', claimed_by_user_id = NULL, claimed_at = NULL,
              due_at = $4::timestamptz + make_interval(mins => $3), updated_at = $4
        WHERE tenant_id = $1 AND voc_id = $2 AND state IN ('open', 'calling') RETURNING id, attempts`,
      [tx.tenantId, it.id, cfg.followUpRetryMinutes, now],
    );
    const attempts = task?.attempts ?? cfg.followUpMaxAttempts;
    if (attempts < cfg.followUpMaxAttempts) {
      history.push(entry('followUpOutcome', 'follow_up', step.reason ?? null, { outcome: 'no_answer', attempts }));
      it.status = 'follow_up';
      return;
    }
    await closeFollowUps(tx, it.id, 'done', 'no_answer');
    it.followUpOutcome = 'no_answer';
    it.status = 'closed';
    history.push(entry('followUpOutcome', 'closed', step.reason ?? `No answer after ${attempts} attempts.`, { outcome: 'no_answer', attempts }));
    return;
  }
  await closeFollowUps(tx, it.id, 'done', step.outcome);
  it.followUpOutcome = step.outcome;
  if (step.outcome === 'dissatisfied') {
    history.push(entry('followUpOutcome', 'reopened', step.reason ?? null, { outcome: step.outcome }));
    reopen(cfg, it, now);
    return;
  }
  it.status = 'closed';
  history.push(entry('followUpOutcome', 'closed', step.reason ?? null, { outcome: step.outcome }));
}
