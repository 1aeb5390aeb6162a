// Public entry of the Earshot center: starts the HTTP + socket.io server over PGlite or PostgreSQL.
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type DestinationStream, type Logger } from 'pino';
import pkg from '../package.json';
import { createLogin } from './auth/login';
import { recordOfferedCall, type CallToOffer } from './calls/offer';
import type { CallOffered } from '../../shared/protocol';
import type { CtiEvent } from './cti/events';
import { playSimulatedCall, type SimulatedCall } from './cti/simulated-call';
import { handleCtiWebhook } from './cti/webhook';
import { createDbWebhookStore, webhookSecretsFor } from './cti/webhook-store';
import { createOfferSimulator } from './cti/simulator';
import type { Db } from './db/db';
import { isMigrated } from './db/migrate';
import { openDb } from './db/open';
import { DEMO_CENTER_NUMBER, generateDemoData } from './demo/generate';
import { createHttpHandler } from './http/routes';
import { createSockets, errSummary } from './io/socket';
import { recomputeCustomerValues } from './jobs/customer-values';
import { demoSeedKey, seedDemo } from './seed/demo';
import { pokeAudience } from './sync/poke';
import { pruneChangeLogBefore } from './sync/pull';

export interface CenterOptions {
  host?: string; // default '127.0.0.1'
  port?: number; // 0 = any free port
  dataDir?: string; // PGlite directory; undefined + no databaseUrl = in-memory PGlite
  databaseUrl?: string; // PostgreSQL
  demo?: boolean; // seed demo data on first start (idempotent)
  /** The demo telephony. `handleTimeMs`: how long an offered agent stays busy (ring + talk + wrap-up), default 120–240 s. */
  simulate?: boolean | { offerIntervalMs?: [number, number]; unknownCallerShare?: number; handleTimeMs?: [number, number] };
  logLevel?: string; // pino level, default 'info'; 'silent' in tests
  /** Several center nodes: the Redis socket.io adapter (server/src/cluster) attaches to `sockets.io` with it. Not wired yet. */
  redisUrl?: string;
}
export interface RunningCenter {
  url: string;
  port: number;
  db: Db;
  stop(): Promise<void>;
}

export const CENTER_VERSION: string = pkg.version;
const VALUE_RECOMPUTE_MS = 6 * 60 * 60 * 1000;
const RETENTION_CHECK_MS = 60 * 60 * 1000;
/** Change-log rows older than this are pruned; a desktop offline longer re-bootstraps (SYNC.md). */
export const CHANGE_LOG_RETENTION_DAYS = 30;

/** What `offerCall` needs from a running center; kept off RunningCenter so its shape stays as agreed. */
const offerers = new WeakMap<RunningCenter, (call: CallToOffer) => Promise<CallOffered>>();

/**
 * Offers one inbound call to a connected agent as the simulator would (tests and demos that need
 * a call now): records the interaction, emits `cti:callOffered` to the agent's room and pokes.
 */
export async function offerCall(
  center: RunningCenter,
  call: { tenant: string; username: string; ani: string; queue: string; dnis?: string },
): Promise<CallOffered> {
  const offer = offerers.get(center);
  if (!offer) throw new Error('offerCall needs a center started by startCenter.');
  const [user] = await center.db.query<{ id: string }>('SELECT id FROM users WHERE tenant_id = $1 AND username = $2', [call.tenant, call.username]);
  if (!user) throw new Error(`No user ${call.username} in tenant ${call.tenant}.`);
  return offer({ tenantId: call.tenant, ani: call.ani, dnis: call.dnis ?? DEMO_CENTER_NUMBER, queue: call.queue, agentUserId: user.id, agentUsername: call.username });
}
const DEFAULT_OFFER_INTERVAL_MS: [number, number] = [20_000, 40_000];
const FLOOR_TICK_MS = 1000;
const DEFAULT_HANDLE_TIME_MS: [number, number] = [120_000, 240_000];

/** Not part of the agreed options: where logs go (default stdout). Tests read the log through it. */
export interface CenterInternals {
  logDestination?: DestinationStream;
}

export async function startCenter(opts: CenterOptions, internals: CenterInternals = {}): Promise<RunningCenter> {
  const logOptions = { level: opts.logLevel ?? 'info', base: { service: 'earshot-center' } };
  const log: Logger = internals.logDestination ? pino(logOptions, internals.logDestination) : pino(logOptions);
  const host = opts.host ?? '127.0.0.1';
  let status: 'starting' | 'ok' | 'stopping' = 'starting';

  const demoData = opts.demo ? generateDemoData() : undefined;
  const db = await openDb({
    databaseUrl: opts.databaseUrl,
    dataDir: opts.dataDir,
    // In memory, start from a cached migrated (and demo-seeded) template: PGlite's initdb and the
    // 5,000-customer seed cost seconds on every start. The key covers the data and the code that
    // writes it, so a change to either builds a new template.
    template: {
      seedKey: demoData ? `${demoSeedKey(demoData)}` : 'empty',
      seed: async (fresh) => {
        if (demoData) await seedDemo(fresh, { data: demoData });
      },
    },
  });
  log.info({ driver: db.driver, persistent: Boolean(opts.databaseUrl || opts.dataDir) }, 'database ready');
  let demoTenant: string | null = null;
  try {
    if (demoData) {
      const started = Date.now();
      const r = await seedDemo(db, { data: demoData });
      demoTenant = r.tenantId;
      log.info({ seeded: r.seeded, ms: Date.now() - started }, 'demo data');
    }
  } catch (err) {
    await db.close();
    throw err;
  }

  const httpServer: HttpServer = createServer();
  const sockets = createSockets(httpServer, db, log);
  const handler = createHttpHandler({
    db,
    version: CENTER_VERSION,
    login: createLogin(db),
    status: () => status,
    ready: () => isMigrated(db).catch(() => false),
    onSignOut: (p) => sockets.dropSession(p.tokenHash),
    onError: (err, route) => log.error({ err: errSummary(err), route }, 'http request failed'),
    ctiWebhook: (req) => handleCtiWebhook(req, { secretsFor: (t) => webhookSecretsFor(db, t), store: webhookStore, onEvent: onCtiEvent, logger: log }),
  });
  const webhookStore = createDbWebhookStore(db);

  /** A switch's event (webhook, AMI): metrics and agent states follow; a ringing call pops the agent's screen. */
  async function onCtiEvent(tenantId: string, event: CtiEvent): Promise<void> {
    await sockets.floor.ingestCti(tenantId, event);
    if (event.type !== 'call_ringing') return;
    const [user] = await db.query<{ id: string }>('SELECT id FROM users WHERE tenant_id = $1 AND username = $2 AND NOT disabled', [tenantId, event.agent]);
    if (!user) {
      log.warn({ tenant: tenantId }, 'a ringing call names an agent who is not a user of the tenant; no screen pop');
      return;
    }
    await offer({ tenantId, ani: event.ani, dnis: event.dnis, queue: event.queue, agentUserId: user.id, agentUsername: event.agent, interactionId: event.interactionId });
  }
  // socket.io answers its own path; everything else is ours.
  httpServer.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    void handler(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await db.close();
    throw err;
  });
  const port = (httpServer.address() as AddressInfo).port;

  async function offer(call: CallToOffer, busyForMs = 0): Promise<CallOffered> {
    const r = await recordOfferedCall(db, call);
    sockets.presence.offered(call.agentUserId, busyForMs);
    sockets.emitCallOffered(call.agentUserId, r.value);
    await pokeAudience(db, sockets.poker, call.tenantId, r.changes, r.version);
    return r.value;
  }

  const simulatedCalls = new Set<SimulatedCall>();
  const stopSimulator = opts.simulate ? await startSimulator() : () => undefined;
  // Agent-state deadlines and the supervisors' metrics push, once a second.
  let floorBusy = false;
  const floorTimer = setInterval(() => {
    if (floorBusy) return;
    floorBusy = true;
    sockets.floor
      .tick()
      .catch((err: unknown) => log.warn({ err: errSummary(err) }, 'floor tick failed; will retry next second'))
      .finally(() => (floorBusy = false));
  }, FLOOR_TICK_MS);
  floorTimer.unref();
  const valueTimer = setInterval(() => void recomputeAllValues(), VALUE_RECOMPUTE_MS);
  valueTimer.unref();
  const retentionTimer = setInterval(() => {
    pruneChangeLogBefore(db, new Date(Date.now() - CHANGE_LOG_RETENTION_DAYS * 86_400_000)).then(
      (pruned) => pruned > 0 && log.info({ pruned }, 'change log pruned'),
      (err: unknown) => log.warn({ err: errSummary(err) }, 'change log pruning failed; will retry'),
    );
  }, RETENTION_CHECK_MS);
  retentionTimer.unref();
  status = 'ok';
  log.info({ port, host }, 'center listening');

  async function recomputeAllValues(): Promise<void> {
    try {
      for (const t of await db.query<{ id: string }>('SELECT id FROM tenants ORDER BY id')) {
        const r = await recomputeCustomerValues(db, t.id);
        log.info({ tenant: t.id, changed: r.changed }, 'customer values recomputed');
      }
    } catch (err) {
      log.warn({ err: errSummary(err) }, 'customer value recompute failed; will retry at the next interval');
    }
  }

  async function startSimulator(): Promise<() => void> {
    const cfg = typeof opts.simulate === 'object' ? opts.simulate : {};
    const tenants = await db.query<{ id: string }>('SELECT id FROM tenants ORDER BY id LIMIT 1');
    const tenantId = demoTenant ?? tenants[0]?.id;
    const queues = tenantId ? (await db.query<{ id: string }>('SELECT id FROM queues WHERE tenant_id = $1 ORDER BY id', [tenantId])).map((q) => q.id) : [];
    if (!tenantId || queues.length === 0) {
      log.warn('call simulator not started: no tenant with queues (start with --demo, or create queues first)');
      return () => undefined;
    }
    const [handleMin, handleMax] = cfg.handleTimeMs ?? DEFAULT_HANDLE_TIME_MS;
    if (!(handleMin >= 0 && handleMax >= handleMin)) throw new Error(`Simulated handle time [${handleMin}, ${handleMax}] ms is not a range; give [min, max] with 0 <= min <= max.`);
    const knownNumbers = (
      await db.query<{ value: string }>(`SELECT value FROM customer_identities WHERE tenant_id = $1 AND kind = 'phone' ORDER BY value LIMIT 5000`, [tenantId])
    ).map((r) => r.value);
    const sim = createOfferSimulator({
      hooks: {
        availableAgents: async () => {
          const free = [];
          for (const a of sockets.presence.availableAgents(tenantId)) if (await sockets.floor.isAvailable(tenantId, a.username)) free.push(a);
          return free;
        },
        offer: async (call) => {
          // The agent handles the call for a while: no other offer until it is over (ringing -> on_call -> wrap_up -> available).
          const handleMs = handleMin + Math.random() * (handleMax - handleMin);
          const offered = await offer({ ...call, tenantId }, handleMs);
          const played = playSimulatedCall(offered, handleMs, {
            ingest: (e) => sockets.floor.ingestCti(tenantId, e),
            finishWrapUp: (agent, interactionId) => sockets.floor.finishWrapUp(tenantId, agent, interactionId),
            onError: (err) => log.warn({ err: errSummary(err) }, 'simulated call step failed'),
          });
          sockets.callControl.own(tenantId, offered.interactionId, offered.agent, played);
          for (const c of simulatedCalls) if (c.over) simulatedCalls.delete(c);
          simulatedCalls.add(played);
        },
      },
      knownNumbers,
      queues,
      dnis: DEMO_CENTER_NUMBER,
      offerIntervalMs: cfg.offerIntervalMs ?? DEFAULT_OFFER_INTERVAL_MS,
      unknownCallerShare: cfg.unknownCallerShare ?? 0.15,
      logger: log,
    });
    sim.start();
    log.info({ tenant: tenantId, queues: queues.length }, 'call simulator started');
    return () => sim.stop();
  }

  let stopping: Promise<void> | null = null;
  const running: RunningCenter = {
    url: `http://${host}:${port}`,
    port,
    db,
    stop: () =>
      (stopping ??= (async () => {
        status = 'stopping';
        stopSimulator();
        simulatedCalls.forEach((c) => c.cancel());
        clearInterval(floorTimer);
        await sockets.floor.settle();
        clearInterval(valueTimer);
        clearInterval(retentionTimer);
        // Closing socket.io also closes the HTTP server; idle keep-alive connections are dropped so
        // close completes, while requests in flight finish. Then the database lets running
        // transactions commit before it closes.
        const closed = sockets.close();
        httpServer.closeIdleConnections();
        await closed;
        await db.close();
        log.info('center stopped');
      })()),
  };
  offerers.set(running, offer);
  return running;
}

export type { Db } from './db/db';
