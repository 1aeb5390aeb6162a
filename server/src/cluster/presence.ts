// Who is signed in across every center node, for the CTI owner: an agent's desktop may be connected
// to any node, so the owner asks all of them (socket.io fetchSockets, through the Redis adapter).
import type { Server } from 'socket.io';
import { z } from 'zod';
import { Role } from '../../../shared/domain';

/** What each node keeps in `socket.data` (io/socket.ts); it crosses Redis, so it is parsed here. */
const SignedIn = z.object({
  principal: z.object({ userId: z.string(), tenantId: z.string(), username: z.string(), role: Role }),
});

export interface ClusterAgent {
  userId: string;
  username: string;
  tenantId: string;
}

export interface ClusterPresence {
  /** Agents with a desktop connected to any node, longest since their last offer (or sign-in seen) first. */
  availableAgents(tenantId: string): Promise<ClusterAgent[]>;
  /** The owner offered this agent a call they handle for `busyForMs`: not offered again until then, then last in idle order. */
  offered(userId: string, busyForMs?: number, at?: number): void;
}

export function createClusterPresence(io: Server): ClusterPresence {
  // Idle order is the owner's own memory: a new owner starts from the order it first sees agents in.
  const idleSince = new Map<string, number>();
  const busyUntil = new Map<string, number>();
  let tick = 0;
  const stamp = () => Date.now() * 1000 + (tick++ % 1000);
  return {
    async availableAgents(tenantId) {
      const at = Date.now();
      const agents = new Map<string, ClusterAgent>();
      for (const socket of await io.in(`tenant:${tenantId}`).fetchSockets()) {
        const parsed = SignedIn.safeParse(socket.data);
        if (!parsed.success) continue;
        const p = parsed.data.principal;
        if (p.role !== 'agent' || p.tenantId !== tenantId || (busyUntil.get(p.userId) ?? 0) > at) continue;
        agents.set(p.userId, { userId: p.userId, username: p.username, tenantId: p.tenantId });
        if (!idleSince.has(p.userId)) idleSince.set(p.userId, stamp());
      }
      return [...agents.values()].sort((a, b) => (idleSince.get(a.userId) ?? 0) - (idleSince.get(b.userId) ?? 0));
    },
    offered(userId, busyForMs = 0, at = Date.now()) {
      idleSince.set(userId, stamp());
      busyUntil.set(userId, Math.max(busyUntil.get(userId) ?? 0, at + busyForMs));
    },
  };
}

/** Every agent signed in on any node (one entry per user), as their sockets' principals say. */
export async function signedInAgents(io: Server): Promise<Array<ClusterAgent & { role: 'agent' }>> {
  const agents = new Map<string, ClusterAgent & { role: 'agent' }>();
  for (const socket of await io.fetchSockets()) {
    const parsed = SignedIn.safeParse(socket.data);
    if (!parsed.success || parsed.data.principal.role !== 'agent') continue;
    const p = parsed.data.principal;
    agents.set(p.userId, { userId: p.userId, username: p.username, tenantId: p.tenantId, role: 'agent' });
  }
  return [...agents.values()];
}
