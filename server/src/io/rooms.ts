// The socket.io rooms every desktop joins, and the one way the center's rooms send to them. With
// several nodes, the Redis adapter carries a room's emits to every node.
import type { Server } from 'socket.io';
import { EVENTS } from '../../../shared/protocol';

/** Every desktop of the user. */
export const agentRoom = (userId: string) => `agent:${userId}`;
/** Every desktop of the tenant (agents, supervisors, admins). */
export const tenantRoom = (tenantId: string) => `tenant:${tenantId}`;
/** The tenant's supervisors and admins: agent state changes and queue metrics go there. */
export const supervisorsRoom = (tenantId: string) => `supervisors:${tenantId}`;
/** Every socket signed in with one session (hung up together when it ends). */
export const sessionRoom = (tokenHash: string) => `session:${tokenHash}`;

/** Where the center's rooms send pushes: socket.io rooms in the center, a recorder in unit tests. */
export interface Outlet {
  toAgent(userId: string, event: string, payload: unknown): void;
  toSupervisors(tenantId: string, event: string, payload: unknown): void;
  toTenant(tenantId: string, event: string, payload: unknown): void;
  /** `sync:poke {version}` to each user's room (sync/poke.ts decides who). */
  pokeUsers(userIds: readonly string[], version: string): void;
  /** `sync:poke {version}` to every desktop of the tenant. */
  pokeTenant(tenantId: string, version: string): void;
}

export function createOutlet(io: Server): Outlet {
  return {
    toAgent: (userId, event, payload) => void io.to(agentRoom(userId)).emit(event, payload),
    toSupervisors: (tenantId, event, payload) => void io.to(supervisorsRoom(tenantId)).emit(event, payload),
    toTenant: (tenantId, event, payload) => void io.to(tenantRoom(tenantId)).emit(event, payload),
    pokeUsers(userIds, version) {
      if (userIds.length > 0) io.to(userIds.map(agentRoom)).emit(EVENTS.poke, { version });
    },
    pokeTenant(tenantId, version) {
      io.to(tenantRoom(tenantId)).emit(EVENTS.poke, { version });
    },
  };
}
