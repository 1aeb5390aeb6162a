// How a room offers socket events to desktops: per event, the roles that may send it, the zod schema
// its payload must pass, and the handler. The socket layer (socket.ts) checks the session and role,
// parses, calls the handler and acks; a room never sees a raw payload.
import type { z } from 'zod';
import type { Role } from '../../../shared/domain';
import { takesCalls, type Principal } from '../auth/sessions';

/** In an event's roles: whoever takes calls (agents, and supervisors or admins set to take calls too). */
export const TAKES_CALLS = 'takes_calls' as const;

export interface EventSpec<S extends z.ZodTypeAny> {
  roles: readonly (Role | typeof TAKES_CALLS)[];
  schema: S;
  handle(who: Principal, req: z.infer<S>): Promise<unknown>;
}
export type EventTable = Record<string, EventSpec<z.ZodTypeAny>>;

/** Keeps the handler's argument typed by its schema while the table holds every kind. */
export const spec = <S extends z.ZodTypeAny>(s: EventSpec<S>): EventSpec<z.ZodTypeAny> => s as EventSpec<z.ZodTypeAny>;

/** Every role that works with customers' records over the socket; not `analyst`, who reads the analysis API only. */
export const ANY_ROLE: readonly Role[] = ['agent', 'supervisor', 'admin', 'staff'];
export const SUPERVISING: readonly Role[] = ['supervisor', 'admin'];
/** The events of taking calls: agent state, call control. */
export const CALL_TAKERS = ['agent', TAKES_CALLS] as const;

/** Whether `who` may send an event offered to `roles`. */
export const mayUse = (roles: EventSpec<z.ZodTypeAny>['roles'], who: Pick<Principal, 'role' | 'takesCalls'>): boolean =>
  roles.includes(who.role) || (roles.includes(TAKES_CALLS) && takesCalls(who));
