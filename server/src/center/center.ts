// The composition root: builds the database, the floor, call control and intake, the CTI sources,
// the cluster pieces, the HTTP routes and the sockets, and hands each what it needs. Nothing else
// in the center builds another room's parts; nothing imports this but the public entry (index.ts).
import { createServer, type Server as HttpServer } from 'node:http';
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import pino, { type DestinationStream, type Logger } from 'pino';
import pkg from '../../package.json';
import { EVENTS, type CallOffered } from '../../../shared/protocol';
import { createAdminHttp } from '../audit/http';
import { enterRequest } from '../auth/client-address';
import { createLogin } from '../auth/login';
import { createThrottle } from '../auth/throttle';
import { dbThrottleStore, pruneThrottleCounters } from '../auth/throttle-db';
import { createSessionCheck } from '../auth/session-check';
import { takesCalls } from '../auth/sessions';
import { errSummary } from '../base/log';
import { createChannels, type Channels } from '../channels/channels';
import { channelEvents } from '../channels/events';
import { demoMailHttp, startDemoMailbox } from '../channels/demo-mail';
import { startMailChannel, type MailChannel, type MailOptions } from '../channels/mail';
import { channelFigures } from '../channels/metrics';
import { createCallControl } from '../calls/call-control';
import { callEvents } from '../calls/events';
import { offerInProgress } from '../calls/in-progress';
import { createCallIntake } from '../calls/intake';
import type { CallToOffer } from '../calls/offer';
import { relayToOwner } from '../cluster/floor-relay';
import { pruneCtiJournalBefore } from '../cluster/cti-journal';
import { CTI_OWNER_LOCK_KEY, createLeadership, createSingleNodeLeadership } from '../cluster/leadership';
import { attachRedisAdapter } from '../cluster/redis-adapter';
import { redisThrottleStore } from '../cluster/redis-throttle';
import { signedInAgents, signedInUsers } from '../cluster/signed-in';
import { startAmiSource, type AmiSourceOptions } from '../cti/ami/ami-source';
import { createCallIdKeys } from '../cti/call-ids';
import { createDialler, type AmiDialler } from '../cti/place-call';
import { handleCtiWebhook } from '../cti/webhook';
import { createDbWebhookStore, createWebhookSecretCache } from '../cti/webhook-store';
import type { Db } from '../db/db';
import { readCenterIdentity, type CenterIdentity } from '../db/identity';
import { isMigrated } from '../db/migrate';
import { openDb } from '../db/open';
import { startPgliteMaintenance } from '../db/pglite-maintenance';
import type { PgliteDb } from '../db/pglite';
import { generateDemoData } from '../demo/generate';
import { createCustomerNames } from '../floor/customer-names';
import { createFloor } from '../floor/floor';
import { takeFloorOver } from '../floor/takeover';
import { floorDesktops } from '../floor/wire/desktops';
import { floorEvents } from '../floor/wire/events';
import { createHttpHandler } from '../http/routes';
import { createSocketServer, serveDesktops, type DesktopHooks } from '../io/socket';
import { createOutlet } from '../io/rooms';
import { startNightlyValues } from '../value/nightly';
import { lookupEvents } from '../lookup/events';
import { createLookupLimit } from '../lookup/limit';
import { readOfferedCallerPop } from '../lookup/screen-pop';
import { demoSeedKey, seedDemo } from '../demo/seed';
import { checkSyncClient } from '../sync/clients';
import { createPoke, syncEvents } from '../sync/events';
import { grantQueue } from '../sync/grants';
import { pruneChangeLogBefore } from '../sync/pull';
import { pushMutations, type PushHooks } from '../sync/push';
import { readVocConfig } from '../voc/config';
import { vocEvents } from '../voc/events';
import { createVocAdminHttp } from '../voc/http';
import { createAnalysisHttp } from '../voc/analysis-http';
import { createImprovementsHttp } from '../voc/improvements-http';
import { createVocNotifier } from '../voc/notify';
import { startVocWorker, sweepDeadlines } from '../voc/worker';
import { applyVocAct, registerRaised } from '../voc/workflow';
import { createWallboardHttp } from '../wallboard/http';
import { createWebchatHttp } from '../channels/chat/http';
import { createAttachmentsHttp } from '../channels/attachments';
import { createEmailSender } from '../channels/email';
import { chatOutbound, serveVisitors, visitorTypingEvents } from '../channels/chat/namespace';
import { startDemoTelephony, type DemoTelephonyOptions } from './demo-telephony';
import { startDemoColleagues } from './demo-colleagues';
import { startDemoVoc } from './demo-voc';

export interface CenterOptions {
  host?: string; // default '127.0.0.1'
  port?: number; // 0 = any free port
  dataDir?: string; // PGlite directory; undefined + no databaseUrl = in-memory PGlite
  databaseUrl?: string; // PostgreSQL
  demo?: boolean; // seed demo data on first start (idempotent)
  /** The demo telephony. `handleTimeMs`: how long an offered agent stays busy (ring + talk + wrap-up), default 120–240 s. */
  simulate?: boolean | DemoTelephonyOptions;
  logLevel?: string; // pino level, default 'info'; 'silent' in tests
  /** Several center nodes: socket.io's Redis adapter carries room emits between nodes (server/src/cluster). */
  redisUrl?: string;
  /** An Asterisk server's Manager Interface as a CTI source of one tenant (run by the CTI owner). */
  ami?: Omit<AmiSourceOptions, 'dnis'> & { dnis?: string };
  /** Proxies in front of the center whose X-Forwarded-For is trusted for the client address (login limits); default 0. */
  trustProxy?: number;
  /** Chats and emails (server/src/channels): how long an agent has to accept an offer, default 20 s. */
  channels?: { offerTimeoutMs?: number };
  /** Email (server/src/channels/mail.ts): the SMTP receiver tenants' mail servers forward to; no mail when absent. */
  mail?: MailOptions;
}
export interface RunningCenter {
  url: string;
  port: number;
  db: Db;
  stop(): Promise<void>;
}

/** Not part of the agreed options: where logs go (default stdout). Tests read the log through it. */
export interface CenterInternals {
  logDestination?: DestinationStream;
}

export const CENTER_VERSION: string = pkg.version;
const RETENTION_CHECK_MS = 60 * 60 * 1000;
/** Change-log rows older than this are pruned; a desktop offline longer re-bootstraps (SYNC.md). */
export const CHANGE_LOG_RETENTION_DAYS = 30;
const FLOOR_TICK_MS = 1000;
/** The queue a follow-up call is recorded under (it came from no inbound queue). */
const FOLLOW_UP_QUEUE = 'follow-up';

/** What `offerCall` needs from a running center; kept off RunningCenter so its shape stays as agreed. */
const offerers = new WeakMap<RunningCenter, (call: CallToOffer) => Promise<CallOffered>>();
export const offererOf = (center: RunningCenter) => offerers.get(center);
/** Runs the VOC deadline sweep of a running center now, as its worker does every 15 s (tests). */
const sweepers = new WeakMap<RunningCenter, () => Promise<unknown>>();
export const vocSweepOf = (center: RunningCenter) => sweepers.get(center);
/** The channels' intake and outbound ports of a running center (the email receiver, the chat namespace, tests). */
const channelModules = new WeakMap<RunningCenter, Channels>();
export const channelsOf = (center: RunningCenter) => channelModules.get(center);
const mailModules = new WeakMap<RunningCenter, MailChannel>();
/** The running center's email channel (its SMTP receiver's address), when it has one. */
export const mailOf = (center: RunningCenter) => mailModules.get(center);
const socketServers = new WeakMap<RunningCenter, ReturnType<typeof createSocketServer>>();
/** The running center's socket.io server (benchmarks clock an emit where it leaves the center). */
export const socketServerOf = (center: RunningCenter) => socketServers.get(center);

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
  // Read once: a restore renews it, and a restore refuses while a center uses the database.
  let identity: CenterIdentity;
  try {
    identity = await readCenterIdentity(db);
    log.info({ centerId: identity.id, restored: identity.restored }, 'center database identity');
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

  // The rooms. Several nodes (Redis + PostgreSQL): the floor lives on the CTI owner, once it has
  // restored it; every node's handlers reach it through the relay.
  const cluster = Boolean(opts.redisUrl && opts.databaseUrl);
  let floorOwned = !cluster;
  const io = createSocketServer(httpServer);
  const outlet = createOutlet(io);
  const customerNames = createCustomerNames(db, log);
  const localFloor = createFloor(db, log, { toAgent: outlet.toAgent, toSupervisors: customerNames.outlet(outlet.toSupervisors) }, Date.now, {
    channelsOf: (tenantId, queues, at) => channelFigures(db, tenantId, queues, at),
  });
  const localCallControl = createCallControl(localFloor);
  const relayed = cluster ? relayToOwner(io, localFloor, localCallControl, { isOwner: () => floorOwned, log }) : null;
  const floor = relayed?.floor ?? localFloor;
  const callControl = relayed?.callControl ?? localCallControl;
  const vocNotifier = createVocNotifier({ db, outlet, log });
  const pokeOnly = createPoke(db, outlet, log);
  // Every commit's changes poke the desktops that see them; moved VOC items also refresh their desks;
  // an interaction linked to another customer gets its name on the agents grid afresh.
  const poke: typeof pokeOnly = (tenantId, r) => {
    vocNotifier.itemsChanged(tenantId, r.changes);
    for (const c of r.changes) if (c.entity === 'interaction') customerNames.interactionChanged(tenantId, c.id, c.customerId ?? null);
    return pokeOnly(tenantId, r);
  };
  const intake = createCallIntake({
    db,
    outlet,
    poke,
    ingestCti: (tenantId, event) => floor.ingestCti(tenantId, event),
    readCallerPop: (who, customerId) => readOfferedCallerPop(db, who, customerId),
    // The agents grid's name for the call, known here without a query. On several nodes only this
    // node's cache learns it; the floor's owner, if another node, looks it up (customer-names.ts).
    callerFound: customerNames.callerFound,
    log,
  });
  // Chats and emails are routed where the floor lives (their offers need its agent states).
  const channels = createChannels({
    db,
    outlet,
    poke,
    agentStates: (tenantId) => localFloor.agentStates(tenantId),
    routes: () => floorOwned && ctiOwner.isLeader(),
    readPop: (who, customerId) => readOfferedCallerPop(db, who, customerId),
    log,
    present: (tenantId) => signedInUsers(io, tenantId),
    offerTimeoutMs: opts.channels?.offerTimeoutMs,
  });
  // The web chat's visitors (their own namespace); agents' chat replies reach them through the port.
  const visitors = serveVisitors(io, {
    db,
    channels,
    outlet,
    log,
    transcripts: { sender: createEmailSender({ centerDomain: opts.mail?.domain ?? hostname() }), ...(opts.mail && { domain: opts.mail.domain }) },
  });
  channels.setOutbound('chat', chatOutbound(visitors, db, channels, log));
  const amiDiallers = new Map<string, AmiDialler>();
  const placeCall = createDialler({ db, amiOf: (t) => amiDiallers.get(t), placeCallUrlOf: async (t) => (await readVocConfig(db, t)).placeCallUrl });
  const redisAdapter = opts.redisUrl
    ? await attachRedisAdapter(io, opts.redisUrl, log).catch(async (err: unknown) => {
        await db.close();
        throw err;
      })
    : null;
  // Sign-in (and lookup) counters: shared through Redis when the nodes share one, else the database.
  let throttleErrors = 0;
  const throttle = createThrottle(redisAdapter ? redisThrottleStore(redisAdapter.commands) : dbThrottleStore(db), {
    onStoreError: (err) => {
      if (throttleErrors++ % 100 === 0) log.warn({ err: errSummary(err), errors: throttleErrors }, "throttle counters could not be shared; this node's own counts apply meanwhile");
    },
  });
  const sessions = createSessionCheck(db, log);
  // What a push does besides notes: VOC items raised are registered and routed, `voc.act` steps applied.
  const pushHooks: PushHooks = { vocRaised: registerRaised, handlers: { 'voc.act': applyVocAct } };
  // An agent's desktop that connects gets the chats and emails still offered to them again.
  const withOffersAgain = (hooks: DesktopHooks): DesktopHooks => ({
    ...hooks,
    connected: async (who, send) => {
      const ready = await hooks.connected(who, send);
      if (takesCalls(who)) channels.offersAgain(who, send).catch((err: unknown) => log.warn({ err: errSummary(err), userId: who.userId }, 'open chat and email offers not sent again'));
      return ready;
    },
  });
  const sockets = serveDesktops(io, {
    log,
    sessions,
    checkClient: (clientId, who) => checkSyncClient(db, clientId, who),
    events: {
      ...syncEvents(db, poke, identity, pushHooks),
      ...lookupEvents(db, poke, log, createLookupLimit(db, throttle)),
      ...floorEvents(db, floor, outlet),
      ...callEvents(callControl),
      ...channelEvents(channels, { db, out: outlet }),
      ...visitorTypingEvents(db, visitors),
      ...vocEvents(db, {
        offerOutbound: (call) => intake.offerOutbound({ ...call, queue: FOLLOW_UP_QUEUE, dnis: call.number }),
        placeCall,
      }),
    },
    desktops: withOffersAgain(floorDesktops({ floor, customerNames, callInProgress: (who, state) => offerInProgress(db, who, state), log })),
  });

  const webhookStore = createDbWebhookStore(db);
  const webhookSecrets = createWebhookSecretCache(db);
  const callIdKey = createCallIdKeys(db);
  const analysisHttp = createAnalysisHttp({ db });
  // Done improvements reach the floor the way great service does: to every desktop of the tenant.
  const improvementsHttp = createImprovementsHttp({
    db,
    announce: (tenantId, a) => outlet.toTenant(tenantId, EVENTS.improvementShared, a),
    changed: (tenantId, c) => outlet.toTenant(tenantId, EVENTS.improvementChanged, c),
  });
  let demoMail: ReturnType<typeof demoMailHttp> | null = null;
  const handler = createHttpHandler({
    db,
    version: CENTER_VERSION,
    login: createLogin(db, { throttle }),
    status: () => status,
    ready: () => isMigrated(db).catch(() => false),
    onSignOut: (p) => sockets.dropSession(p.tokenHash),
    onError: (err, route) => log.error({ err: errSummary(err), route }, 'http request failed'),
    ctiWebhook: (req) => handleCtiWebhook(req, { secretsFor: webhookSecrets, store: webhookStore, callIdKey, onEvent: intake.onCtiEvent, logger: log }),
    wallboard: createWallboardHttp({ db, metricsOf: (tenantId) => floor.fullPush(tenantId) }),
    webchat: createWebchatHttp({ db, ...(opts.demo && { demoTenant: 'demo', demoMail: () => demoMail }) }),
    vocAdmin: createVocAdminHttp({
      db,
      poke: (tenantId, r) => {
        vocNotifier.forget(tenantId);
        void poke(tenantId, r);
      },
    }),
    analysis: async (who, req, res, url, read) => (await analysisHttp(who, req, res, url)) || (await improvementsHttp(who, req, res, url, read)),
    admin: createAdminHttp(db),
    attachments: createAttachmentsHttp(db),
  });
  // socket.io answers its own path; everything else is ours.
  httpServer.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    void handler(req, res);
  });

  const mail = opts.mail
    ? await startMailChannel({ db, channels, log }, opts.mail).catch(async (err: unknown) => {
        await db.close();
        throw err;
      })
    : null;
  if (mail) log.info({ port: mail.receiver.port, host: mail.receiver.host }, 'mail receiver listening');
  // The demo's mailbox (its tenant's "mail server") and the customer's mail form on the demo page.
  const demoMailbox = mail && opts.demo ? await startDemoMailbox(db) : null;
  if (mail && demoMailbox) demoMail = demoMailHttp({ receiverPort: mail.receiver.port, domain: opts.mail!.domain, mailbox: demoMailbox });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(opts.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await mail?.close();
    await db.close();
    throw err;
  });
  const port = (httpServer.address() as AddressInfo).port;
  // A second start on this PGlite directory reads where this center listens from its lock.
  if (db.driver === 'pglite') (db as PgliteDb).lock?.update({ url: `http://${host}:${port}` });

  // Exactly one node runs the CTI sources (the simulator, the AMI link): the holder of a PostgreSQL
  // advisory lock; on PGlite the one process. Another node takes over within seconds when the owner dies.
  let stopCti: () => Promise<void> = async () => undefined;
  const ctiHooks = {
    log,
    onAcquire: async () => {
      if (cluster) {
        await takeFloorOver({ db, floor: localFloor, signedIn: () => signedInAgents(io), outlet, owned: () => (floorOwned = true), log });
      }
      const stopSim = opts.simulate
        ? await startDemoTelephony(typeof opts.simulate === 'object' ? opts.simulate : {}, {
            db,
            floor: localFloor,
            callControl: localCallControl,
            intake,
            demoTenant,
            resume: Boolean(opts.databaseUrl),
            node: `${hostname()}:${port}`,
            log,
          })
        : async () => undefined;
      const ami = opts.ami;
      const stopAmi = ami
        ? await startAmiSource(
            db,
            { ...ami, dnis: ami.dnis ?? 'unknown' },
            {
              callIdKey,
              onEvent: intake.onCtiEvent,
              own: localCallControl.own,
              agentStates: (t) => localFloor.agentStates(t),
              onDialler: (dial) => (dial ? amiDiallers.set(ami.tenantId, dial) : amiDiallers.delete(ami.tenantId)),
              log,
            },
          ).catch(
            async (err: unknown) => {
              await stopSim();
              throw err;
            },
          )
        : async () => undefined;
      // The VOC loop's deadline sweep and assigner run where CTI runs: on exactly one node.
      const stopVoc = startVocWorker({
        db,
        notifier: vocNotifier,
        present: (tenantId) => signedInUsers(io, tenantId),
        onCommitted: (tenantId, r) => void poke(tenantId, r),
        log,
      });
      // The demo's department colleagues work the items nobody signed in owns.
      const stopDemoVoc =
        opts.simulate && demoTenant
          ? startDemoVoc({ db, tenantId: demoTenant, present: (tenantId) => signedInUsers(io, tenantId), onCommitted: (tenantId, r) => void poke(tenantId, r), log })
          : async () => undefined;
      // The demo's colleagues on the floor: the other agents sign in, work the calls and write them up.
      const colleagues = typeof opts.simulate === 'object' ? opts.simulate.colleagues : undefined;
      const stopColleagues =
        colleagues && demoTenant
          ? await startDemoColleagues(colleagues, {
              db,
              tenantId: demoTenant,
              floor: localFloor,
              present: (tenantId) => signedInUsers(io, tenantId),
              push: async (who, req) => {
                const r = await pushMutations(db, who, req, pushHooks);
                void poke(who.tenantId, r);
                return r.value;
              },
              log,
            }).catch(async (err: unknown) => {
              await stopDemoVoc();
              await stopVoc();
              await stopAmi();
              await stopSim();
              throw err;
            })
          : async () => undefined;
      stopCti = async () => {
        await stopColleagues();
        await stopDemoVoc();
        await stopVoc();
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
        await localFloor.forget();
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
    floor
      .tick()
      .catch((err: unknown) => log.warn({ err: errSummary(err) }, 'floor tick failed; will retry next second'))
      .finally(() => (floorBusy = false));
  }, FLOOR_TICK_MS);
  floorTimer.unref();
  let channelsBusy = false;
  const channelsTimer = setInterval(() => {
    if (channelsBusy) return;
    channelsBusy = true;
    channels
      .tick()
      .catch((err: unknown) => log.warn({ err: errSummary(err) }, 'routing chats and emails failed; will retry next second'))
      .finally(() => (channelsBusy = false));
  }, FLOOR_TICK_MS);
  channelsTimer.unref();
  // Customer value, each tenant's once a night in its time zone (one node runs each; value/nightly.ts).
  const stopNightlyValues = startNightlyValues({ db, log });
  const retentionTimer = setInterval(() => {
    const before = new Date(Date.now() - CHANGE_LOG_RETENTION_DAYS * 86_400_000);
    pruneChangeLogBefore(db, before).then(
      (pruned) => pruned > 0 && log.info({ pruned }, 'change log pruned'),
      (err: unknown) => log.warn({ err: errSummary(err) }, 'change log pruning failed; will retry'),
    );
    pruneThrottleCounters(db).catch((err: unknown) => log.warn({ err: errSummary(err) }, 'throttle counter pruning failed; will retry'));
    pruneCtiJournalBefore(db, before).then(
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
        clearInterval(channelsTimer);
        await mail?.close();
        await demoMailbox?.close();
        await localFloor.settle();
        await stopNightlyValues();
        clearInterval(retentionTimer);
        await maintenance?.stop();
        // Closing socket.io also closes the HTTP server; idle keep-alive connections are dropped so
        // close completes, while requests in flight finish. Then the database lets running
        // transactions commit before it closes.
        relayed?.close();
        const closed = sockets.close();
        httpServer.closeIdleConnections();
        await closed;
        await sessions.close();
        await redisAdapter?.close();
        // Working-set grants still waiting for a quiet moment (PGlite) are written before the database closes.
        await grantQueue(db).drain();
        await db.close();
        log.info('center stopped');
      })()),
  };
  offerers.set(running, intake.offer);
  socketServers.set(running, io);
  channelModules.set(running, channels);
  if (mail) mailModules.set(running, mail);
  sweepers.set(running, () => sweepDeadlines(db, vocNotifier, (tenantId, r) => void poke(tenantId, r)));
  return running;
}

