// Tenants and users: creation, disabling, password resets (the CLI and demo seeding call these).
import { randomUUID } from 'node:crypto';
import { Role } from '../../../shared/domain';
import type { Queryable } from '../db/db';
import { hashPassword } from './passwords';

export interface UserRecord {
  id: string;
  tenantId: string;
  username: string;
  displayName: string;
  role: Role;
  /** Supervisors and admins who also take calls. */
  takesCalls: boolean;
  disabled: boolean;
}

export class UserError extends Error {}

/** The shortest password a new or reset password may be (issue 21; demo seeding is exempt). */
export const MIN_PASSWORD_CHARS = 12;
function checkNewPassword(password: string): void {
  if (password.length < MIN_PASSWORD_CHARS) {
    throw new UserError(`The password is too short: use at least ${MIN_PASSWORD_CHARS} characters (a few words make one easy to remember).`);
  }
}

export async function ensureTenant(q: Queryable, t: { id: string; name: string; timeZone: string }): Promise<boolean> {
  const rows = await q.query(
    'INSERT INTO tenants (id, name, time_zone) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id',
    [t.id, t.name, t.timeZone],
  );
  return rows.length > 0;
}

export async function tenantExists(q: Queryable, tenantId: string): Promise<boolean> {
  return (await q.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId])).length > 0;
}

export async function addUser(
  q: Queryable,
  u: { tenantId: string; username: string; displayName: string; role: Role; password: string },
): Promise<UserRecord> {
  const role = Role.safeParse(u.role);
  if (!role.success) throw new UserError(`Unknown role "${u.role}": use ${Role.options.join(', ')}.`);
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(u.username)) {
    throw new UserError('A username is 1-64 letters, digits or . _ @ -; choose another.');
  }
  checkNewPassword(u.password);
  if (!(await tenantExists(q, u.tenantId))) {
    throw new UserError(`Tenant "${u.tenantId}" does not exist: create it first (tenant add --id ${u.tenantId} --name NAME).`);
  }
  const id = randomUUID();
  const rows = await q.query<{ id: string }>(
    `INSERT INTO users (id, tenant_id, username, display_name, role, password_hash)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant_id, username) DO NOTHING RETURNING id`,
    [id, u.tenantId, u.username, u.displayName, role.data, await hashPassword(u.password)],
  );
  if (rows.length === 0) throw new UserError(`User "${u.username}" already exists in tenant "${u.tenantId}".`);
  return { id, tenantId: u.tenantId, username: u.username, displayName: u.displayName, role: role.data, takesCalls: false, disabled: false };
}

/**
 * Whether a supervisor or admin also takes calls: their desktop then offers the agent's view and the
 * floor counts them as an agent once they sign in. Agents always take calls; department staff never do.
 */
export async function setTakesCalls(q: Queryable, tenantId: string, username: string, on: boolean): Promise<UserRecord> {
  const user = await requireUser(q, tenantId, username);
  if (user.role !== 'supervisor' && user.role !== 'admin') {
    const is = { agent: 'an agent, who always takes calls', staff: 'department staff, who work the VOC desk and take no calls', analyst: 'an analyst, who reads the VOC analysis only' }[user.role];
    throw new UserError(`${username} is ${is}; only supervisors and admins are set to take calls.`);
  }
  await q.query('UPDATE users SET takes_calls = $2 WHERE id = $1', [user.id, on]);
  return { ...user, takesCalls: on };
}

/** Disables the user and revokes every session they hold. */
export async function disableUser(q: Queryable, tenantId: string, username: string): Promise<UserRecord> {
  const user = await requireUser(q, tenantId, username);
  await q.query('UPDATE users SET disabled = true WHERE id = $1', [user.id]);
  await q.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
  return { ...user, disabled: true };
}

/** Sets a new password and revokes existing sessions (whoever held the old one is signed out). */
export async function resetPassword(q: Queryable, tenantId: string, username: string, password: string): Promise<UserRecord> {
  checkNewPassword(password);
  const user = await requireUser(q, tenantId, username);
  await q.query('UPDATE users SET password_hash = $2 WHERE id = $1', [user.id, await hashPassword(password)]);
  await q.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
  return user;
}

/**
 * Lifts the user's sign-in ceiling (login.ts): their next sign-in is not refused for the failures
 * counted so far. `by` says who lifted it, for the record.
 */
export async function liftSignInLimit(q: Queryable, tenantId: string, username: string, by: string): Promise<UserRecord> {
  const user = await requireUser(q, tenantId, username);
  await q.query(
    `INSERT INTO sign_in_lifts (user_id, lifted_by, lifted_at) VALUES ($1, $2, now())
     ON CONFLICT (user_id) DO UPDATE SET lifted_by = EXCLUDED.lifted_by, lifted_at = EXCLUDED.lifted_at`,
    [user.id, by],
  );
  return user;
}

interface UserRow {
  id: string;
  tenant_id: string;
  username: string;
  display_name: string;
  role: Role;
  takes_calls: boolean;
  disabled: boolean;
  password_hash: string;
}
const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  takesCalls: r.takes_calls,
  disabled: r.disabled,
});

export async function findUser(q: Queryable, tenantId: string, username: string): Promise<(UserRecord & { passwordHash: string }) | null> {
  const rows = await q.query<UserRow>(
    'SELECT id, tenant_id, username, display_name, role, takes_calls, disabled, password_hash FROM users WHERE tenant_id = $1 AND username = $2',
    [tenantId, username],
  );
  const r = rows[0];
  return r ? { ...toUser(r), passwordHash: r.password_hash } : null;
}

async function requireUser(q: Queryable, tenantId: string, username: string): Promise<UserRecord> {
  const user = await findUser(q, tenantId, username);
  if (!user) throw new UserError(`No user "${username}" in tenant "${tenantId}": check the spelling (user add creates one).`);
  return user;
}
