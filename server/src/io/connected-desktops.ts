// Which users have a desktop connected to this node, socket by socket: an agent's last window
// closing (not the first of two) starts the floor's grace period.

/**
 * A desktop that has just connected is not rung at once: its event handlers are attached as its
 * connect resolves, and a ring in the same network read would be lost (then the agent sits out a
 * whole simulated handle time with no call on screen). The ACD simulator waits this long.
 */
export const CONNECT_SETTLE_MS = 500;

export function createConnectedDesktops() {
  const socketsOf = new Map<string, Set<string>>();
  return {
    connected(userId: string, socketId: string): void {
      const sockets = socketsOf.get(userId) ?? new Set<string>();
      sockets.add(socketId);
      socketsOf.set(userId, sockets);
    },
    /** Returns true when this was the user's last desktop on this node. */
    disconnected(userId: string, socketId: string): boolean {
      const sockets = socketsOf.get(userId);
      if (!sockets) return false;
      sockets.delete(socketId);
      if (sockets.size > 0) return false;
      socketsOf.delete(userId);
      return true;
    },
    isConnected(userId: string): boolean {
      return (socketsOf.get(userId)?.size ?? 0) > 0;
    },
  };
}
export type ConnectedDesktops = ReturnType<typeof createConnectedDesktops>;
