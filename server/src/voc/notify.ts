// Who hears about a VOC item's move at once (`voc:changed`, a refresh hint for desks) and about a
// passed deadline (`voc:overdue`): the item's owner and its department's members and lead; for an
// overdue urgent or safety item every supervisor too. Members are read from the database and kept
// for a short while (a department changes rarely; a move must not wait for a query).
import type { Logger } from 'pino';
import { EVENTS, type VocChanged, type VocOverdue } from '../../../shared/protocol';
import type { VocItem } from '../../../shared/domain';
import { errSummary } from '../base/log';
import type { Queryable } from '../db/db';
import type { Outlet } from '../io/rooms';
import type { ChangeInput } from '../sync/change-log';

const MEMBERS_TTL_MS = 30_000;

export function createVocNotifier(deps: { db: Queryable; outlet: Pick<Outlet, 'toAgent' | 'toSupervisors'>; log: Pick<Logger, 'warn'>; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const members = new Map<string, { at: number; users: Promise<Map<string, { members: string[]; lead: string | null }>> }>();
  const departmentsOf = (tenantId: string) => {
    const hit = members.get(tenantId);
    if (hit && now() - hit.at < MEMBERS_TTL_MS) return hit.users;
    const users = deps.db
      .query<{ id: string; lead_user_id: string | null; members: string[] | null }>(
        `SELECT d.id, d.lead_user_id, (SELECT array_agg(m.user_id::text) FROM department_members m WHERE m.tenant_id = d.tenant_id AND m.department_id = d.id) AS members
           FROM departments d WHERE d.tenant_id = $1`,
        [tenantId],
      )
      .then((rows) => new Map(rows.map((r) => [r.id, { members: r.members ?? [], lead: r.lead_user_id }])));
    members.set(tenantId, { at: now(), users });
    users.catch(() => members.delete(tenantId));
    return users;
  };
  const audience = async (tenantId: string, item: { departmentId: string | null; ownerUserId: string | null }): Promise<Set<string>> => {
    const users = new Set<string>();
    if (item.ownerUserId) users.add(item.ownerUserId);
    const dept = item.departmentId ? (await departmentsOf(tenantId)).get(item.departmentId) : undefined;
    for (const m of dept?.members ?? []) users.add(m);
    if (dept?.lead) users.add(dept.lead);
    return users;
  };
  const failed = (err: unknown) => deps.log.warn({ err: errSummary(err) }, 'a VOC desk notification was not sent; desks refresh on their next load');

  return {
    /** After a commit: the desks that show these items refresh. */
    itemsChanged(tenantId: string, changes: ReadonlyArray<ChangeInput>): void {
      // A grant's snapshot (userId set) is a copy for one desktop, not a move of the item.
      const items = changes.filter((c) => c.entity === 'voc_item' && c.data && !c.userId).map((c) => c.data as VocItem);
      if (items.length === 0) return;
      void (async () => {
        for (const item of items) {
          const payload: VocChanged = { id: item.id, number: item.number, status: item.status, departmentId: item.departmentId, ownerUserId: item.ownerUserId };
          for (const user of await audience(tenantId, item)) deps.outlet.toAgent(user, EVENTS.vocChanged, payload);
          deps.outlet.toSupervisors(tenantId, EVENTS.vocChanged, payload);
        }
      })().catch(failed);
    },
    /** A deadline passed: the owner and the lead at once; every supervisor for urgent or safety items. */
    overdue(tenantId: string, o: VocOverdue & { ownerUserId: string | null }): void {
      void (async () => {
        const dept = o.departmentId ? (await departmentsOf(tenantId)).get(o.departmentId) : undefined;
        const { ownerUserId, ...payload } = o;
        for (const user of new Set([ownerUserId, dept?.lead].filter((u): u is string => !!u))) deps.outlet.toAgent(user, EVENTS.vocOverdue, payload);
        if (o.priority === 'urgent' || o.safety) deps.outlet.toSupervisors(tenantId, EVENTS.vocOverdue, payload);
      })().catch(failed);
    },
    /** A department changed: read its members again. */
    forget(tenantId: string): void {
      members.delete(tenantId);
    },
  };
}
export type VocNotifier = ReturnType<typeof createVocNotifier>;
