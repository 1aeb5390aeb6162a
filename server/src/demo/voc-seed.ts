// Seeds the demo tenant's VOC loop: its setup (demo/voc-setup.ts) through the same setters an admin
// uses, then every generated item numbered. Items older than REPLAY_DAYS are settled in bulk as
// closed (routed by the rules, with a two-line history); the recent ones are driven through the real
// workflow, each step at its own time in the past, to a step drawn by its age — so the desk shows
// items at every step, with histories and clocks the workflow itself wrote.
import { randomUUID } from 'node:crypto';
import { addWorkingMinutes, type VocActionArgs, type VocItem, type VocStatus } from '../../../shared/domain';
import type { Principal } from '../auth/sessions';
import { createPrng, type Prng } from '../base/random';
import type { Db } from '../db/db';
import { changeTx } from '../sync/change-log';
import { setDepartment, setHolidays, setRouting, setSlaTargets, setTopics, setVocSettings, setWorkingHours } from '../voc/admin';
import { readVocConfig, routeOf } from '../voc/config';
import { applyVocAct, registerRaised } from '../voc/workflow';
import { DEMO_CATALOGUE, DEMO_DEFAULT_DEPARTMENT, DEMO_DEPARTMENTS, DEMO_HOURS, DEMO_ROUTING, DEMO_SLA, KOREAN_HOLIDAYS } from './voc-setup';

/** Items raised within this many days are replayed through the workflow; older ones are settled. */
const REPLAY_DAYS = 14;
const DAY_MS = 86_400_000;

interface Person {
  id: string;
  username: string;
  display_name: string;
  role: Principal['role'];
}

export async function seedDemoVoc(db: Db, tenantId: string, vocItems: readonly VocItem[], now: Date): Promise<void> {
  await changeTx(db, tenantId, async (tx) => {
    await setTopics(tx, DEMO_CATALOGUE.flatMap((c) => [c, ...c.topics].map((t) => ({ id: t.id, name: t.name, labels: { ko: t.ko } }))));
    for (const d of DEMO_DEPARTMENTS) {
      await setDepartment(tx, { id: d.id, name: d.name, labels: { ko: d.ko }, members: [...d.staff], lead: d.staff[0] ?? null, requiresApproval: d.requiresApproval });
    }
    await setRouting(
      tx,
      DEMO_ROUTING.map((r) => ({ type: r.type, topicPrefix: r.topicPrefix, priority: r.priority, department: r.departmentId })),
      DEMO_DEFAULT_DEPARTMENT,
    );
    await setSlaTargets(tx, DEMO_SLA);
    await setWorkingHours(tx.q, tenantId, DEMO_HOURS);
    await setHolidays(tx.q, tenantId, KOREAN_HOLIDAYS.map(([day, name]) => ({ day, name })), true);
    await setVocSettings(tx.q, tenantId, { happyCallTypes: ['complaint'], happyCallAfterMinutes: null, followUpMaxAttempts: 3, followUpRetryMinutes: 120 });
  });

  const cutoff = now.getTime() - REPLAY_DAYS * DAY_MS;
  const old = vocItems.filter((v) => Date.parse(v.createdAt) < cutoff);
  await settleOld(db, tenantId, old);
  const recent = vocItems.filter((v) => Date.parse(v.createdAt) >= cutoff).sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1));
  await replayRecent(db, tenantId, recent, now);
}

/** Old items: numbered by year, routed by the rules, closed; history raised → closed by the center. */
async function settleOld(db: Db, tenantId: string, items: readonly VocItem[]): Promise<void> {
  await changeTx(db, tenantId, async (tx) => {
    const cfg = await readVocConfig(tx.q, tenantId);
    const routed = items.map((v) => ({ id: v.id, department: routeOf(cfg, { type: v.type, topicId: v.topicId, priority: v.priority })?.departmentId ?? null }));
    await tx.q.query(
      `UPDATE voc_items v SET status = 'closed', department_id = x.department, updated_at = v.created_at
         FROM json_to_recordset($2::json) AS x(id uuid, department text) WHERE v.tenant_id = $1 AND v.id = x.id`,
      [tenantId, JSON.stringify(routed)],
    );
    await tx.q.query(
      `INSERT INTO voc_history (tenant_id, voc_id, by_user_id, by_name, action, from_status, to_status, reason, at)
       SELECT v.tenant_id, v.id, v.created_by_user_id, COALESCE(u.display_name, v.created_by), 'raise', NULL, 'raised', NULL, v.created_at
         FROM voc_items v LEFT JOIN users u ON u.id = v.created_by_user_id WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])
       UNION ALL
       SELECT v.tenant_id, v.id, NULL, 'Earshot center', 'close', 'raised', 'closed', 'Settled before the VOC desk kept each step.', v.created_at
         FROM voc_items v WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])`,
      [tenantId, items.map((v) => v.id)],
    );
  });
  // Numbers in order of raising, per local year; the counters continue after the last.
  await db.query(
    `WITH n AS (
       SELECT v.id, extract(year FROM v.created_at AT TIME ZONE t.time_zone)::int AS y,
              row_number() OVER (PARTITION BY extract(year FROM v.created_at AT TIME ZONE t.time_zone) ORDER BY v.created_at, v.id) AS rn
         FROM voc_items v JOIN tenants t ON t.id = v.tenant_id WHERE v.tenant_id = $1 AND v.id = ANY($2::uuid[])
     ), numbered AS (
       UPDATE voc_items v SET number = 'VOC-' || n.y || '-' || lpad(n.rn::text, 6, '0') FROM n WHERE v.id = n.id RETURNING n.y, n.rn
     )
     INSERT INTO voc_numbers (tenant_id, year, last) SELECT $1, y, max(rn) FROM numbered GROUP BY y
     ON CONFLICT (tenant_id, year) DO UPDATE SET last = GREATEST(voc_numbers.last, EXCLUDED.last)`,
    [tenantId, items.map((v) => v.id)],
  );
}

/** How far an item of this age has come (older: further), before its type's own path cuts it short. */
function targetOf(rng: Prng, ageDays: number): VocStatus {
  const steps: VocStatus[] = ['routed', 'assigned', 'in_progress', 'waiting_customer', 'result_recorded', 'follow_up', 'closed', 'reopened'];
  const reach = Math.min(steps.length - 1, Math.floor((ageDays / REPLAY_DAYS) * steps.length + rng.int(-1, 2)));
  return steps[Math.max(0, reach)]!;
}

/** Recent items, each through the workflow step by step, one to eight working hours apart, never past now. */
async function replayRecent(db: Db, tenantId: string, items: readonly VocItem[], now: Date): Promise<void> {
  const rng = createPrng(20_261_206);
  const people = await db.query<Person>('SELECT id, username, display_name, role FROM users WHERE tenant_id = $1', [tenantId]);
  const principal = (p: Person): Principal => ({ userId: p.id, tenantId, username: p.username, displayName: p.display_name, role: p.role, tokenHash: '', expiresAt: now });
  const byName = new Map(people.map((p) => [p.username, p]));
  const agents = people.filter((p) => p.role === 'agent');
  // One transaction for the whole replay: a commit per step would cost more than the steps.
  await changeTx(db, tenantId, async (tx) => {
    const cfg = await readVocConfig(tx.q, tenantId);
    for (const v of items) {
      const raiser = byName.get(v.createdBy) ?? agents[0]!;
      const resolvedOnContact = v.type === 'inquiry' && rng.chance(0.7);
      await registerRaised(tx, principal(raiser), [{ id: v.id, resolvedOnContact }], new Date(v.createdAt));
      const target = targetOf(rng, (now.getTime() - Date.parse(v.createdAt)) / DAY_MS);
      let at = Date.parse(v.createdAt);
      for (;;) {
        const [row] = await tx.q.query<{ status: VocStatus; department_id: string | null; owner_user_id: string | null }>(
          'SELECT status, department_id, owner_user_id FROM voc_items WHERE tenant_id = $1 AND id = $2',
          [tenantId, v.id],
        );
        if (!row || row.status === target || row.status === 'closed' || row.status === 'raised') break;
        const dept = DEMO_DEPARTMENTS.find((d) => d.id === row.department_id);
        const staff = dept ? dept.staff.map((s) => byName.get(s)!).filter(Boolean) : [];
        const owner = people.find((p) => p.id === row.owner_user_id) ?? rng.pick(staff.length > 0 ? staff : agents);
        at = addWorkingMinutes(at, rng.int(60, 8 * 60), cfg.calendar);
        if (at > now.getTime()) break;
        const next = nextStep(row.status, target, v, rng, new Date(at));
        if (!next) break;
        const who = next.by === 'owner' ? owner : next.by === 'lead' ? (staff[0] ?? owner) : rng.pick(agents);
        await applyVocAct(tx, principal(who), { id: v.id, expectedStatus: row.status, ...next.args } as never, randomUUID(), new Date(at));
      }
    }
  });
}

/** The next step towards `target` from `status`, and who takes it (the seed's replay and the live demo). */
export function nextStep(status: VocStatus, target: VocStatus, v: VocItem, rng: Prng, at: Date): { by: 'owner' | 'lead' | 'agent'; args: VocActionArgs } | null {
  const result = {
    action: 'recordResult' as const,
    result: v.type === 'complaint' ? 'Checked the account and the order history; the cause was ours.' : 'Looked into it and answered the question in full.',
    remedy: v.wants === 'refund' ? 'Refunded in full to the original payment.' : v.wants === 'exchange' ? 'Replacement sent by express delivery.' : 'Explained and apologised; noted for the team.',
  };
  switch (status) {
    case 'routed':
      return { by: 'owner', args: { action: 'take' } };
    case 'assigned':
    case 'reopened':
      return target === 'assigned' ? null : { by: 'owner', args: { action: 'start' } };
    case 'in_progress':
      if (target === 'in_progress') return null;
      if (target === 'waiting_customer') return { by: 'owner', args: { action: 'waitForCustomer', reason: 'Asked the customer for a photo of the receipt.' } };
      return { by: 'owner', args: result };
    case 'waiting_customer':
      return target === 'waiting_customer' ? null : { by: 'owner', args: { action: 'resume' } };
    case 'awaiting_approval':
      return { by: 'lead', args: { action: 'approve' } };
    case 'result_recorded':
      if (target === 'result_recorded') return null;
      return { by: 'owner', args: { action: 'notifyCustomer', via: rng.pick(['call', 'sms', 'email'] as const), at: at.toISOString() } };
    case 'follow_up':
      if (target === 'follow_up') return null;
      return { by: 'agent', args: { action: 'followUpOutcome', outcome: target === 'reopened' ? 'dissatisfied' : 'satisfied', reason: target === 'reopened' ? 'Still charged twice on the new bill.' : undefined } };
    default:
      return null;
  }
}

/** The workflow code the replay runs, for the demo template's key (a change to it seeds anew). */
export const VOC_CODE_VERSION = [registerRaised, applyVocAct, setTopics, setDepartment, setRouting, setSlaTargets, readVocConfig, nextStep, targetOf, settleOld]
  .map((f) => f.toString())
  .join('\n');
