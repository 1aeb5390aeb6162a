// The workflow's view of a voc_items row: read for update, changed in memory, written back whole with
// its desk order, one history row per move, and the item logged for the desktops that see it.
import { type CustomerWant, type DeadlineKind, type FollowUpOutcome, type NotifyChannel, type VocPriority, type VocStatus, type VocType } from '../../../shared/domain';
import type { Queryable } from '../db/db';
import { loadVocItems } from '../db/records';
import type { ChangeTx } from '../sync/change-log';
import { deskOrder, type Clocks } from './clocks';

export interface WorkItem extends Clocks {
  id: string;
  tenantId: string;
  customerId: string;
  interactionId: string | null;
  type: VocType;
  topic: string;
  topicId: string | null;
  priority: VocPriority;
  safety: boolean;
  wants: CustomerWant | null;
  status: VocStatus;
  number: string | null;
  departmentId: string | null;
  ownerUserId: string | null;
  createdAt: Date;
  createdByUserId: string | null;
  result: string | null;
  remedy: string | null;
  notifiedVia: NotifyChannel | null;
  followUpOutcome: FollowUpOutcome | null;
  revision: number;
  /** Times reopened (dissatisfied, or the customer rejected the result): the analysis' reopen rate. */
  reopens: number;
}

interface Row {
  id: string;
  tenant_id: string;
  customer_id: string;
  interaction_id: string | null;
  type: VocType;
  topic: string;
  topic_id: string | null;
  priority: VocPriority;
  safety: boolean;
  wants: CustomerWant | null;
  status: VocStatus;
  number: string | null;
  department_id: string | null;
  owner_user_id: string | null;
  created_at: Date | string;
  created_by_user_id: string | null;
  result: string | null;
  remedy: string | null;
  notified_via: NotifyChannel | null;
  follow_up_outcome: FollowUpOutcome | null;
  revision: number;
  reopens: number;
  clock_started_at: Date | string | null;
  paused_since: Date | string | null;
  paused_minutes: number;
  acknowledge_due: Date | string | null;
  resolve_due: Date | string | null;
  notify_due: Date | string | null;
  acknowledged_at: Date | string | null;
  resolved_at: Date | string | null;
  notified_at: Date | string | null;
  acknowledge_overdue: boolean;
  resolve_overdue: boolean;
  notify_overdue: boolean;
}

const date = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

const COLUMNS = `id, tenant_id, customer_id, interaction_id, type, topic, topic_id, priority, safety, wants, status, number,
  department_id, owner_user_id, created_at, created_by_user_id, result, remedy, notified_via, follow_up_outcome, revision,
  clock_started_at, paused_since, paused_minutes, acknowledge_due, resolve_due, notify_due, acknowledged_at, resolved_at,
  notified_at, acknowledge_overdue, resolve_overdue, notify_overdue, reopens`;

function toWorkItem(r: Row): WorkItem {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    customerId: r.customer_id,
    interactionId: r.interaction_id,
    type: r.type,
    topic: r.topic,
    topicId: r.topic_id,
    priority: r.priority,
    safety: r.safety,
    wants: r.wants,
    status: r.status,
    number: r.number,
    departmentId: r.department_id,
    ownerUserId: r.owner_user_id,
    createdAt: new Date(r.created_at),
    createdByUserId: r.created_by_user_id,
    result: r.result,
    remedy: r.remedy,
    notifiedVia: r.notified_via,
    followUpOutcome: r.follow_up_outcome,
    revision: r.revision,
    reopens: r.reopens,
    clockStartedAt: date(r.clock_started_at),
    pausedSince: date(r.paused_since),
    pausedMinutes: Number(r.paused_minutes),
    due: { acknowledge: date(r.acknowledge_due), resolve: date(r.resolve_due), notify: date(r.notify_due) },
    met: { acknowledge: date(r.acknowledged_at), resolve: date(r.resolved_at), notify: date(r.notified_at) },
    overdue: { acknowledge: r.acknowledge_overdue, resolve: r.resolve_overdue, notify: r.notify_overdue },
  };
}

/** Items of the tenant, locked until the transaction ends (two people acting at once: one waits, then sees the other's move). */
export async function lockItems(q: Queryable, tenantId: string, ids: readonly string[]): Promise<WorkItem[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM voc_items WHERE tenant_id = $1 AND id = ANY($2::uuid[]) ORDER BY id FOR UPDATE`, [tenantId, ids]);
  return rows.map(toWorkItem);
}

/** Writes the item's workflow columns back, with its desk order and a new revision. */
export async function saveItem(q: Queryable, it: WorkItem, now: Date): Promise<void> {
  const order = deskOrder(it);
  const k = (kind: DeadlineKind) => [it.due[kind], it.met[kind], it.overdue[kind]];
  await q.query(
    `UPDATE voc_items SET type = $3, topic_id = $4, priority = $5, safety = $6, wants = $7, status = $8, number = $9,
            department_id = $10, owner_user_id = $11, result = $12, remedy = $13, notified_via = $14, follow_up_outcome = $15,
            clock_started_at = $16, paused_since = $17, paused_minutes = $18,
            acknowledge_due = $19, acknowledged_at = $20, acknowledge_overdue = $21,
            resolve_due = $22, resolved_at = $23, resolve_overdue = $24,
            notify_due = $25, notified_at = $26, notify_overdue = $27,
            overdue = $28, next_due = $29, revision = revision + 1, updated_at = $30, reopens = $31
      WHERE tenant_id = $1 AND id = $2`,
    [
      it.tenantId,
      it.id,
      it.type,
      it.topicId,
      it.priority,
      it.safety,
      it.wants,
      it.status,
      it.number,
      it.departmentId,
      it.ownerUserId,
      it.result,
      it.remedy,
      it.notifiedVia,
      it.followUpOutcome,
      it.clockStartedAt,
      it.pausedSince,
      it.pausedMinutes,
      ...k('acknowledge'),
      ...k('resolve'),
      ...k('notify'),
      order.overdue,
      order.nextDue,
      now,
      it.reopens,
    ],
    { prepare: true },
  );
}

export interface HistoryEntry {
  vocId: string;
  byUserId: string | null;
  byName: string;
  action: string;
  from: VocStatus | null;
  to: VocStatus;
  reason?: string | null;
  data?: unknown;
  mutationId?: string | null;
  /** When it happened (default: now). */
  at?: Date;
}

/** Appends history rows (never updated, never deleted). */
export async function appendHistory(q: Queryable, tenantId: string, entries: readonly HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const col = <T>(f: (e: HistoryEntry) => T) => entries.map(f);
  await q.query(
    `INSERT INTO voc_history (tenant_id, voc_id, by_user_id, by_name, action, from_status, to_status, reason, data, mutation_id, at)
     SELECT $1, u.voc_id, u.by_user_id, u.by_name, u.action, u.from_status, u.to_status, u.reason, u.data, u.mutation_id, COALESCE(u.at, now())
       FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::jsonb[], $10::uuid[], $11::timestamptz[])
            WITH ORDINALITY AS u(voc_id, by_user_id, by_name, action, from_status, to_status, reason, data, mutation_id, at, ord)
      ORDER BY u.ord`,
    [
      tenantId,
      col((e) => e.vocId),
      col((e) => e.byUserId),
      col((e) => e.byName),
      col((e) => e.action),
      col((e) => e.from),
      col((e) => e.to),
      col((e) => e.reason ?? null),
      col((e) => (e.data === undefined ? null : JSON.stringify(e.data))),
      col((e) => e.mutationId ?? null),
      col((e) => e.at ?? null),
    ],
    { prepare: true },
  );
}

/** Logs the items as they now are, for the desktops that have their customers. */
export async function recordItems(tx: ChangeTx, ids: readonly string[]): Promise<void> {
  for (const v of await loadVocItems(tx.q, tx.tenantId, { ids })) {
    tx.record({ entity: 'voc_item', id: v.id, op: 'upsert', data: v, customerId: v.customerId });
  }
}

/** Who acted, as the history and the pushes name them: a person, or the center itself. */
export const CENTER = { userId: null, name: 'Earshot center' } as const;
