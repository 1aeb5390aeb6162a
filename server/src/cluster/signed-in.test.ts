// The CTI owner sees agents signed in on every node: two socket.io servers over a real Redis.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import { redisForSuite } from '../../../tests/support/redis';
import { signedInAgents } from './signed-in';
import { attachRedisAdapter, type ClusterLog } from './redis-adapter';

const redis = await redisForSuite();
const quiet: ClusterLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe.skipIf(!redis.url)(`agents signed in on any node${redis.skipReason ? ` (skipped: ${redis.skipReason})` : ''}`, () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const c of cleanup.reverse()) await c();
  });

  /** A node that signs sockets in as io/socket.ts does: principal in socket.data, tenant room joined. */
  async function node(): Promise<{ io: Server; url: string }> {
    const http = createServer();
    const io = new Server(http, { serveClient: false });
    io.use((socket, next) => {
      const { userId, username, role, takesCalls } = socket.handshake.auth as Record<string, string>;
      socket.data = { principal: { userId, tenantId: 't1', username, role, takesCalls: takesCalls === 'yes', displayName: 'x', tokenHash: 'h', expiresAt: new Date() } };
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

  async function signIn(url: string, userId: string, role = 'agent', takesCalls = false): Promise<ClientSocket> {
    const socket = connectClient(url, { auth: { userId, username: userId, role, takesCalls: takesCalls ? 'yes' : 'no' }, transports: ['websocket'], reconnection: false });
    cleanup.push(() => void socket.disconnect());
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  it('lists who takes calls signed in on either node (agents, a supervisor who takes calls too; not the others), once each, with their tenants', async () => {
    const a = await node();
    const b = await node();
    await signIn(a.url, 'agent-on-a');
    await signIn(b.url, 'agent-on-b');
    await signIn(b.url, 'agent-on-b'); // a second desktop window of the same agent
    await signIn(b.url, 'supervisor-on-b', 'supervisor');
    await signIn(a.url, 'lead-on-a', 'supervisor', true);
    // The adapter's subscriptions settle asynchronously: ask until node B answers (bounded).
    let seen: Awaited<ReturnType<typeof signedInAgents>> = [];
    for (let attempt = 0; attempt < 50 && seen.length < 3; attempt++) {
      seen = await signedInAgents(a.io);
      if (seen.length < 3) await new Promise((r) => setTimeout(r, 100));
    }
    expect([...seen].sort((x, y) => x.userId.localeCompare(y.userId))).toEqual([
      { userId: 'agent-on-a', username: 'agent-on-a', tenantId: 't1', role: 'agent', takesCalls: false },
      { userId: 'agent-on-b', username: 'agent-on-b', tenantId: 't1', role: 'agent', takesCalls: false },
      { userId: 'lead-on-a', username: 'lead-on-a', tenantId: 't1', role: 'supervisor', takesCalls: true },
    ]);
    // Asked from the other node, the same picture.
    expect((await signedInAgents(b.io)).map((x) => x.userId).sort()).toEqual(['agent-on-a', 'agent-on-b', 'lead-on-a']);
  });
});
