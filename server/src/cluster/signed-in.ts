// Who is signed in across every center node: the agents a new CTI owner takes the floor over with,
// and the department members the VOC assigner may give an item to. A desktop may be connected to any
// node, so it asks all of them (socket.io fetchSockets, through the Redis adapter).
import { takesCalls } from '../auth/sessions';
import type { Server } from 'socket.io';
import { z } from 'zod';
import { Role } from '../../../shared/domain';
import { tenantRoom } from '../io/rooms';

/** What each node keeps in `socket.data` (io/socket.ts); it crosses Redis, so it is parsed here. */
const SignedIn = z.object({
  principal: z.object({ userId: z.string(), tenantId: z.string(), username: z.string(), role: Role, takesCalls: z.boolean().optional() }),
});

export interface ClusterAgent {
  userId: string;
  username: string;
  tenantId: string;
}

/** Everyone signed in on any node who takes calls (one entry per user), as their sockets' principals say. */
export async function signedInAgents(io: Server): Promise<Array<ClusterAgent & { role: Role; takesCalls: boolean }>> {
  const agents = new Map<string, ClusterAgent & { role: Role; takesCalls: boolean }>();
  for (const socket of await io.fetchSockets()) {
    const parsed = SignedIn.safeParse(socket.data);
    if (!parsed.success || !takesCalls(parsed.data.principal)) continue;
    const p = parsed.data.principal;
    agents.set(p.userId, { userId: p.userId, username: p.username, tenantId: p.tenantId, role: p.role, takesCalls: p.takesCalls === true });
  }
  return [...agents.values()];
}

/** Every user of the tenant with a desktop on any node (any role): who is present to be given work. */
export async function signedInUsers(io: Server, tenantId: string): Promise<Set<string>> {
  const users = new Set<string>();
  for (const socket of await io.in(tenantRoom(tenantId)).fetchSockets()) {
    const parsed = SignedIn.safeParse(socket.data);
    if (parsed.success && parsed.data.principal.tenantId === tenantId) users.add(parsed.data.principal.userId);
  }
  return users;
}
