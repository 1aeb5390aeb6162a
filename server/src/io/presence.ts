// Which agents have a desktop connected and no call in hand, longest idle first (the simple offer simulator's routing).
import type { Role } from '../../../shared/domain';

interface Present {
  userId: string;
  tenantId: string;
  username: string;
  role: Role;
  sockets: Set<string>;
  /** When the agent last became idle: connected, or last offered a call. */
  idleSince: number;
  /** Wall-clock ms until which the agent is handling an offered call and must not be offered another. */
  busyUntil: number;
}

/**
 * A desktop that has just connected is not offered a call at once: its event handlers are attached
 * as its connect resolves, and an offer in the same network read would be lost (then the agent sits
 * out a whole simulated handle time with no call on screen).
 */
export const CONNECT_SETTLE_MS = 500;

export function createPresence() {
  const users = new Map<string, Present>();
  let tick = 0; // ties in Date.now() must still order
  const now = () => Date.now() * 1000 + (tick++ % 1000);
  return {
    connected(u: { userId: string; tenantId: string; username: string; role: Role }, socketId: string, at = Date.now()): void {
      const p = users.get(u.userId) ?? { ...u, sockets: new Set<string>(), idleSince: now(), busyUntil: at + CONNECT_SETTLE_MS };
      p.sockets.add(socketId);
      users.set(u.userId, p);
    },
    disconnected(userId: string, socketId: string): void {
      const p = users.get(userId);
      if (!p) return;
      p.sockets.delete(socketId);
      if (p.sockets.size === 0) users.delete(userId);
    },
    /** Agents with a connected socket and no call in hand, longest idle first; optionally of one tenant. */
    availableAgents(tenantId?: string, at = Date.now()): Array<{ userId: string; username: string; tenantId: string }> {
      return [...users.values()]
        .filter((p) => p.role === 'agent' && p.sockets.size > 0 && p.busyUntil <= at && (!tenantId || p.tenantId === tenantId))
        .sort((a, b) => a.idleSince - b.idleSince)
        .map((p) => ({ userId: p.userId, username: p.username, tenantId: p.tenantId }));
    },
    /** The agent was offered a call they will be handling for `busyForMs` (ring + talk + wrap-up). */
    offered(userId: string, busyForMs = 0, at = Date.now()): void {
      const p = users.get(userId);
      if (!p) return;
      p.idleSince = now();
      p.busyUntil = Math.max(p.busyUntil, at + busyForMs);
    },
    isConnected(userId: string): boolean {
      return (users.get(userId)?.sockets.size ?? 0) > 0;
    },
    tenantOf(userId: string): string | undefined {
      return users.get(userId)?.tenantId;
    },
  };
}
export type Presence = ReturnType<typeof createPresence>;
