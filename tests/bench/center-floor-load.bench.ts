// Issue 5, one node: a center process on 127.0.0.1 with 1,000 agent sockets and 20 supervisor sockets
// (socket.io-client, signed in as real users of the bench's own database), fed 350 CTI events/s through
// the signed webhook `POST /cti/events` for a bounded time. Measured: the latency from sending an event to
// the supervisors seeing it — in their `agent:state` push (sent at once) and in their `queue:metrics`
// diffs (coalesced once a second by design) — and the center's memory per agent socket. Baseline, in the
// same run: a bare socket.io server with the same 1,020 sockets that relays each HTTP POST to the same
// 20 supervisors, no database and no metrics engine.
//
// The center and the baseline server each run in a child process (this file, forked with a role), so
// memory is theirs alone and the clients do not share their event loop. Everything is bounded: a fixed
// number of events at a fixed rate, then every socket closed and every child stopped.
import { fork, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { io as ioClient, type Socket } from 'socket.io-client';
import { SCHEMA_VERSION } from '../../shared/protocol/index';
import type { Benchmark, BenchRow } from './harness';
import { percentile } from './harness';

export const AGENTS = Number(process.env.BENCH_FLOOR_AGENTS ?? 1000);
export const SUPERVISORS = Number(process.env.BENCH_FLOOR_SUPERVISORS ?? 20);
export const RATE = Number(process.env.BENCH_FLOOR_EVENTS_PER_SEC ?? 350);
export const DURATION_S = Number(process.env.BENCH_FLOOR_SECONDS ?? 20);
const QUEUES = ['q1', 'q2', 'q3', 'q4'];
const TENANT = 'floor';
const SELF = fileURLToPath(import.meta.url);
const ROLE_ENV = 'EARSHOT_FLOOR_BENCH_ROLE';

// ---------------------------------------------------------------- children ----------------------------------

type ToChild = { kind: 'mem' } | { kind: 'stop' } | { kind: 'dbStats' };
/** Where the center's database time goes during the feed (statement kind -> count, total ms; transactions and their re-runs). */
export interface DbStats {
  queries: Array<{ sql: string; n: number; ms: number }>;
  tx: { calls: number; attempts: number; ms: number; maxMs: number };
}
type FromChild =
  | { kind: 'ready'; url: string; secret: string; agents: Array<{ username: string; token: string }>; supervisors: string[]; driver: string }
  | { kind: 'mem'; rss: number; heapUsed: number; external: number }
  | { kind: 'dbStats'; stats: DbStats }
  | { kind: 'error'; message: string };

const send = (m: FromChild) => process.send?.(m);

function memAfterGc(): { rss: number; heapUsed: number; external: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external };
}

/**
 * The center with a tenant of 1,000 agents (in 4 queues) and 20 supervisors, as real users and sessions.
 * For the two-node bench (center-floor-two-nodes): BENCH_FLOOR_REDIS_URL joins the nodes, and a node
 * started with BENCH_FLOOR_JOIN=1 finds that tenant in the shared database, set up by the first node.
 */
async function centerChild(): Promise<void> {
  const { startCenter } = await import('../../server/src/index');
  const { createSession } = await import('../../server/src/auth/sessions');
  const databaseUrl = process.env.BENCH_FLOOR_DATABASE_URL || undefined;
  const redisUrl = process.env.BENCH_FLOOR_REDIS_URL || undefined;
  const center = await startCenter({ port: 0, logLevel: 'error', databaseUrl, redisUrl });
  const db = center.db;
  const tenant = process.env.BENCH_FLOOR_JOIN === '1' ? null : await setUpTenant(db);
  const stats = watchDb(db);
  // Agents' sessions are made as login makes them (saves 1,000 scrypt runs); supervisors sign in over HTTP.
  const tokens: Array<{ username: string; token: string }> = [];
  for (const a of tenant?.agents ?? []) tokens.push({ username: a.username, token: (await createSession(db, { id: a.id, tenantId: TENANT })).token });
  process.on('message', (m: ToChild) => {
    if (m.kind === 'mem') send({ kind: 'mem', ...memAfterGc() });
    if (m.kind === 'stop') void center.stop().finally(() => process.exit(0));
    if (m.kind === 'dbStats') send({ kind: 'dbStats', stats: stats.take() });
  });
  send({
    kind: 'ready',
    url: center.url,
    secret: tenant?.secret ?? '',
    agents: tokens,
    supervisors: tenant?.supervisors.map((s) => s.username) ?? [],
    driver: databaseUrl ? 'PostgreSQL' : 'PGlite',
  });
}

async function setUpTenant(db: import('../../server/src/db/db').Db) {
  const { hashPassword } = await import('../../server/src/auth/passwords');
  const { createWebhookSecret } = await import('../../server/src/cti/webhook-store');
  await db.query(`INSERT INTO tenants (id, name, time_zone) VALUES ($1, 'Floor load', 'UTC')`, [TENANT]);
  await db.query(`INSERT INTO queues (tenant_id, id, name) SELECT $1, q, q FROM unnest($2::text[]) AS q`, [TENANT, QUEUES]);
  const secret = await createWebhookSecret(db, TENANT);
  // One scrypt for all: every user gets their own row with the same password's hash.
  const hash = await hashPassword('bench-password');
  const agents = Array.from({ length: AGENTS }, (_, i) => ({ id: randomUUID(), username: `a${String(i).padStart(4, '0')}`, queue: QUEUES[i % QUEUES.length]! }));
  const supervisors = Array.from({ length: SUPERVISORS }, (_, i) => ({ id: randomUUID(), username: `s${String(i).padStart(2, '0')}` }));
  const all = [...agents.map((a) => ({ ...a, role: 'agent' })), ...supervisors.map((s) => ({ ...s, role: 'supervisor' }))];
  await db.query(
    `INSERT INTO users (id, tenant_id, username, display_name, role, password_hash)
     SELECT id, $1, u, u, r, $5 FROM unnest($2::uuid[], $3::text[], $4::text[]) AS t(id, u, r)`,
    [TENANT, all.map((u) => u.id), all.map((u) => u.username), all.map((u) => u.role), hash],
  );
  await db.query(`INSERT INTO user_queues (tenant_id, user_id, queue_id) SELECT $1, id, q FROM unnest($2::uuid[], $3::text[]) AS t(id, q)`, [
    TENANT,
    agents.map((a) => a.id),
    agents.map((a) => a.queue),
  ]);
  return { secret, agents, supervisors };
}

/**
 * Counts and times the center's statements and transactions from here on, by wrapping the methods of its
 * Db object (the center calls them through that object). `take()` returns the figures and starts over.
 */
export function watchDb(db: import('../../server/src/db/db').Db): { take(): DbStats } {
  const queries = new Map<string, { n: number; ms: number }>();
  const tx = { calls: 0, attempts: 0, ms: 0, maxMs: 0 };
  const kind = (sql: string) => sql.replace(/\s+/g, ' ').trim().slice(0, 60);
  const count = (sql: string, t0: number) => {
    const k = kind(sql);
    const e = queries.get(k) ?? { n: 0, ms: 0 };
    e.n += 1;
    e.ms += performance.now() - t0;
    queries.set(k, e);
  };
  const timed = <Q extends { query: import('../../server/src/db/db').Queryable['query'] }>(q: Q): Q => ({
    ...q,
    query: async (sql: string, params?: readonly unknown[]) => {
      const t0 = performance.now();
      try {
        return await q.query(sql, params);
      } finally {
        count(sql, t0);
      }
    },
  });
  const query = db.query.bind(db);
  const txOf = db.tx.bind(db);
  (db as { query: typeof db.query }).query = (sql, params) => timed({ query }).query(sql, params) as never;
  (db as { tx: typeof db.tx }).tx = async (fn, opts) => {
    const t0 = performance.now();
    tx.calls += 1;
    try {
      return await txOf((q) => {
        tx.attempts += 1;
        return fn(timed(q));
      }, opts);
    } finally {
      const ms = performance.now() - t0;
      tx.ms += ms;
      tx.maxMs = Math.max(tx.maxMs, ms);
    }
  };
  return {
    take() {
      const out: DbStats = { queries: [...queries].map(([sql, e]) => ({ sql, ...e })).sort((a, b) => b.ms - a.ms), tx: { ...tx } };
      queries.clear();
      Object.assign(tx, { calls: 0, attempts: 0, ms: 0, maxMs: 0 });
      return out;
    },
  };
}

/** The statements and transactions `watchDb` saw, for stderr: the 14 that took longest in all. */
export const dbSummary = (db: DbStats): string =>
  `  center database: ${db.tx.calls} transactions run ${db.tx.attempts} times (re-runs after serialization failures), ${(db.tx.ms / Math.max(1, db.tx.calls)).toFixed(1)} ms mean, ${db.tx.maxMs.toFixed(0)} ms max; statements (count, total s, mean ms):\n` +
  db.queries
    .slice(0, 14)
    .map((q) => `    ${String(q.n).padStart(6)} ${(q.ms / 1000).toFixed(1).padStart(7)} s ${(q.ms / q.n).toFixed(1).padStart(7)} ms  ${q.sql}\n`)
    .join('');

/** The baseline: socket.io and an HTTP endpoint that relays each POST to the supervisors' room. Nothing else. */
async function baselineChild(): Promise<void> {
  const { Server } = await import('socket.io');
  const server = http.createServer();
  const io = new Server(server);
  io.on('connection', (socket) => {
    if ((socket.handshake.auth as { role?: string }).role === 'supervisor') void socket.join('sup');
  });
  server.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string };
      io.to('sup').emit('e', { eventId: event.eventId });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.on('message', (m: ToChild) => {
    if (m.kind === 'mem') send({ kind: 'mem', ...memAfterGc() });
    if (m.kind === 'stop') {
      void io.close();
      server.close(() => process.exit(0));
    }
  });
  const agents = Array.from({ length: AGENTS }, (_, i) => ({ username: `a${i}`, token: 'none' }));
  send({ kind: 'ready', url: `http://127.0.0.1:${port}`, secret: '', agents, supervisors: Array.from({ length: SUPERVISORS }, (_, i) => `s${i}`), driver: 'none' });
}

const role = process.env[ROLE_ENV];
if (role === 'center' || role === 'baseline') {
  (role === 'center' ? centerChild() : baselineChild()).catch((err: unknown) => {
    send({ kind: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    process.exit(1);
  });
}

// ---------------------------------------------------------------- parent: the clients and the feed ------------

interface Child {
  proc: ChildProcess;
  ready: Extract<FromChild, { kind: 'ready' }>;
  mem(): Promise<{ rss: number; heapUsed: number; external: number }>;
  dbStats(): Promise<DbStats>;
  stop(): Promise<void>;
}

async function startChild(kind: 'center' | 'baseline', env: Record<string, string> = {}): Promise<Child> {
  const proc = fork(SELF, [], {
    // BENCH_FLOOR_CPU_PROF=DIR writes the children's CPU profiles there (where does the time go?).
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_FLOOR_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_FLOOR_CPU_PROF}`] : [])],
    env: { ...process.env, ...env, [ROLE_ENV]: kind },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <K extends FromChild['kind']>(k: K, timeoutMs: number) =>
    new Promise<Extract<FromChild, { kind: K }>>((resolve, reject) => {
      const timer = setTimeout(() => done(new Error(`${kind} child: no "${k}" within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = (m: FromChild) => {
        if (m.kind === k) done(null, m as Extract<FromChild, { kind: K }>);
        else if (m.kind === 'error') done(new Error(`${kind} child failed: ${m.message}`));
      };
      const onExit = (code: number | null) => done(new Error(`${kind} child exited (${code}) before "${k}"`));
      function done(err: Error | null, m?: Extract<FromChild, { kind: K }>) {
        clearTimeout(timer);
        proc.off('message', onMessage);
        proc.off('exit', onExit);
        if (err) reject(err);
        else resolve(m!);
      }
      proc.on('message', onMessage);
      proc.once('exit', onExit);
    });
  let ready: Extract<FromChild, { kind: 'ready' }>;
  try {
    ready = await next('ready', 180_000);
  } catch (err) {
    proc.kill('SIGKILL');
    throw err;
  }
  return {
    proc,
    ready,
    mem: () => {
      const m = next('mem', 30_000);
      proc.send({ kind: 'mem' } satisfies ToChild);
      return m;
    },
    dbStats: async () => {
      const m = next('dbStats', 30_000);
      proc.send({ kind: 'dbStats' } satisfies ToChild);
      return (await m).stats;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
        proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        proc.send({ kind: 'stop' } satisfies ToChild);
      }),
  };
}

function connectSocket(url: string, auth: Record<string, unknown>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = ioClient(url, { auth, transports: ['websocket'], reconnection: false, timeout: 60_000 });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Connects in batches so the handshakes do not all land at once. */
async function connectAll(url: string, auths: Array<Record<string, unknown>>, batch = 50): Promise<Socket[]> {
  const out: Socket[] = [];
  for (let i = 0; i < auths.length; i += batch) out.push(...(await Promise.all(auths.slice(i, i + batch).map((a) => connectSocket(url, a)))));
  return out;
}

async function login(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: TENANT, username, password: 'bench-password' }) });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

interface Planned {
  at: number; // ms from the feed's start
  body: Record<string, unknown>;
  /** Which supervisor update shows it: an agent's new state, and/or a queue counter reaching its next value. */
  agentState?: { agent: string; state: string };
  counter?: { queue: string; name: 'offered' | 'answered' };
}

/**
 * The events of a steady stream of calls on 4 queues: 85% answered (offered, ringing, answered, 40% of them
 * held and resumed, ended), 15% abandoned after 1–15 s. Agents are taken round-robin per queue, so an agent's
 * next call starts well after its previous one (and its wrap-up) ended. Seeded, so every run feeds the same.
 */
function planEvents(total: number, rate: number, agentsByQueue: Map<string, string[]>): Planned[] {
  let seed = 0x5eed;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const eventsPerCall = 0.85 * (4 + 0.4 * 2) + 0.15 * 2;
  const callsPerSec = rate / eventsPerCall;
  const out: Planned[] = [];
  const next = new Map<string, number>(QUEUES.map((q) => [q, 0]));
  const run = randomUUID().slice(0, 8);
  for (let n = 0; out.length < total * 1.2; n++) {
    const start = (n / callsPerSec) * 1000;
    const queue = QUEUES[n % QUEUES.length]!;
    const callId = `${run}-${n}`;
    let seq = 0;
    const ev = (at: number, type: string, extra: Record<string, unknown> = {}, p: Partial<Planned> = {}) =>
      out.push({ at, body: { eventId: `${callId}.${seq++}`, type, externalCallId: callId, queue, ...extra }, ...p });
    ev(start, 'call_offered', { ani: `+8210${String(10_000_000 + n).slice(-8)}`, dnis: '+8215880000' }, { counter: { queue, name: 'offered' } });
    if (random() < 0.15) {
      ev(start + 1000 + random() * 14_000, 'call_abandoned');
      continue;
    }
    const list = agentsByQueue.get(queue)!;
    const i = next.get(queue)!;
    next.set(queue, i + 1);
    const agent = list[i % list.length]!;
    const ring = start + 300 + random() * 1700;
    const answer = ring + 500 + random() * 2500;
    ev(ring, 'call_ringing', { agent }, { agentState: { agent, state: 'ringing' } });
    ev(answer, 'call_answered', { agent }, { agentState: { agent, state: 'on_call' }, counter: { queue, name: 'answered' } });
    let t = answer + 1000 + random() * 2000;
    if (random() < 0.4) {
      ev(t, 'call_held', { agent }, { agentState: { agent, state: 'on_hold' } });
      t += 500 + random() * 1500;
      ev(t, 'call_resumed', { agent }, { agentState: { agent, state: 'on_call' } });
      t += 500 + random() * 1500;
    }
    ev(t, 'call_ended', { agent, endedBy: 'caller' }, { agentState: { agent, state: 'wrap_up' } });
  }
  // Calls overlap, so the first `total` events span more than total / rate seconds: compress the
  // timeline to that span, or the feed would offer fewer events per second than asked.
  const first = out.sort((a, b) => a.at - b.at).slice(0, total);
  const squeeze = first.length > 0 ? (total / rate) * 1000 / Math.max(1, first[first.length - 1]!.at) : 1;
  return squeeze < 1 ? first.map((p) => ({ ...p, at: p.at * squeeze })) : first;
}

export interface FeedResult {
  sent: number;
  failed: number;
  firstError: string | null;
  /** Request sent to response received, sorted. */
  responseMs: number[];
}

/**
 * Sends `planned` at their times (checked every 5 ms) over a keep-alive pool, signed as docs/cti-webhook.md says.
 * Several URLs: the calls are spread over them, each call's events to one, as behind a load balancer with affinity.
 */
async function feed(url: string | string[], secret: string, planned: Planned[], path: string, onSent: (p: Planned, at: number) => void): Promise<FeedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const targets = (Array.isArray(url) ? url : [url]).map((u) => new URL(path, u));
  const result: FeedResult = { sent: 0, failed: 0, firstError: null, responseMs: [] };
  const inFlight = new Set<Promise<void>>();
  const t0 = performance.now();
  let i = 0;
  try {
    while (i < planned.length) {
      const now = performance.now() - t0;
      while (i < planned.length && planned[i]!.at <= now) {
        const p = planned[i++]!;
        // A call's events go to one node (the affinity docs/cti-webhook.md asks of a load balancer); calls spread.
        const target = targets[callNumber(p) % targets.length]!;
        const body = JSON.stringify({ ...p.body, occurredAt: new Date().toISOString() });
        const ts = String(Math.floor(Date.now() / 1000));
        const sig = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
        const sentAt = performance.now();
        onSent(p, sentAt);
        const req = new Promise<void>((resolve) => {
          const r = http.request(
            target,
            {
              method: 'POST',
              agent,
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-earshot-tenant': TENANT, 'x-earshot-timestamp': ts, 'x-earshot-signature': `sha256=${sig}` },
            },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => {
                result.sent += 1;
                result.responseMs.push(performance.now() - sentAt);
                if ((res.statusCode ?? 0) >= 300 || (res.statusCode === 200 && !Buffer.concat(chunks).toString().includes('"applied":true') && path !== '/e')) {
                  result.failed += 1;
                  result.firstError ??= `${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 200)}`;
                }
                resolve();
              });
            },
          );
          r.on('error', (err) => {
            result.failed += 1;
            result.firstError ??= err.message;
            resolve();
          });
          r.end(body);
        });
        inFlight.add(req);
        void req.finally(() => inFlight.delete(req));
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inFlight);
    result.responseMs.sort((a, b) => a - b);
  } finally {
    agent.destroy();
  }
  return result;
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** The call's sequence number in the plan (its externalCallId is `<run>-<n>`). */
const callNumber = (p: Planned): number => Number(String(p.body['externalCallId']).split('-').pop()) || 0;

export interface Phase {
  db: DbStats;
  agentStateMs: number[];
  metricsMs: number[];
  deliveryMs: number[];
  matched: { agentState: number; agentStateExpected: number; metrics: number; metricsExpected: number };
  memPerAgentKb: { rss: number; heap: number; external: number };
  feed: FeedResult;
  driver: string;
  seconds: number;
  /** Per center node (one here; two in center-floor-two-nodes): its URL, agent sockets, memory per agent socket and database time. */
  nodes: Array<{ url: string; agents: number; memPerAgentKb: { rss: number; heap: number; external: number }; db: DbStats }>;
}

/** Several center nodes on one PostgreSQL and one Redis (center-floor-two-nodes). */
export interface ClusterOptions {
  nodes: number;
  redisUrl: string;
  /** Runs once every node is up and before any client connects (e.g. to wait for the CTI owner). */
  beforeClients(urls: string[]): Promise<void>;
}

/**
 * The real center: returns the latencies seen by the supervisors, and the center's memory per agent socket.
 * With `cluster`, the same over several nodes: each node gets an equal share of the supervisors and agents
 * (contiguous slices), and the webhook events go to the nodes in turn.
 */
export async function centerPhase(databaseUrl: string | undefined, cluster?: ClusterOptions): Promise<Phase> {
  const env: Record<string, string> = databaseUrl ? { BENCH_FLOOR_DATABASE_URL: databaseUrl } : {};
  if (cluster) env.BENCH_FLOOR_REDIS_URL = cluster.redisUrl;
  const children: Child[] = [];
  const sockets: Socket[] = [];
  try {
    children.push(await startChild('center', env));
    // The other nodes start on the database the first has migrated and filled.
    while (children.length < (cluster?.nodes ?? 1)) children.push(await startChild('center', { ...env, BENCH_FLOOR_JOIN: '1' }));
    const child = children[0]!;
    const { url, secret } = child.ready;
    const urls = children.map((c) => c.ready.url);
    await cluster?.beforeClients(urls);
    const share = <T>(xs: T[], k: number) => xs.slice(Math.floor((k * xs.length) / urls.length), Math.floor(((k + 1) * xs.length) / urls.length));
    const supTokens: string[] = [];
    for (const s of child.ready.supervisors) supTokens.push(await login(url, s));
    const supervisors: Socket[] = [];
    for (const [k, u] of urls.entries()) supervisors.push(...(await connectAll(u, share(supTokens, k).map((token) => ({ token, schemaVersion: SCHEMA_VERSION, clientId: randomUUID() })))));
    sockets.push(...supervisors);
    await new Promise((r) => setTimeout(r, 1500));
    const before = await Promise.all(children.map((c) => c.mem()));
    const agents: Socket[] = [];
    for (const [k, u] of urls.entries()) agents.push(...(await connectAll(u, share(child.ready.agents, k).map((a) => ({ token: a.token, schemaVersion: SCHEMA_VERSION, clientId: randomUUID() })))));
    sockets.push(...agents);
    await new Promise((r) => setTimeout(r, 3000)); // the agents' sign-in states settle and reach the supervisors
    const after = await Promise.all(children.map((c) => c.mem()));

    // Each agent finishes wrap-up 300 ms after entering it, as a desktop would (call control).
    agents.forEach((socket) => {
      socket.on('agent:state', (u: { state: string; interactionId: string | null }) => {
        if (u.state === 'wrap_up' && u.interactionId) {
          const id = u.interactionId;
          setTimeout(() => socket.timeout(30_000).emit('call:control', { interactionId: id, action: 'finishWrapUp' }, () => undefined), 300);
        }
      });
    });

    // What the supervisors are waiting to see, and when each thing was sent.
    const pendingState = new Map<string, { sentAt: number; seen: number }>();
    const counterSent = new Map<string, number[]>(); // `${queue}|${name}` -> send times, in order
    const agentStateMs: number[] = [];
    const metricsMs: number[] = [];
    const deliveryMs: number[] = [];
    const epochOffset = Date.now() - performance.now();
    let stateMatches = 0;
    supervisors.forEach((socket) => {
      socket.on('agent:state', (u: { agent: string; state: string }) => {
        const now = performance.now();
        const key = `${u.agent}|${u.state}`;
        const p = pendingState.get(key);
        if (!p) return;
        agentStateMs.push(now - p.sentAt);
        stateMatches += 1;
        if (++p.seen >= supervisors.length) pendingState.delete(key);
      });
      const matchedUpTo = new Map<string, number>();
      const see = (queue: string, name: string, value: unknown, now: number) => {
        if (typeof value !== 'number') return;
        const key = `${queue}|${name}`;
        const sent = counterSent.get(key) ?? [];
        let k = matchedUpTo.get(key) ?? 0;
        for (; k < Math.min(value, sent.length); k++) metricsMs.push(now - sent[k]!);
        matchedUpTo.set(key, k);
      };
      socket.on('queue:metrics', (push: { kind: string; at: string; queues?: Record<string, { today: Record<string, unknown> }>; diff?: { changed: Record<string, { today?: Record<string, unknown> }> } }) => {
        const now = performance.now();
        deliveryMs.push(now + epochOffset - Date.parse(push.at));
        const byQueue = push.kind === 'full' ? push.queues : push.diff?.changed;
        for (const [queue, m] of Object.entries(byQueue ?? {})) {
          see(queue, 'offered', m.today?.offered, now);
          see(queue, 'answered', m.today?.answered, now);
        }
      });
    });

    const total = RATE * DURATION_S;
    const agentsByQueue = new Map<string, string[]>(QUEUES.map((q) => [q, []]));
    child.ready.agents.forEach((a, i) => agentsByQueue.get(QUEUES[i % QUEUES.length]!)!.push(a.username));
    const planned = planEvents(total, RATE, agentsByQueue);
    let stateExpected = 0;
    let metricsExpected = 0;
    await Promise.all(children.map((c) => c.dbStats())); // from here on: the feed's share
    const started = performance.now();
    const fed = await feed(urls, secret, planned, '/cti/events', (p, at) => {
      if (p.agentState) {
        pendingState.set(`${p.agentState.agent}|${p.agentState.state}`, { sentAt: at, seen: 0 });
        stateExpected += supervisors.length;
      }
      if (p.counter) {
        const key = `${p.counter.queue}|${p.counter.name}`;
        if (!counterSent.has(key)) counterSent.set(key, []);
        counterSent.get(key)!.push(at);
        metricsExpected += supervisors.length;
      }
    });
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 2500)); // the last coalesced push
    const dbs = await Promise.all(children.map((c) => c.dbStats()));
    const nodes = urls.map((u, k) => {
      const n = share(child.ready.agents, k).length;
      const perAgent = (m: keyof (typeof after)[number]) => (after[k]![m] - before[k]![m]) / n / 1024;
      return { url: u, agents: n, memPerAgentKb: { rss: perAgent('rss'), heap: perAgent('heapUsed'), external: perAgent('external') }, db: dbs[k]! };
    });
    return {
      db: dbs[0]!,
      agentStateMs: sorted(agentStateMs),
      metricsMs: sorted(metricsMs),
      deliveryMs: sorted(deliveryMs),
      matched: { agentState: stateMatches, agentStateExpected: stateExpected, metrics: metricsMs.length, metricsExpected },
      memPerAgentKb: nodes[0]!.memPerAgentKb,
      feed: fed,
      driver: child.ready.driver,
      seconds,
      nodes,
    };
  } finally {
    for (const s of sockets) s.close();
    await Promise.all(children.map((c) => c.stop()));
  }
}

/** The baseline: the same sockets and feed against a bare socket.io relay. */
async function baselinePhase(): Promise<{ seconds: number; relayMs: number[]; memPerAgentKb: { rss: number; heap: number; external: number }; feed: FeedResult; matched: number; expected: number }> {
  const child = await startChild('baseline');
  const sockets: Socket[] = [];
  try {
    const { url } = child.ready;
    const supervisors = await connectAll(url, child.ready.supervisors.map(() => ({ role: 'supervisor' })));
    sockets.push(...supervisors);
    await new Promise((r) => setTimeout(r, 1500));
    const before = await child.mem();
    sockets.push(...(await connectAll(url, child.ready.agents.map(() => ({ role: 'agent' })))));
    await new Promise((r) => setTimeout(r, 3000));
    const after = await child.mem();
    const sentAt = new Map<string, number>();
    const relayMs: number[] = [];
    supervisors.forEach((s) =>
      s.on('e', (m: { eventId: string }) => {
        const t = sentAt.get(m.eventId);
        if (t !== undefined) relayMs.push(performance.now() - t);
      }),
    );
    const agentsByQueue = new Map<string, string[]>(QUEUES.map((q) => [q, Array.from({ length: AGENTS / QUEUES.length }, (_, i) => `a${i}`)]));
    const planned = planEvents(RATE * DURATION_S, RATE, agentsByQueue);
    const started = performance.now();
    const fed = await feed(url, '', planned, '/e', (p, at) => sentAt.set(String(p.body.eventId), at));
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 1000));
    return { seconds, relayMs: sorted(relayMs), memPerAgentKb: { rss: (after.rss - before.rss) / AGENTS / 1024, heap: (after.heapUsed - before.heapUsed) / AGENTS / 1024, external: (after.external - before.external) / AGENTS / 1024 }, feed: fed, matched: relayMs.length, expected: planned.length * supervisors.length };
  } finally {
    for (const s of sockets) s.close();
    await child.stop();
  }
}

/**
 * The metrics engine alone (server/src/queues), in this process on a virtual clock: the same planned
 * stream at 350 ev/s into AgentStates + QueueMetricsEngine for 29 virtual minutes (so the 30-minute window
 * is full, as on a floor that has been busy for a while), then 60 seconds in which the once-a-second work
 * of the floor (deadlines, snapshot, diff) is timed. Baseline: serialising the whole snapshot, which is
 * what a push without diffs would cost at the least.
 */
export async function enginePhase(): Promise<{ tickMs: number[]; stringifyMs: number[]; ingestUs: number; diffBytes: number; fullBytes: number }> {
  const { AgentStates } = await import('../../server/src/floor/model/agent-state');
  const { QueueMetricsEngine } = await import('../../server/src/floor/model/metrics');
  const { applyCtiToAgentStates } = await import('../../server/src/floor/model/cti-agent-states');
  const { diff } = await import('../../shared/protocol/queue-metrics');
  let now = Date.parse('2026-11-25T01:00:00Z');
  const agents = new AgentStates({ now: () => now });
  const metrics = new QueueMetricsEngine({ timeZone: 'Asia/Seoul', queues: QUEUES });
  agents.onChange((c) => metrics.ingestAgentChange(c));
  const agentsByQueue = new Map<string, string[]>(QUEUES.map((q) => [q, []]));
  for (let i = 0; i < AGENTS; i++) {
    const name = `a${String(i).padStart(4, '0')}`;
    const queue = QUEUES[i % QUEUES.length]!;
    agentsByQueue.get(queue)!.push(name);
    agents.register(name, [queue]);
    metrics.knowAgent(agents.get(name));
    agents.setByAgent(name, 'available');
  }
  const warmSeconds = 60 * Number(process.env.BENCH_FLOOR_ENGINE_WARM_MIN ?? 29);
  const seconds = warmSeconds + 60;
  const planned = planEvents(RATE * seconds, RATE, agentsByQueue);
  const start = now;
  const ids = new Map<string, string>();
  const wrapUps: Array<{ at: number; agent: string }> = [];
  let prev = metrics.snapshot(now);
  const tickMs: number[] = [];
  const stringifyMs: number[] = [];
  let ingestNs = 0n;
  let diffBytes = 0;
  let i = 0;
  for (let second = 1; second <= seconds; second++) {
    const until = start + second * 1000;
    while (i < planned.length && start + planned[i]!.at < until) {
      const p = planned[i++]!;
      now = start + Math.floor(p.at);
      while (wrapUps.length > 0 && wrapUps[0]!.at <= now) {
        const w = wrapUps.shift()!;
        const st = agents.get(w.agent);
        if (st.state === 'wrap_up') agents.setBySystem(w.agent, { to: 'available' }, 'wrap_up_done');
      }
      const b = p.body as { type: string; externalCallId: string; queue: string; agent?: string };
      let id = ids.get(b.externalCallId);
      if (!id) ids.set(b.externalCallId, (id = randomUUID()));
      const event = {
        type: b.type,
        interactionId: id,
        ani: '+821012345678',
        dnis: '+8215880000',
        queue: b.queue,
        at: new Date(now).toISOString(),
        ...(b.type === 'call_offered' ? {} : b.type === 'call_abandoned' ? { holdTimeSec: 5, position: 1, originalPosition: 1 } : { agent: b.agent ?? null }),
        ...(b.type === 'call_answered' ? { holdTimeSec: 3 } : {}),
        ...(b.type === 'call_ended' ? { talkTimeSec: 5, endedBy: 'caller' } : {}),
      } as unknown as import('../../server/src/floor/model/cti-events').CtiEvent;
      const t0 = process.hrtime.bigint();
      metrics.ingestCti(event);
      applyCtiToAgentStates(agents, event);
      ingestNs += process.hrtime.bigint() - t0;
      if (b.type === 'call_ended' && b.agent) wrapUps.push({ at: now + 300, agent: b.agent });
    }
    now = until;
    if (second <= warmSeconds) {
      if (second % 60 === 0) prev = metrics.snapshot(now); // the engine forgets what is out of the window and the day
      continue;
    }
    const t0 = performance.now();
    agents.tick();
    const snap = metrics.snapshot(now);
    const d = diff(prev, snap);
    tickMs.push(performance.now() - t0);
    diffBytes += d ? JSON.stringify(d).length : 0;
    const t1 = performance.now();
    JSON.stringify(snap);
    stringifyMs.push(performance.now() - t1);
    prev = snap;
  }
  return { tickMs: sorted(tickMs), stringifyMs: sorted(stringifyMs), ingestUs: Number(ingestNs) / 1000 / Math.max(1, i), diffBytes: diffBytes / (seconds - warmSeconds), fullBytes: JSON.stringify(prev).length };
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const bench: Benchmark = {
  name: 'center-floor-load',
  async run(): Promise<BenchRow[]> {
    const loadBefore = load();
    let pg: { url: string; stop(): Promise<void> } | null = null;
    try {
      const { startBenchPostgres } = await import('./center-push-drain.bench');
      pg = await startBenchPostgres();
    } catch (err) {
      process.stderr.write(`(center-floor-load: no PostgreSQL here, using PGlite: ${err instanceof Error ? err.message : String(err)}) `);
    }
    let center: Phase;
    let base: Awaited<ReturnType<typeof baselinePhase>>;
    const engine = await enginePhase();
    try {
      base = await baselinePhase();
      center = await centerPhase(pg?.url);
    } finally {
      await pg?.stop();
    }
    const loadAfter = load();
    const scale = `${AGENTS} agents + ${SUPERVISORS} supervisors, ${RATE} ev/s × ${DURATION_S} s, ${center.driver}`;
    const p = (xs: number[], q: number) => percentile(xs, q);
    const relayP50 = p(base.relayMs, 50);
    const relayP99 = p(base.relayMs, 99);
    const stateP99 = p(center.agentStateMs, 99);
    const deliveryP99 = p(center.deliveryMs, 99);
    process.stderr.write(
      `\n  center-floor-load: ${scale}; machine load (1/5/15 min) before ${loadBefore}, after ${loadAfter}, ${os.cpus().length} cores\n` +
        `  feed: ${center.feed.sent} sent in ${center.seconds.toFixed(1)} s (${(center.feed.sent / center.seconds).toFixed(0)} ev/s), ${center.feed.failed} not applied${center.feed.firstError ? ` (first: ${center.feed.firstError})` : ''}\n` +
        `  webhook response p50/p99 ${p(center.feed.responseMs, 50).toFixed(1)}/${p(center.feed.responseMs, 99).toFixed(1)} ms (baseline relay POST ${p(base.feed.responseMs, 50).toFixed(1)}/${p(base.feed.responseMs, 99).toFixed(1)} ms)\n` +
        dbSummary(center.db) +
        `  matched: agent:state ${center.matched.agentState}/${center.matched.agentStateExpected}, queue:metrics ${center.matched.metrics}/${center.matched.metricsExpected}, baseline relay ${base.matched}/${base.expected} (${base.feed.failed} failed)\n`,
    );
    return [
      { figure: `event → supervisors' agent:state p50 [${scale}]`, unit: 'ms', value: p(center.agentStateMs, 50), baseline: relayP50 },
      { figure: `event → supervisors' agent:state p99 [${scale}]`, unit: 'ms', value: stateP99, baseline: relayP99, goal: { text: 'p99 ≤ 100 ms', met: stateP99 <= 100 } },
      { figure: `event → supervisors' queue:metrics diff p50 (once-a-second coalescing included)`, unit: 'ms', value: p(center.metricsMs, 50), baseline: relayP50 },
      { figure: `event → supervisors' queue:metrics diff p99 (once-a-second coalescing included)`, unit: 'ms', value: p(center.metricsMs, 99), baseline: relayP99, goal: { text: '≤ 1000 ms tick + 100 ms', met: p(center.metricsMs, 99) <= 1100 } },
      { figure: `queue:metrics snapshot instant → supervisors p99`, unit: 'ms', value: deliveryP99, baseline: relayP99, goal: { text: 'p99 ≤ 100 ms', met: deliveryP99 <= 100 } },
      {
        figure: `events applied per second (offered ${RATE}/s)`,
        unit: 'ev/s',
        value: (center.feed.sent - center.feed.failed) / center.seconds,
        baseline: base.feed.sent / base.seconds,
        goal: { text: `≥ ${Math.round(RATE * 0.95)} ev/s`, met: (center.feed.sent - center.feed.failed) / center.seconds >= RATE * 0.95 },
      },
      { figure: `webhook POST /cti/events response p99 (baseline: bare relay POST)`, unit: 'ms', value: p(center.feed.responseMs, 99), baseline: p(base.feed.responseMs, 99) },
      { figure: `metrics engine once-a-second work p50`, unit: 'ms', value: p(engine.tickMs, 50), baseline: p(engine.stringifyMs, 50) },
      {
        figure: `metrics engine once-a-second work p99 (deadlines + snapshot + diff; ${AGENTS} agents, 4 queues, ${RATE} ev/s)`,
        unit: 'ms',
        value: p(engine.tickMs, 99),
        baseline: p(engine.stringifyMs, 99),
        goal: { text: '≤ 100 ms of each second', met: p(engine.tickMs, 99) <= 100 },
      },
      { figure: `metrics engine + agent states: ingest per CTI event`, unit: 'µs', value: engine.ingestUs, baseline: null },
      { figure: `queue:metrics diff per second (baseline: the whole snapshot)`, unit: 'KiB', value: engine.diffBytes / 1024, baseline: engine.fullBytes / 1024 },
      {
        figure: `center heap + external per agent socket (after GC; baseline: bare socket.io)`,
        unit: 'KiB',
        value: center.memPerAgentKb.heap + center.memPerAgentKb.external,
        baseline: base.memPerAgentKb.heap + base.memPerAgentKb.external,
      },
      // RSS moves with what the allocator keeps or gives back after a GC: indicative only.
      { figure: `center RSS per agent socket (indicative; baseline: bare socket.io)`, unit: 'KiB', value: center.memPerAgentKb.rss, baseline: base.memPerAgentKb.rss },
    ];
  },
};
export default bench;
