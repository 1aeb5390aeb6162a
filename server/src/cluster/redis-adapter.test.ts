// Two socket.io servers joined by the Redis adapter over a real redis-server on 127.0.0.1.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connectClient, type Socket as ClientSocket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, redisForSuite, startThrowawayRedis } from '../../../tests/support/redis';
import { attachRedisAdapter, redisWhere, type ClusterLog } from './redis-adapter';

const redis = await redisForSuite();

interface Node {
  io: Server;
  http: HttpServer;
  url: string;
  adapter: { close(): Promise<void> } | null;
}
const logged: Array<{ level: string; fields: Record<string, unknown>; message: string }> = [];
const log: ClusterLog = {
  info: (fields, message) => logged.push({ level: 'info', fields, message }),
  warn: (fields, message) => logged.push({ level: 'warn', fields, message }),
  error: (fields, message) => logged.push({ level: 'error', fields, message }),
};

const nodes: Node[] = [];
const clients: ClientSocket[] = [];

async function startNode(redisUrl: string | null): Promise<Node> {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  io.on('connection', (socket) => {
    const room = socket.handshake.auth.room;
    if (typeof room === 'string') void socket.join(room);
  });
  const adapter = redisUrl ? await attachRedisAdapter(io, redisUrl, log) : null;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const node = { io, http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, adapter };
  nodes.push(node);
  return node;
}

async function connect(node: Node, room: string): Promise<ClientSocket> {
  const socket = connectClient(node.url, { auth: { room }, transports: ['websocket'], reconnection: false });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Resolves with what arrives, or with 'nothing' once `ms` pass (a bound, not a timing assertion). */
const nextMessage = (socket: ClientSocket, event: string, ms: number): Promise<unknown> =>
  new Promise((resolve) => {
    const timer = setTimeout(() => resolve('nothing'), ms);
    socket.once(event, (payload: unknown) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const n of nodes.splice(0)) {
    await new Promise<void>((resolve) => void n.io.close(() => resolve()));
    await n.adapter?.close();
  }
});

describe.skipIf(!redis.url)(`socket.io Redis adapter${redis.skipReason ? ` (skipped: ${redis.skipReason})` : ''}`, () => {
  const url = redis.url as string;

  it('a room emit on node A reaches a client connected to node B, and only that room', async () => {
    const a = await startNode(url);
    const b = await startNode(url);
    const supervisorOnB = await connect(b, 'tenant:t1');
    const otherTenantOnB = await connect(b, 'tenant:t2');
    // The subscription is asynchronous: emit until the first message crosses (bounded).
    let got: unknown = 'nothing';
    for (let attempt = 0; attempt < 50 && got === 'nothing'; attempt++) {
      const arriving = nextMessage(supervisorOnB, 'agent:state', 100);
      a.io.to('tenant:t1').emit('agent:state', { agent: 'a1', state: 'on_call', attempt });
      got = await arriving;
    }
    expect(got).toMatchObject({ agent: 'a1', state: 'on_call' });
    const strayArrival = nextMessage(otherTenantOnB, 'agent:state', 300);
    a.io.to('tenant:t1').emit('agent:state', { agent: 'a1', state: 'wrap_up' });
    expect(await strayArrival).toBe('nothing');
  });

  it('without the adapter the same emit stays on node A (the control for the test above)', async () => {
    const a = await startNode(null);
    const b = await startNode(null);
    const onB = await connect(b, 'tenant:t1');
    const arriving = nextMessage(onB, 'agent:state', 300);
    a.io.to('tenant:t1').emit('agent:state', { agent: 'a1', state: 'on_call' });
    expect(await arriving).toBe('nothing');
  });

  it('close() lets go of Redis: a closed node no longer hears the others', async () => {
    const a = await startNode(url);
    const b = await startNode(url);
    const onB = await connect(b, 'tenant:t1');
    let got: unknown = 'nothing';
    for (let attempt = 0; attempt < 50 && got === 'nothing'; attempt++) {
      const arriving = nextMessage(onB, 'ping', 100);
      a.io.to('tenant:t1').emit('ping', attempt);
      got = await arriving;
    }
    expect(got).not.toBe('nothing');
    await b.adapter?.close();
    const after = nextMessage(onB, 'ping', 300);
    a.io.to('tenant:t1').emit('ping', 'after close');
    expect(await after).toBe('nothing');
  });
});

describe.skipIf(!redis.url)(`socket.io Redis adapter when Redis goes away${redis.skipReason ? ` (skipped: ${redis.skipReason})` : ''}`, () => {
  it('logs the loss, keeps the node up, and carries room emits again once Redis is back', async () => {
    let own = await startThrowawayRedis(); // a Redis of this test's own, to stop and start again
    try {
      const a = await startNode(own.url);
      const b = await startNode(own.url);
      const onB = await connect(b, 'tenant:t1');
      const crossesOver = async (tag: string): Promise<unknown> => {
        let got: unknown = 'nothing';
        for (let attempt = 0; attempt < 100 && got === 'nothing'; attempt++) {
          const arriving = nextMessage(onB, 'agent:state', 100);
          a.io.to('tenant:t1').emit('agent:state', { tag, attempt });
          got = await arriving;
        }
        return got;
      };
      expect(await crossesOver('before')).toMatchObject({ tag: 'before' });

      const port = own.port;
      await own.stop();
      const lost = nextMessage(onB, 'agent:state', 300);
      a.io.to('tenant:t1').emit('agent:state', { tag: 'while down' }); // must not crash node A
      expect(await lost).toBe('nothing');
      for (let i = 0; i < 100 && !logged.some((l) => l.level === 'warn' && l.fields.redis === `127.0.0.1:${port}`); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(logged.find((l) => l.level === 'warn' && l.fields.redis === `127.0.0.1:${port}`)?.message).toMatch(/reconnecting.*check that Redis is running/);

      own = await startThrowawayRedis({ port });
      expect(await crossesOver('after')).toMatchObject({ tag: expect.stringMatching(/after|while down/) });
      expect(logged.some((l) => l.level === 'info' && l.message === 'Redis connection restored')).toBe(true);
    } finally {
      await own.stop();
    }
  });
});

describe('attachRedisAdapter without a Redis', () => {
  it('refuses to start with a message naming where it looked and what to do', async () => {
    const port = await freePort(); // nobody listens there
    const io = new Server(); // never attached to an HTTP server: it holds nothing to close
    await expect(attachRedisAdapter(io, `redis://:secret@127.0.0.1:${port}`, log, { connectTimeoutMs: 1_000 })).rejects.toThrow(
      new RegExp(`Could not connect to Redis at 127\\.0\\.0\\.1:${port} .*Start Redis or fix REDIS_URL`),
    );
    expect(JSON.stringify(logged)).not.toContain('secret');
  });

  it('never puts a password from the URL in what it logs', () => {
    expect(redisWhere('redis://user:hunter2@10.0.0.5:6380/0')).toBe('10.0.0.5:6380');
    expect(redisWhere('not a url')).toBe('(unparsable REDIS_URL)');
  });
});
