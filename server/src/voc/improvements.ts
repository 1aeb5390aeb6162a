// Improvements (VOC.md, step 10): what a department will change because customers told us, linked
// to the VOC items that asked for it (many, of the same tenant only), tracked proposed → accepted →
// in progress → done (or declined, with the reason). When one is done, its customers can be told (a
// list like the happy calls, each recorded as told) and the floor hears it like great service.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { NotifyChannel, Uuid, VocType } from '../../../shared/domain';
import { IMPROVEMENT_STATUSES, type ImprovementShared } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { CenterError } from '../base/errors';
import { iso, type Db, type Queryable } from '../db/db';
import { AnalysisQuery, checkTopic, resolveScope } from './analysis';

export { IMPROVEMENT_STATUSES };
export type ImprovementStatus = (typeof IMPROVEMENT_STATUSES)[number];
/** Where each status may go next. */
const NEXT: Record<ImprovementStatus, readonly ImprovementStatus[]> = {
  proposed: ['accepted', 'declined'],
  accepted: ['in_progress', 'declined'],
  in_progress: ['done', 'declined'],
  done: [],
  declined: [],
};
/** Items linked from one cell at most (a cell bigger than this is linked by its newest items). */
export const MAX_LINKED_AT_ONCE = 5_000;

const Text = (max: number) => z.string().trim().min(1).max(max);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'is a date like 2026-12-31');

export const CreateImprovement = z.object({
  title: Text(200),
  change: Text(4_000),
  departmentId: z.string().min(1).max(64),
  topicId: z.string().min(1).max(64).nullable().optional(),
  targetDate: Day.nullable().optional(),
  /** What it answers: one item, a set of items, or every item of a matrix cell in a period and scope. */
  from: z.union([
    z.object({ item: Uuid }),
    z.object({ items: z.array(Uuid).min(1).max(MAX_LINKED_AT_ONCE) }),
    z.object({ cell: AnalysisQuery.extend({ topic: z.string().max(64), type: VocType }) }),
  ]),
});
export type CreateImprovement = z.infer<typeof CreateImprovement>;

export const ChangeStatus = z.object({ status: z.enum(IMPROVEMENT_STATUSES), reason: z.string().trim().max(1_000).optional() });
export const LinkItems = z.object({ items: z.array(Uuid).min(1).max(MAX_LINKED_AT_ONCE) });
export const RecordTold = z.object({ items: z.array(Uuid).min(1).max(MAX_LINKED_AT_ONCE), via: NotifyChannel });

export interface Improvement {
  id: string;
  title: string;
  change: string;
  departmentId: string;
  topicId: string | null;
  targetDate: string | null;
  status: ImprovementStatus;
  declinedReason: string | null;
  createdAt: string;
  updatedAt: string;
  doneAt: string | null;
  linked: number;
  told: number;
}

interface Row {
  id: string;
  title: string;
  change: string;
  department_id: string;
  topic_id: string | null;
  target_date: string | null;
  status: ImprovementStatus;
  declined_reason: string | null;
  created_at: unknown;
  updated_at: unknown;
  done_at: unknown;
  linked: number;
  told: number;
}

const SELECT = `SELECT m.id, m.title, m.change, m.department_id, m.topic_id, to_char(m.target_date, 'YYYY-MM-DD') AS target_date, m.status, m.declined_reason,
       m.created_at, m.updated_at, m.done_at,
       (SELECT count(*)::int FROM voc_improvement_items l WHERE l.improvement_id = m.id) AS linked,
       (SELECT count(*)::int FROM voc_improvement_items l WHERE l.improvement_id = m.id AND l.told_at IS NOT NULL) AS told
  FROM voc_improvements m`;

const toImprovement = (r: Row): Improvement => ({
  id: r.id,
  title: r.title,
  change: r.change,
  departmentId: r.department_id,
  topicId: r.topic_id,
  targetDate: r.target_date,
  status: r.status,
  declinedReason: r.declined_reason,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  doneAt: r.done_at === null ? null : iso(r.done_at),
  linked: r.linked,
  told: r.told,
});

/** What a person may do with improvements: read all (supervisors, admins, analysts, leads), read their departments', change. */
export interface ImprovementRights {
  readAll: boolean;
  departments: ReadonlySet<string>;
  leads: ReadonlySet<string>;
}

export async function rightsOf(q: Queryable, who: Principal): Promise<ImprovementRights> {
  const rows = await q.query<{ id: string; lead: boolean }>(
    `SELECT department_id AS id, false AS lead FROM department_members WHERE tenant_id = $1 AND user_id = $2
     UNION ALL SELECT id, true FROM departments WHERE tenant_id = $1 AND lead_user_id = $2`,
    [who.tenantId, who.userId],
  );
  const leads = new Set(rows.filter((r) => r.lead).map((r) => r.id));
  return { readAll: ['supervisor', 'admin', 'analyst'].includes(who.role) || leads.size > 0, departments: new Set(rows.map((r) => r.id)), leads };
}

const isManager = (who: Principal) => who.role === 'supervisor' || who.role === 'admin';

function mayRead(who: Principal, rights: ImprovementRights, departmentId: string): boolean {
  return rights.readAll || rights.departments.has(departmentId);
}
/** Proposing one, or declining it: supervisors, admins, and the lead of the owning department. */
const mayDecide = (who: Principal, rights: ImprovementRights, departmentId: string) => isManager(who) || rights.leads.has(departmentId);
/** Moving its work on (accepted → in progress → done) and telling customers: also the department's members. */
const mayWork = (who: Principal, rights: ImprovementRights, departmentId: string) => mayDecide(who, rights, departmentId) || rights.departments.has(departmentId);

async function load(q: Queryable, tenantId: string, id: string, lock = false): Promise<Improvement> {
  const [row] = await q.query<Row>(`${SELECT} WHERE m.tenant_id = $1 AND m.id = $2${lock ? ' FOR UPDATE OF m' : ''}`, [tenantId, id]);
  if (!row) throw new CenterError('not_found', 'There is no such improvement in your tenant.');
  return toImprovement(row);
}

/** Links items, refusing (and linking none) if any is not one of the tenant's. Returns how many were new. */
async function linkItems(q: Queryable, tenantId: string, improvementId: string, ids: readonly string[]): Promise<number> {
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  const found = await q.query<{ id: string }>('SELECT id FROM voc_items WHERE tenant_id = $1 AND id = ANY($2::uuid[])', [tenantId, unique]);
  if (found.length !== unique.length) {
    const known = new Set(found.map((f) => f.id));
    const missing = unique.filter((i) => !known.has(i));
    throw new CenterError('bad_request', `${missing.length} of the VOC items are not your tenant's (first: ${missing[0]}); nothing was linked.`);
  }
  const added = await q.query(
    `INSERT INTO voc_improvement_items (tenant_id, improvement_id, voc_id) SELECT $1, $2, u FROM unnest($3::uuid[]) u
     ON CONFLICT (improvement_id, voc_id) DO NOTHING RETURNING voc_id`,
    [tenantId, improvementId, unique],
  );
  return added.length;
}

async function audit(q: Queryable, who: Principal, action: string, what: string): Promise<void> {
  await q.query('INSERT INTO audit_log (tenant_id, user_id, action, reason) VALUES ($1, $2, $3, $4)', [who.tenantId, who.userId, action, what.slice(0, 200)]);
}

export async function createImprovement(db: Db, who: Principal, input: CreateImprovement): Promise<Improvement> {
  return db.tx(async (q) => {
    const rights = await rightsOf(q, who);
    if (!mayDecide(who, rights, input.departmentId)) throw new CenterError('forbidden', 'Only supervisors, administrators and the lead of the owning department propose improvements.');
    const [dept] = await q.query('SELECT 1 FROM departments WHERE tenant_id = $1 AND id = $2 AND active', [who.tenantId, input.departmentId]);
    if (!dept) throw new CenterError('bad_request', `There is no department "${input.departmentId}"; pick one from the list.`);
    let topicId = input.topicId ?? null;
    let ids: string[];
    if ('item' in input.from) ids = [input.from.item];
    else if ('items' in input.from) ids = input.from.items;
    else {
      const cell = input.from.cell;
      await checkTopic(q, who.tenantId, cell.topic);
      const scope = await resolveScope(q, who.tenantId, cell);
      const rows = await q.query<{ id: string }>(
        `SELECT id FROM voc_items WHERE tenant_id = $1 AND type = $2 AND topic_id IS NOT DISTINCT FROM $3 AND raised_day BETWEEN $4 AND $5
           AND ($6::text IS NULL OR department_id = $6) AND ($7::text IS NULL OR queue = $7) AND ($8::text IS NULL OR channel = $8) AND ($9::text IS NULL OR value_tier = $9)
         ORDER BY created_at DESC LIMIT ${MAX_LINKED_AT_ONCE}`,
        [who.tenantId, cell.type, cell.topic === '' ? null : cell.topic, scope.period.from, scope.period.to, scope.department ?? null, scope.queue ?? null, scope.channel ?? null, scope.tier ?? null],
      );
      if (rows.length === 0) throw new CenterError('bad_request', 'That cell has no VOC items in the period; pick a cell with a count.');
      ids = rows.map((r) => r.id);
      topicId ??= cell.topic === '' ? null : cell.topic;
    }
    if (topicId !== null) await checkTopic(q, who.tenantId, topicId);
    const id = randomUUID();
    await q.query(
      `INSERT INTO voc_improvements (id, tenant_id, title, change, department_id, topic_id, target_date, created_by_user_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [id, who.tenantId, input.title, input.change, input.departmentId, topicId, input.targetDate ?? null, who.userId],
    );
    await linkItems(q, who.tenantId, id, ids);
    await audit(q, who, 'improvement.created', id);
    return load(q, who.tenantId, id);
  });
}

export async function listImprovements(db: Db, who: Principal, filter: { department?: string; topic?: string; status?: ImprovementStatus; open?: boolean }): Promise<Improvement[]> {
  const rights = await rightsOf(db, who);
  if (!rights.readAll && rights.departments.size === 0) throw new CenterError('forbidden', 'Only supervisors, administrators, analysts and department staff see improvements.');
  const rows = await db.query<Row>(
    `${SELECT} WHERE m.tenant_id = $1 AND ($2::text IS NULL OR m.department_id = $2) AND ($3::text IS NULL OR m.topic_id = $3) AND ($4::text IS NULL OR m.status = $4)
       AND (NOT $5 OR m.status NOT IN ('done', 'declined')) AND ($6 OR m.department_id = ANY($7::text[]))
     ORDER BY m.target_date NULLS LAST, m.created_at DESC LIMIT 500`,
    [who.tenantId, filter.department ?? null, filter.topic ?? null, filter.status ?? null, filter.open ?? false, rights.readAll, [...rights.departments]],
  );
  return rows.map(toImprovement);
}

export async function improvementWithItems(db: Db, who: Principal, id: string) {
  const m = await load(db, who.tenantId, id);
  if (!mayRead(who, await rightsOf(db, who), m.departmentId)) throw new CenterError('forbidden', "This improvement is another department's.");
  const items = await db.query<{ id: string; number: string | null; type: string; topic_id: string | null; status: string; raised_at: unknown; told_at: unknown }>(
    `SELECT v.id, v.number, v.type, v.topic_id, v.status, v.created_at AS raised_at, l.told_at
       FROM voc_improvement_items l JOIN voc_items v ON v.id = l.voc_id WHERE l.tenant_id = $1 AND l.improvement_id = $2 ORDER BY v.created_at DESC LIMIT 1000`,
    [who.tenantId, id],
  );
  return {
    improvement: m,
    items: items.map((i) => ({ id: i.id, number: i.number, type: i.type, topicId: i.topic_id, status: i.status, raisedAt: iso(i.raised_at), toldAt: i.told_at === null ? null : iso(i.told_at) })),
  };
}

export async function linkMore(db: Db, who: Principal, id: string, ids: readonly string[]): Promise<Improvement> {
  return db.tx(async (q) => {
    const m = await load(q, who.tenantId, id, true);
    if (!mayWork(who, await rightsOf(q, who), m.departmentId)) throw new CenterError('forbidden', 'Only its department, supervisors and administrators link items to an improvement.');
    if (m.status === 'declined') throw new CenterError('conflict', 'This improvement was declined; propose a new one for these items.');
    await linkItems(q, who.tenantId, id, ids);
    return load(q, who.tenantId, id);
  });
}

/** Moves it on; `announce` is told (after commit) when it is done. */
export async function changeStatus(db: Db, who: Principal, id: string, to: ImprovementStatus, reason: string | undefined, announce: (tenantId: string, a: ImprovementShared) => void): Promise<Improvement> {
  const r = await db.tx(async (q) => {
    const m = await load(q, who.tenantId, id, true);
    const rights = await rightsOf(q, who);
    const allowed = to === 'declined' || to === 'accepted' ? mayDecide(who, rights, m.departmentId) : mayWork(who, rights, m.departmentId);
    if (!allowed) throw new CenterError('forbidden', to === 'declined' || to === 'accepted' ? 'Only the lead of its department, supervisors and administrators accept or decline an improvement.' : 'Only its department, supervisors and administrators move an improvement on.');
    if (!NEXT[m.status].includes(to)) throw new CenterError('conflict', `An improvement that is ${m.status.replace('_', ' ')} cannot become ${to.replace('_', ' ')}${NEXT[m.status].length ? `; next is ${NEXT[m.status].join(' or ')}` : ''}.`);
    if (to === 'declined' && !reason) throw new CenterError('bad_request', 'Say why the improvement is declined.');
    await q.query(
      `UPDATE voc_improvements SET status = $3, declined_reason = $4, updated_at = now(), done_at = CASE WHEN $3 = 'done' THEN now() ELSE done_at END WHERE tenant_id = $1 AND id = $2`,
      [who.tenantId, id, to, to === 'declined' ? reason : null],
    );
    await audit(q, who, `improvement.${to}`, id);
    const after = await load(q, who.tenantId, id);
    const [dept] = await q.query<{ name: string }>('SELECT name FROM departments WHERE tenant_id = $1 AND id = $2', [who.tenantId, after.departmentId]);
    return { after, departmentName: dept?.name ?? after.departmentId };
  });
  if (to === 'done') {
    const m = r.after;
    announce(who.tenantId, {
      id: m.id,
      title: m.title,
      change: m.change,
      departmentId: m.departmentId,
      departmentName: r.departmentName,
      voices: m.linked,
      message: `Because customers told us: ${m.title} — ${r.departmentName}.`,
      doneAt: m.doneAt!,
    });
  }
  return r.after;
}

/** The customers to tell once it is done: one row per customer, with their items and whether told. */
export async function customersToTell(db: Db, who: Principal, id: string) {
  const m = await load(db, who.tenantId, id);
  if (!mayRead(who, await rightsOf(db, who), m.departmentId)) throw new CenterError('forbidden', "This improvement is another department's.");
  if (m.status !== 'done') throw new CenterError('conflict', 'Customers are told once the improvement is done.');
  const rows = await db.query<{ customer_id: string; name: string; phone: string | null; email: string | null; items: string[]; numbers: Array<string | null>; told: number; total: number }>(
    `SELECT c.id AS customer_id, c.display_name AS name,
            (SELECT value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'phone' ORDER BY value LIMIT 1) AS phone,
            (SELECT value FROM customer_identities i WHERE i.customer_id = c.id AND i.kind = 'email' ORDER BY value LIMIT 1) AS email,
            array_agg(v.id ORDER BY v.created_at) AS items, array_agg(v.number ORDER BY v.created_at) AS numbers,
            count(l.told_at)::int AS told, count(*)::int AS total
       FROM voc_improvement_items l JOIN voc_items v ON v.id = l.voc_id JOIN customers c ON c.id = COALESCE((SELECT merged_into FROM customers WHERE id = v.customer_id), v.customer_id)
      WHERE l.tenant_id = $1 AND l.improvement_id = $2
      GROUP BY c.id, c.display_name ORDER BY (count(l.told_at) = count(*)), c.display_name`,
    [who.tenantId, id],
  );
  return rows.map((r) => ({ customerId: r.customer_id, name: r.name, phone: r.phone, email: r.email, items: r.items, numbers: r.numbers, told: r.told === r.total }));
}

/** Records that the customers of these linked items were told (by call, SMS, email or letter). */
export async function recordTold(db: Db, who: Principal, id: string, items: readonly string[], via: NotifyChannel): Promise<number> {
  return db.tx(async (q) => {
    const m = await load(q, who.tenantId, id, true);
    if (!mayWork(who, await rightsOf(q, who), m.departmentId) && who.role !== 'agent') throw new CenterError('forbidden', 'Only agents, its department, supervisors and administrators record telling customers.');
    if (m.status !== 'done') throw new CenterError('conflict', 'Customers are told once the improvement is done.');
    const r = await q.query(
      `UPDATE voc_improvement_items SET told_at = now(), told_via = $4 WHERE tenant_id = $1 AND improvement_id = $2 AND voc_id = ANY($3::uuid[]) AND told_at IS NULL RETURNING voc_id`,
      [who.tenantId, id, items, via],
    );
    await audit(q, who, 'improvement.told', `${id} ${r.length}`);
    return r.length;
  });
}
