// What the channel benches (chat-relay, email-offer) share: a center in the bench process with a
// tenant of their own (one queue, agents serving it with a raised capacity), agents signed in as the
// desktop is (a socket.io client with a session token), a paced schedule and the machine's load.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { io as ioClient, type Socket } from 'socket.io-client';
import { SCHEMA_VERSION } from '../../shared/protocol/index';
import { createSession } from '../../server/src/auth/sessions';
import { setCapacity, type CapacityChannel } from '../../server/src/channels/capacity';
import type { Db } from '../../server/src/db/db';
import { startCenter, type CenterOptions, type RunningCenter } from '../../server/src/index';

export const machineLoad = () => `${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (1/5/15 min, ${os.cpus().length} cores)`;

/**
 * A throw-away PostgreSQL, as a center with this many chats runs on; in-memory PGlite (in the bench
 * process, every statement on its event loop) when BENCH_CHANNELS_PGLITE=1 or PostgreSQL is not installed.
 */
export async function benchDatabase(bench: string): Promise<{ options: Pick<CenterOptions, 'databaseUrl'>; driver: string; stop(): Promise<void> }> {
  const pglite = { options: {}, driver: 'PGlite', stop: async () => undefined };
  if (process.env.BENCH_CHANNELS_PGLITE === '1') return pglite;
  try {
    const { startBenchPostgres } = await import('./center-push-drain.bench');
    const pg = await startBenchPostgres();
    return { options: { databaseUrl: pg.url }, driver: 'PostgreSQL', stop: () => pg.stop() };
  } catch (err) {
    process.stderr.write(`(${bench}: no PostgreSQL here, using PGlite: ${err instanceof Error ? err.message : String(err)}) `);
    return pglite;
  }
}

/** A tenant with one queue named like the channel (where intake puts it) and `agents` agents serving it at `capacity` each. */
export async function setUpChannelTenant(db: Db, o: { tenant: string; channel: CapacityChannel; agents: number; capacity: number }): Promise<Array<{ id: string; username: string }>> {
  await db.query(`INSERT INTO tenants (id, name, time_zone) VALUES ($1, $1, 'UTC')`, [o.tenant]);
  await db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ($1, $2, $2)`, [o.tenant, o.channel]);
  const agents = Array.from({ length: o.agents }, (_, i) => ({ id: randomUUID(), username: `a${String(i).padStart(3, '0')}` }));
  // No password: the agents' sessions are made as login makes them (the bench measures no sign-in).
  await db.query(
    `INSERT INTO users (id, tenant_id, username, display_name, role, password_hash) SELECT id, $1, u, u, 'agent', 'none' FROM unnest($2::uuid[], $3::text[]) AS t(id, u)`,
    [o.tenant, agents.map((a) => a.id), agents.map((a) => a.username)],
  );
  await db.query(`INSERT INTO user_queues (tenant_id, user_id, queue_id) SELECT $1, id, $3 FROM unnest($2::uuid[]) AS id`, [o.tenant, agents.map((a) => a.id), o.channel]);
  await setCapacity(db, o.tenant, o.channel, o.channel, { capacity: o.capacity });
  return agents;
}

export function connectSocket(url: string, auth: Record<string, unknown>, listen?: (s: Socket) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = ioClient(url, { auth, transports: ['websocket'], reconnection: false, timeout: 60_000 });
    listen?.(socket);
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Connects in batches so the handshakes do not all land at once. */
export async function connectAll(url: string, auths: Array<Record<string, unknown>>, listen?: (s: Socket, i: number) => void, batch = 50): Promise<Socket[]> {
  const out: Socket[] = [];
  for (let i = 0; i < auths.length; i += batch) {
    out.push(...(await Promise.all(auths.slice(i, i + batch).map((a, k) => connectSocket(url, a, listen && ((s) => listen(s, i + k)))))));
  }
  return out;
}

/** Agents' desktops: a socket each, signed in with a session of their own (the center makes them available). */
export async function connectAgents(center: RunningCenter, tenant: string, agents: Array<{ id: string }>, listen: (s: Socket, i: number) => void): Promise<Socket[]> {
  const tokens: string[] = [];
  for (const a of agents) tokens.push((await createSession(center.db, { id: a.id, tenantId: tenant })).token);
  return connectAll(center.url, tokens.map((token) => ({ token, schemaVersion: SCHEMA_VERSION, clientId: randomUUID() })), listen);
}

/** Calls `send(i)` for i < count at `perSecond`, on a fixed schedule from now (late steps catch up, none are skipped). */
export async function paced(count: number, perSecond: number, send: (i: number) => void): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const wait = started + (i * 1000) / perSecond - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    send(i);
  }
  return (performance.now() - started) / 1000;
}

/** Resolves once `done()` holds (checked every 50 ms), or fails with `what` after `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startBenchCenter(db: Pick<CenterOptions, 'databaseUrl'>, extra: Partial<CenterOptions> = {}): Promise<RunningCenter> {
  // Offers stay open for the whole run: the benches measure to the offer, never a timeout's requeue.
  return startCenter({ ...db, port: 0, logLevel: 'error', channels: { offerTimeoutMs: 600_000 }, ...extra });
}
