// The CTI owner sees agents signed in on every node: two socket.io servers over a real Redis.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { redisForSuite } from '../../../tests/support/redis';
import { createClusterPresence } from './presence';
import { attachRedisAdapter, type ClusterLog } from './redis-adapter';

const redis = await redisForSuite();
const quiet: ClusterLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!redis.url)(`cluster presence${redis.skipReason ? ` (skipped: ${redis.skipReason})` : ''}`, () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  /** A node that signs sockets in as io/socket.ts does: principal in socket.data, tenant room joined. */
  async function node(): Promise<{ io: Server; url: string }> {
    const http = createServer();
    const io = new Server(http, { serveClient: false });
    io.use((socket, next) => {
      const { userId, username, role } = socket.handshake.auth as Record<string, string>;
      socket.data = { principal: { userId, tenantId: 't1', username, role, displayName: 'x', tokenHash: 'h', expiresAt: new Date() } };
      next();
    });
    io.on('connection', (socket) => void socket.join('tenant:t1'));
    const adapter = await attachRedisAdapter(io, redis.url as string, quiet);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    cleanup.push(async () => {
      await new Promise<void>((resolve) => void io.close(() => resolve()));
      await adapter.close();
    });
    return { io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
  }

  async function signIn(url: string, userId: string, role = 'agent'): Promise<ClientSocket> {
    const socket = connectClient(url, { auth: { userId, username: userId, role }, transports: ['websocket'], reconnection: false });
    cleanup.push(() => void socket.disconnect());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  it("lists agents on both nodes (not supervisors), once each, and puts the last offered at the back", async () => {
    const a = await node();
    const b = await node();
    await signIn(a.url, 'agent-on-a');
    await signIn(b.url, 'agent-on-b');
    await signIn(b.url, 'agent-on-b'); // a second desktop window of the same agent
    await signIn(b.url, 'supervisor-on-b', 'supervisor');
    const presence = createClusterPresence(a.io);
    // The adapter's subscriptions settle asynchronously: ask until node B answers (bounded).
    let seen: string[] = [];
    for (let attempt = 0; attempt < 50 && seen.length < 2; attempt++) {
      seen = (await presence.availableAgents('t1')).map((x) => x.userId);
      if (seen.length < 2) await new Promise((r) => setTimeout(r, 100));
    }
    expect([...seen].sort()).toEqual(['agent-on-a', 'agent-on-b']);
    const first = seen[0] as string;
    presence.offered(first);
    expect((await presence.availableAgents('t1')).map((x) => x.userId)).toEqual([seen[1], first]);
    expect(await presence.availableAgents('other-tenant')).toEqual([]);
    // Busy with a call for a minute: not offered another meanwhile.
    presence.offered(first, 60_000);
    expect((await presence.availableAgents('t1')).map((x) => x.userId)).toEqual([seen[1]]);
  });
});
