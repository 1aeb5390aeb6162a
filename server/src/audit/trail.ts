// The audit trail read back, and administrators' own actions written into it. Who saw which customer
// is recorded where it happens: a lookup at the center (lookup/screen-pop.ts), a grant that delivered
// the customer to a user's desktops (sync/scope.ts), customers shown from a desktop's local copy and
// reported through sync (sync/mutations.ts, customer.viewed), a call linked to a customer
// (interaction.linkCustomer); sign-ins and failed sign-ins (auth/login.ts); administrators' commands
// (the CLI, the admin API) with `auditAdmin`.
import { hostname, userInfo } from 'node:os';
import type { Queryable } from '../db/db';

export interface AccessEntry {
  at: string;
  action: string;
  userId: string | null;
  /** The user's username then and now (null: a command line, or a user since deleted). */
  username: string | null;
  reason: string | null;
}

export const ACCESS_HISTORY_MAX = 1000;

/** Every audit row about one customer of the tenant, newest first. */
export async function readCustomerAccess(q: Queryable, tenantId: string, customerId: string, limit = 200): Promise<AccessEntry[]> {
  const rows = await q.query<{ at: Date | string; action: string; user_id: string | null; username: string | null; reason: string | null }>(
    `SELECT a.at, a.action, a.user_id::text AS user_id, u.username, a.reason
       FROM audit_log a LEFT JOIN users u ON u.id = a.user_id AND u.tenant_id = a.tenant_id
      WHERE a.tenant_id = $1 AND a.customer_id = $2::uuid
      ORDER BY a.at DESC, a.id DESC LIMIT $3`,
    [tenantId, customerId, Math.max(1, Math.min(limit, ACCESS_HISTORY_MAX))],
  );
  return rows.map((r) => ({ at: new Date(r.at).toISOString(), action: r.action, userId: r.user_id, username: r.username, reason: r.reason }));
}

/** Who ran a command line: the OS account (the one sudo was run from, if any) and the machine. */
export function commandLineActor(): string {
  let account = process.env.SUDO_USER ?? '';
  if (!account) {
    try {
      account = userInfo().username;
    } catch {
      account = 'unknown';
    }
  }
  return `command line (${account} on ${hostname()})`;
}

/**
 * An administrator's action, into the audit trail: `admin.<action>`, by a signed-in admin (`userId`)
 * or a command line (no user; `detail` says which account ran it). Never secrets in `detail`.
 */
export async function auditAdmin(
  q: Queryable,
  a: { tenantId: string; action: string; detail: string; userId?: string | null; customerId?: string | null },
): Promise<void> {
  await q.query('INSERT INTO audit_log (tenant_id, user_id, action, customer_id, reason) VALUES ($1, $2, $3, $4, $5)', [
    a.tenantId,
    a.userId ?? null,
    `admin.${a.action}`,
    a.customerId ?? null,
    a.detail.slice(0, 500),
  ]);
}
