// Who a person is to the VOC workflow: their role, the departments they are in, those they lead.
import type { VocActor } from '../../../shared/domain';
import type { Principal } from '../auth/sessions';
import type { Queryable } from '../db/db';

/** The person's departments (member or lead) and those they lead. */
export async function vocActor(q: Queryable, who: Principal): Promise<VocActor> {
  const rows = await q.query<{ department_id: string; leads: boolean }>(
    `SELECT m.department_id, d.lead_user_id IS NOT DISTINCT FROM m.user_id AS leads FROM department_members m
       JOIN departments d ON d.tenant_id = m.tenant_id AND d.id = m.department_id
      WHERE m.tenant_id = $1 AND m.user_id = $2
     UNION SELECT id, true FROM departments WHERE tenant_id = $1 AND lead_user_id = $2`,
    [who.tenantId, who.userId],
    { prepare: true },
  );
  return {
    userId: who.userId,
    role: who.role,
    memberOf: new Set(rows.map((r) => r.department_id)),
    leads: new Set(rows.filter((r) => r.leads).map((r) => r.department_id)),
  };
}

