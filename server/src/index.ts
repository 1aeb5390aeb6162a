// Public entry of the Earshot center: starts the HTTP + socket.io server over PGlite or PostgreSQL.
import { randomInt } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import pino, { type DestinationStream, type Logger } from 'pino';
import pkg from '../package.json';
import { createLogin } from './auth/login';
import { enterRequest } from './auth/client-address';
import { recordOfferedCall, type CallToOffer } from './calls/offer';
import type { CallOffered } from '../../shared/protocol';
import type { CtiEvent } from './cti/events';
import { acdCall } from './cti/acd-call';
import { startAmiSource, type AmiSourceOptions } from './cti/ami/ami-source';
import { AcdSimulator, createVirtualClock } from './cti/acd-simulator';
import { handleCtiWebhook } from './cti/webhook';
import { createDbWebhookStore, createWebhookSecretCache } from './cti/webhook-store';
import { createAgentDirectory } from './cti/agent-directory';
import type { Db } from './db/db';
import { isMigrated } from './db/migrate';
import { openDb } from './db/open';
import { startPgliteMaintenance } from './db/pglite-maintenance';
import { DEMO_CENTER_NUMBER, generateDemoData } from './demo/generate';
import { createPrng } from './demo/prng';
import { startOfLocalDay } from './queues/local-day';
import { createHttpHandler } from './http/routes';
import { CTI_OWNER_LOCK_KEY, createLeadership, createSingleNodeLeadership } from './cluster/leadership';
import { createCtiJournalWriter, pruneCtiJournalBefore } from './cluster/cti-journal';
import { resumeCtiFromJournal } from './cluster/cti-takeover';
import { signedInAgents } from './cluster/presence';
import { attachRedisAdapter } from './cluster/redis-adapter';
import { RESTORE_LOOKBACK_MS } from './floor/floor';
import { EVENTS } from '../../shared/protocol';
import { CONNECT_SETTLE_MS } from './io/presence';
import { createSockets, errSummary } from './io/socket';
import { recomputeCustomerValues } from './jobs/customer-values';
import { demoSeedKey, seedDemo } from './seed/demo';
import { pokeAudience } from './sync/poke';
import { pruneChangeLogBefore } from './sync/pull';
import { createWallboardHttp } from './wallboard/http';

export interface CenterOptions {
  host?: string; // default '127.0.0.1'
  port?: number; // 0 = any free port
  dataDir?: string; // PGlite directory; undefined + no databaseUrl = in-memory PGlite
  databaseUrl?: string; // PostgreSQL
  demo?: boolean; // seed demo data on first start (idempotent)
  /** The demo telephony. `handleTimeMs`: how long an offered agent stays busy (ring + talk + wrap-up), default 120–240 s. */
  simulate?: boolean | { offerIntervalMs?: [number, number]; unknownCallerShare?: number; handleTimeMs?: [number, number] };
  logLevel?: string; // pino level, default 'info'; 'silent' in tests
  /** Several center nodes: socket.io's Redis adapter carries room emits between nodes (server/src/cluster). */
  redisUrl?: string;
  /** An Asterisk server's Manager Interface as a CTI source of one tenant (run by the CTI owner). */
  ami?: Omit<AmiSourceOptions, 'dnis'> & { dnis?: string };
  /** Proxies in front of the center whose X-Forwarded-For is trusted for the client address (login limits); default 0. */
  trustProxy?: number;
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
/** The demo's callers: mean patience in the queue, and how many wait at most per queue (more hear busy). */
const DEMO_PATIENCE_SEC = 90;
const DEMO_MAX_WAITING = 10;
/** Arrivals faster than this on average are not simulated (an offer interval of 0-0 would spin). */
const MIN_MEAN_ARRIVAL_GAP_MS = 10;
const SIMULATOR_TICK_MS = 200;

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
  // Idle keep-alive connections stay open longer than a load balancer's idle timeout (commonly 60 s),
  // so it is always the balancer that closes one, never the center just as a request is sent on it
  // (Node's default, 5 s, turns that race into failed CTI webhook posts: "socket hang up", measured
  // in the floor bench's keep-alive feed). The header timeout must exceed it (Node's rule).
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  httpServer.prependListener('request', (req) => enterRequest(req, opts.trustProxy ?? 0));
  // Several nodes (Redis + PostgreSQL): the agent floor lives on the CTI owner, once it has restored it.
  const cluster = Boolean(opts.redisUrl && opts.databaseUrl);
  let floorOwned = !cluster;
  const sockets = createSockets(httpServer, db, log, cluster ? { isOwner: () => floorOwned } : undefined);
  const redisAdapter = opts.redisUrl
    ? await attachRedisAdapter(sockets.io, opts.redisUrl, log).catch(async (err: unknown) => {
        await db.close();
        throw err;
      })
    : null;
  const handler = createHttpHandler({
    db,
    version: CENTER_VERSION,
    login: createLogin(db),
    status: () => status,
    ready: () => isMigrated(db).catch(() => false),
    onSignOut: (p) => sockets.dropSession(p.tokenHash),
    onError: (err, route) => log.error({ err: errSummary(err), route }, 'http request failed'),
    ctiWebhook: (req) => handleCtiWebhook(req, { secretsFor: webhookSecrets, store: webhookStore, onEvent: onCtiEvent, logger: log }),
    wallboard: createWallboardHttp({ db, metricsOf: (tenantId) => sockets.floor.fullPush(tenantId) }),
  });
  const webhookStore = createDbWebhookStore(db);
  const webhookSecrets = createWebhookSecretCache(db);

  const ringingAgents = createAgentDirectory(db);
  /** A switch's event (webhook, AMI): metrics and agent states follow; a ringing call pops the agent's screen. */
  async function onCtiEvent(tenantId: string, event: CtiEvent): Promise<void> {
    await sockets.floor.ingestCti(tenantId, event);
    if (event.type !== 'call_ringing') return;
    const user = await ringingAgents.find(tenantId, event.agent);
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

  // Exactly one node runs the CTI sources (the simulator): the holder of a PostgreSQL advisory lock;
  // on PGlite the one process. Another node takes over within seconds when the owner dies.
  let stopCti: () => Promise<void> = async () => undefined;
  const ctiHooks = {
    log,
    onAcquire: async () => {
      if (cluster) await takeFloor();
      const stopSim = opts.simulate ? await startSimulator() : async () => undefined;
      const stopAmi = opts.ami
        ? await startAmiSource(db, { ...opts.ami, dnis: opts.ami.dnis ?? 'unknown' }, { onEvent: onCtiEvent, own: sockets.callControl.own, agentStates: (t) => sockets.localFloor.agentStates(t), log }).catch(async (err: unknown) => {
            await stopSim();
            throw err;
          })
        : async () => undefined;
      stopCti = async () => {
        await stopAmi();
        await stopSim();
      };
    },
    onLose: async () => {
      const stopping = stopCti;
      stopCti = async () => undefined;
      await stopping();
      if (cluster) {
        floorOwned = false;
        await sockets.localFloor.forget();
      }
    },
  };
  const ctiOwner = opts.databaseUrl
    ? createLeadership({ ...ctiHooks, databaseUrl: opts.databaseUrl, key: CTI_OWNER_LOCK_KEY, retryMs: 1000, applicationName: `earshot-center cti-owner :${port}` })
    : createSingleNodeLeadership(ctiHooks);
  ctiOwner.start();
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
    pruneCtiJournalBefore(db, new Date(Date.now() - CHANGE_LOG_RETENTION_DAYS * 86_400_000)).then(
      (pruned) => pruned > 0 && log.info({ pruned }, 'CTI journal pruned'),
      (err: unknown) => log.warn({ err: errSummary(err) }, 'CTI journal pruning failed; will retry'),
    );
  }, RETENTION_CHECK_MS);
  retentionTimer.unref();
  // PGlite has no autovacuum: the center gathers statistics and clears dead rows itself, from now on.
  const maintenance =
    db.driver === 'pglite'
      ? startPgliteMaintenance(db, {
          onRun: (run) => log.info(run, 'table maintained'),
          onError: (table, err) => log.warn({ table, err: errSummary(err) }, 'table maintenance failed; will retry'),
        })
      : null;
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

  /**
   * This node became the CTI owner of several: it restores every tenant's agent states from
   * agent_state_changes (agents signed in nowhere keep theirs for the grace period), then owns the
   * floor, then registers the agents signed in on any node (their connect may have found no owner).
   */
  async function takeFloor(): Promise<void> {
    const present = await signedInAgents(sockets.io);
    const presentIds = new Set(present.map((a) => a.userId));
    const since = new Date(Date.now() - RESTORE_LOOKBACK_MS);
    let restored = 0;
    for (const t of await db.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM agent_state_changes WHERE at >= $1', [since])) {
      restored += await sockets.localFloor.restore(t.tenant_id, { present: presentIds });
    }
    floorOwned = true;
    for (const a of present) {
      const state = await sockets.localFloor.connected(a).catch((err: unknown) => {
        log.warn({ err: errSummary(err), userId: a.userId }, 'a signed-in agent could not be registered with the floor');
        return null;
      });
      if (state) sockets.io.to(`agent:${a.userId}`).emit(EVENTS.agentState, state);
    }
    log.info({ restored, present: present.length }, 'agent floor taken over');
  }

  /**
   * The demo's telephony on the CTI owner: the ACD simulator on the first tenant with queues, every
   * agent of the tenant driven by the demo's script (answered after 5 % of a handle time, ended by the
   * caller, wrap-up done after the rest; a person at the desktop may act sooner). Callers arrive at the
   * mean of the offer interval and wait in the queue. Each event is journaled, then counted and popped.
   * With PostgreSQL, a new owner first replays today's journal into the metrics and takes the open calls over.
   */
  async function startSimulator(): Promise<() => Promise<void>> {
    const cfg = typeof opts.simulate === 'object' ? opts.simulate : {};
    const tenants = await db.query<{ id: string; time_zone: string }>('SELECT id, time_zone FROM tenants ORDER BY id');
    const tenant = tenants.find((t) => t.id === demoTenant) ?? tenants[0];
    const tenantId = tenant?.id;
    const queues = tenantId ? (await db.query<{ id: string }>('SELECT id FROM queues WHERE tenant_id = $1 ORDER BY id', [tenantId])).map((q) => q.id) : [];
    if (!tenant || !tenantId || queues.length === 0) {
      log.warn('call simulator not started: no tenant with queues (start with --demo, or create queues first)');
      return async () => undefined;
    }
    const [handleMin, handleMax] = cfg.handleTimeMs ?? DEFAULT_HANDLE_TIME_MS;
    if (!(handleMin >= 0 && handleMax >= handleMin)) throw new Error(`Simulated handle time [${handleMin}, ${handleMax}] ms is not a range; give [min, max] with 0 <= min <= max.`);
    const [gapMin, gapMax] = cfg.offerIntervalMs ?? DEFAULT_OFFER_INTERVAL_MS;
    if (!(gapMin >= 0 && gapMax >= gapMin)) throw new Error(`Offer interval [${gapMin}, ${gapMax}] ms is not a range; give [min, max] with 0 <= min <= max.`);
    const meanGapMs = Math.max(MIN_MEAN_ARRIVAL_GAP_MS, (gapMin + gapMax) / 2);
    const knownNumbers = (
      await db.query<{ value: string }>(`SELECT value FROM customer_identities WHERE tenant_id = $1 AND kind = 'phone' ORDER BY value LIMIT 5000`, [tenantId])
    ).map((r) => r.value);
    const userIds = new Map(
      (await db.query<{ id: string; username: string }>(`SELECT id, username FROM users WHERE tenant_id = $1 AND role = 'agent' AND NOT disabled ORDER BY username`, [tenantId])).map(
        (u) => [u.username, u.id] as const,
      ),
    );
    const agents = await sockets.localFloor.agentStates(tenantId);
    let live = true;
    const failed = (what: string) => (err: unknown) => log.warn({ err: errSummary(err), tenant: tenantId }, what);
    const journal = createCtiJournalWriter(db, {
      tenantId,
      node: `${hostname()}:${port}`,
      log,
      onRecorded: (e) => {
        if (!live) return;
        sockets.localFloor.ingestMetrics(tenantId, e).catch(failed('a simulated call event was not counted'));
        if (e.type !== 'call_ringing') return;
        const agentUserId = userIds.get(e.agent);
        if (!agentUserId) return;
        sockets.callControl.own(tenantId, e.interactionId, e.agent, acdCall(sim, e.agent, e.interactionId, queues));
        offer({ tenantId, ani: e.ani, dnis: e.dnis, queue: e.queue, agentUserId, agentUsername: e.agent, interactionId: e.interactionId }).catch(
          failed('a simulated call was not offered to the agent'),
        );
      },
    });
    const meanHandleSec = (handleMin + handleMax) / 2000;
    const sim = new AcdSimulator({
      clock: createVirtualClock(Date.now()),
      random: createPrng(randomInt(2 ** 31)),
      agents,
      queues: queues.map((id) => ({
        id,
        arrivalsPerHour: 3_600_000 / meanGapMs / queues.length,
        meanPatienceSec: DEMO_PATIENCE_SEC,
        meanTalkSec: Math.max(1, meanHandleSec * 0.75),
        meanWrapUpSec: meanHandleSec * 0.2,
      })),
      // The script answers after 5 % of the handle time: the ring must not time out first.
      ringTimeoutSec: Math.max(15, Math.ceil((handleMax / 1000) * 0.05) + 5),
      dnis: DEMO_CENTER_NUMBER,
      callerNumbers: knownNumbers,
      unknownCallerShare: cfg.unknownCallerShare ?? 0.15,
      maxWaitingPerQueue: DEMO_MAX_WAITING,
      signInSettleMs: CONNECT_SETTLE_MS,
      simulated: {
        agents: [...userIds.keys()],
        signIn: false,
        handleTimeSec: [handleMin / 1000, handleMax / 1000],
        answerAfterSec: [0, 0],
        missChance: 0,
        holdChance: 0,
        meanHoldSec: 30,
        transferToQueueChance: 0,
        transferToAgentChance: 0,
        callerHangsUpChance: 1,
        breakChance: 0,
        meanBreakSec: 60,
        backAfterMissSec: 30,
      },
      onEvent: (e) => journal.record(e),
    });
    if (opts.databaseUrl) {
      const r = await resumeCtiFromJournal(db, {
        tenantId,
        simulator: sim,
        replayFrom: new Date(startOfLocalDay(Date.now(), tenant.time_zone)),
        replay: (e) => void sockets.localFloor.ingestMetrics(tenantId, e).catch(failed('a journaled call event was not counted')),
      });
      log.info({ tenant: tenantId, ...r }, 'CTI journal resumed');
    }
    sim.runRealtime(SIMULATOR_TICK_MS);
    log.info({ tenant: tenantId, queues: queues.length }, 'call simulator started');
    return async () => {
      sim.close();
      await journal.flush();
      live = false;
    };
  }

  let stopping: Promise<void> | null = null;
  const running: RunningCenter = {
    url: `http://${host}:${port}`,
    port,
    db,
    stop: () =>
      (stopping ??= (async () => {
        status = 'stopping';
        await ctiOwner.stop();
        clearInterval(floorTimer);
        await sockets.floor.settle();
        clearInterval(valueTimer);
        clearInterval(retentionTimer);
        await maintenance?.stop();
        // Closing socket.io also closes the HTTP server; idle keep-alive connections are dropped so
        // close completes, while requests in flight finish. Then the database lets running
        // transactions commit before it closes.
        const closed = sockets.close();
        httpServer.closeIdleConnections();
        await closed;
        await redisAdapter?.close();
        await db.close();
        log.info('center stopped');
      })()),
  };
  offerers.set(running, offer);
  return running;
}

export type { Db } from './db/db';
