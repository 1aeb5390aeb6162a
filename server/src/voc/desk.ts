// What the VOC desk reads from the center: the queue (my items, a department's, or every one for a
// supervisor) in the desk's order — overdue first, then the nearest running deadline — with filters
// and keyset pages; and one item's page with its history, customer, contact and the actions the
// person may take. Staff see their departments' items and their own; supervisors and admins every
// item of the tenant; agents any item (they pop any customer anyway).
import { availableVocActions, type VocStatus } from '../../../shared/domain';
import type { VocItemPage, VocQueueEntry, VocQueueRequest, VocQueueResponse } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import { CenterError } from '../base/errors';
import type { Queryable } from '../db/db';
import { isoSql, loadCustomers, loadInteractions, vocItemJson } from '../db/records';
import { vocActor } from './actor';

const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OPEN = `v.status NOT IN ('closed', 'withdrawn')`;

const supervising = (who: Principal) => who.role === 'supervisor' || who.role === 'admin';

/** Keyset position: (not overdue, due or infinity, id). */
const encode = (r: { overdue: boolean; next_due: string | null; id: string }) => Buffer.from(JSON.stringify([r.overdue ? 0 : 1, r.next_due ?? 'infinity', r.id])).toString('base64url');
function decode(after: string): [number, string, string] {
  try {
    const v = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as unknown;
    const ok =
      Array.isArray(v) && v.length === 3 && (v[0] === 0 || v[0] === 1) && typeof v[1] === 'string' && (v[1] === 'infinity' || !Number.isNaN(Date.parse(v[1]))) && typeof v[2] === 'string' && UUID.test(v[2]);
    if (ok) return v as [number, string, string];
  } catch {
    // falls through
  }
  throw new CenterError('bad_request', 'The page cursor is not one this center handed out; load the queue from its start.');
}

export async function vocQueue(q: Queryable, who: Principal, req: VocQueueRequest): Promise<VocQueueResponse> {
  const actor = await vocActor(q, who);
  const params: unknown[] = [who.tenantId];
  const p = (value: unknown) => `$${params.push(value)}`;
  let scope: string;
  if (req.scope === 'mine') {
    scope = `v.owner_user_id = ${p(who.userId)}::uuid`;
  } else if (req.scope === 'all') {
    if (!supervising(who)) throw new CenterError('forbidden', 'Only supervisors and administrators see every department\'s queue; choose My items or your department.');
    scope = 'true';
  } else {
    const mine = [...actor.memberOf];
    if (req.departmentId !== undefined && !actor.memberOf.has(req.departmentId) && !supervising(who)) {
      throw new CenterError('forbidden', `You are not a member of the department "${req.departmentId}"; choose one of yours.`);
    }
    const departments = req.departmentId !== undefined ? [req.departmentId] : mine;
    if (departments.length === 0) return { items: [], next: null, overdueCount: 0 };
    scope = departments.length === 1 ? `v.department_id = ${p(departments[0])}` : `v.department_id = ANY(${p(departments)}::text[])`;
  }
  const base = `v.tenant_id = $1 AND ${OPEN} AND ${scope}`;
  // The badge counts the whole scope, whatever the filters: its parameters are the scope's alone.
  const countParams = [...params];
  const filters: string[] = [];
  if (req.types?.length) filters.push(`v.type = ANY(${p(req.types)}::text[])`);
  if (req.priorities?.length) filters.push(`v.priority = ANY(${p(req.priorities)}::text[])`);
  if (req.statuses?.length) filters.push(`v.status = ANY(${p(req.statuses)}::text[])`);
  if (req.topicId !== undefined) filters.push(`(v.topic_id = ${p(req.topicId)} OR v.topic_id LIKE ${p(`${req.topicId.replace(/[\\%_]/g, '\\$&')}/%`)})`);
  if (req.unclassified) filters.push('v.topic_id IS NULL');
  if (req.overdueOnly) filters.push('v.overdue');
  if (req.dueFrom !== undefined) filters.push(`v.next_due >= ${p(new Date(req.dueFrom))}`);
  if (req.dueTo !== undefined) filters.push(`v.next_due < ${p(new Date(req.dueTo))}`);
  const overdueCountSql = `SELECT count(*)::int AS n FROM voc_items v WHERE ${base} AND v.overdue`;
  if (req.after) {
    const [notOverdue, due, id] = decode(req.after);
    filters.push(`((NOT v.overdue), COALESCE(v.next_due, 'infinity'), v.id) > (${p(notOverdue === 1)}::boolean, ${p(due)}::timestamptz, ${p(id)}::uuid)`);
  }
  const limit = req.limit ?? PAGE;
  const rows = await q.query<{ item: VocQueueEntry | string; customer_name: string | null; next_due: string | null; overdue: boolean; id: string }>(
    `SELECT ${vocItemJson('v')} AS item, (SELECT c.display_name FROM customers c WHERE c.id = v.customer_id) AS customer_name,
            ${isoSql('v.next_due')} AS next_due, v.overdue, v.id
       FROM voc_items v
      WHERE ${[base, ...filters].join(' AND ')}
      ORDER BY (NOT v.overdue), COALESCE(v.next_due, 'infinity'), v.id
      LIMIT ${p(limit + 1)}`,
    params,
  );
  const [count] = await q.query<{ n: number }>(overdueCountSql, countParams);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({ ...(typeof r.item === 'string' ? JSON.parse(r.item) : r.item), customerName: r.customer_name, nextDue: r.next_due, overdue: r.overdue })),
    next: rows.length > limit ? encode(page[page.length - 1]!) : null,
    overdueCount: count?.n ?? 0,
  };
}

/** One item's page, for someone who may see it. */
export async function vocItemPage(q: Queryable, who: Principal, id: string): Promise<VocItemPage> {
  const [row] = await q.query<{ item: VocItemPage['item'] | string; customer_id: string; interaction_id: string | null; department_id: string | null; owner_user_id: string | null; status: VocStatus }>(
    `SELECT ${vocItemJson('v')} AS item, v.customer_id, v.interaction_id, v.department_id, v.owner_user_id, v.status
       FROM voc_items v WHERE v.tenant_id = $1 AND v.id = $2`,
    [who.tenantId, id],
  );
  const missing = () => new CenterError('not_found', 'There is no such VOC item in your tenant (it may have been raised on a desktop that has not synced yet).');
  if (!row) throw missing();
  const actor = await vocActor(q, who);
  const state = { status: row.status, departmentId: row.department_id, ownerUserId: row.owner_user_id };
  if (who.role === 'staff' && row.owner_user_id !== who.userId && !(row.department_id !== null && actor.memberOf.has(row.department_id))) throw missing();
  const history = await q.query<{ at: string; by_name: string; action: string; from_status: VocStatus | null; to_status: VocStatus; reason: string | null }>(
    `SELECT ${isoSql('at')} AS at, by_name, action, from_status, to_status, reason FROM voc_history WHERE tenant_id = $1 AND voc_id = $2 ORDER BY id`,
    [who.tenantId, id],
  );
  const [customer] = await loadCustomers(q, who.tenantId, [row.customer_id]);
  const [contact] = row.interaction_id ? await loadInteractions(q, who.tenantId, [row.interaction_id]) : [];
  return {
    item: typeof row.item === 'string' ? JSON.parse(row.item) : row.item,
    history: history.map((h) => ({ at: h.at, by: h.by_name, action: h.action, from: h.from_status, to: h.to_status, reason: h.reason })),
    customer: customer!,
    contact: contact ?? null,
    actions: availableVocActions(state, actor),
  };
}
