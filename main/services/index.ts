// The desktop's services behind the DesktopApi: local store, session, sync engine and screen pop.
// Plain Node (never imports electron): runs inside Electron, in web mode and in tests alike.
import { join } from 'node:path';
import type { DesktopApiEvent, DesktopApiHandlers, EventPayload, SessionEndReason } from '../../shared/api/index';
import { CallOffered, EVENTS, Poke } from '../../shared/protocol/index';
import {
  DEFAULT_WORKING_SET_CAP,
  WriteRefusedError,
  clearSessionToken,
  countOutbox,
  createVocItem,
  lockLocalStore,
  forgetSession,
  openLocalDatabase,
  readSyncState,
  readVocItems,
  restartClient,
  saveNote,
  setLastActivityAt,
  wipeReplica,
  searchCustomers,
  touchCustomer,
  type Db,
  type StoreLogger,
  type StoreLock,
} from '../db/index';
import { createAgentDesk, type AgentDesk } from './agent/index';
import { createViewRecorder, type ViewRecorder } from './audit/views';
import { DesktopApiError } from './api-dispatch';
import { createCenterLink, type CenterLink } from './center-link';
import { createScreenPopService, type ScreenPopService } from './cti/screen-pop';
import { createRejectedHandlers } from './rejected';
import { createSettingsHandlers } from './settings/api';
import { createFlushCoordinator, type FlushOutcome } from './shutdown/flush';
import { loadSettings, type SettingsService } from './settings/index';
import { createEventHub } from './events';
import { createFloorRelay, type FloorRelay } from './supervisor/floor-relay';
import { createCapacityRelay, type CapacityRelay } from './supervisor/capacity-relay';
import { createThresholdsRelay, type ThresholdsRelay } from './supervisor/thresholds-relay';
import { createGreatServiceRelay, type GreatServiceRelay } from './great-service/relay';
import { createVocDesk, type VocDesk } from './voc/desk';
import { createInboxRelay, type InboxRelay } from './inbox/relay';
import { createSnippetHandlers } from './inbox/snippets';
import { createAnalysisReader } from './analysis';
import { createAttachmentReader } from './attachments';
import { createImprovementsClient, createImprovementsSharedRelay, type ImprovementsSharedRelay } from './voc/improvements';
import { adoptSession, describeSession, loginAtCenter, logoutAtCenter, restorableSession, type LiveSession } from './session';
import { createProcessVault, type TokenVault } from './session-vault';
import { backoffDelay, type BackoffPolicy } from './sync/backoff';
import { createSyncEngine, type SyncEngine } from './sync/engine';
import { uuidv7 } from './uuid';

export interface DesktopServicesOptions {
  dataDir: string; // per-user data dir; SQLite at <dataDir>/earshot.db
  centerUrl: string; // http://127.0.0.1:<port> (https too)
  autoSignIn?: { tenant: string; username: string; password: string }; // demo launcher
  logger?: { info(o: object, msg?: string): void; warn(o: object, msg?: string): void; error(o: object, msg?: string): void };
  settings?: SettingsService; // the shell's; without it, policy and <dataDir>/settings.json are read on first use
  /** Keeps the session token between launches (the shell's OS keychain); without it, this process only: sign in at every launch. */
  vault?: TokenVault;
}
export interface DesktopServices {
  handlers: DesktopApiHandlers; // from shared/api: one async function per method
  on<E extends DesktopApiEvent>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
  start(): Promise<void>; // open db (migrate, quick_check), restore session or autoSignIn, connect sync
  stop(): Promise<void>; // flush pending writes, disconnect, close db
  requestFlush(timeoutMs?: number): Promise<FlushOutcome>; // ask the renderer to save held-back notes; bounded wait (quit, window close)
  announce(where: { url: string }): void; // web mode: its address, for a second start to print (the lock file is the user's alone)
}

/** Knobs tests turn (short reconnect and retry delays, a small working set); products use the defaults. */
export interface DesktopServicesTuning {
  reconnectDelay?: { min: number; max: number };
  backoff?: BackoffPolicy;
  workingSetCap?: number;
  requestTimeoutMs?: number;
  pollMs?: number;
  /** The idle timeout instead of policy's minutes, and how often it is checked (default 30 s). */
  idleTimeoutMs?: number;
  idleCheckMs?: number;
}

/** Activity is written to the database at most this often (it only has to survive a restart roughly). */
const ACTIVITY_WRITE_MS = 60_000;

/**
 * How long the sync after a call offer waits for the pop to paint: the renderer holds its own news
 * as long at most (POP_FIRST_MAX_MS in renderer/app/desktop-events.ts).
 */
export const POP_FIRST_MS = 100;

const silentLogger: StoreLogger = { info() {}, warn() {}, error() {} };
const DEFAULT_IDLE_MS = 480 * 60_000;

interface Running {
  db: Db;
  lock: StoreLock;
  views: ViewRecorder;
  link: CenterLink;
  engine: SyncEngine;
  screenPop: ScreenPopService;
  agent: AgentDesk;
  floor: FloorRelay;
  thresholds: ThresholdsRelay;
  capacity: CapacityRelay;
  greatService: GreatServiceRelay;
  improvementsShared: ImprovementsSharedRelay;
  vocDesk: VocDesk;
  inbox: InboxRelay;
}

export function createDesktopServices(opts: DesktopServicesOptions, tuning: DesktopServicesTuning = {}): DesktopServices {
  const logger: StoreLogger = opts.logger ?? silentLogger;
  const hub = createEventHub((event, err) =>
    logger.warn({ event, err: err instanceof Error ? err.message : 'unknown' }, 'a desktop event listener failed'),
  );
  const flush = createFlushCoordinator({ emit: hub.emit });
  const vault = opts.vault ?? createProcessVault();
  let running: Running | null = null;
  let session: LiveSession | null = null;
  let stopping = false;
  // Session policy (machine policy over the settings file): read at start.
  let idleMs = tuning.idleTimeoutMs ?? DEFAULT_IDLE_MS;
  let wipeOnSignOut = false;
  let lastActivity = 0;
  let activityWrittenAt = 0;
  let idleTimer: NodeJS.Timeout | null = null;
  /** Set by signOut({ whenChangesWait: 'wait' }): sign out once the outbox has drained. */
  let signOutWhenSynced = false;
  let autoSignInTimer: NodeJS.Timeout | null = null;
  let autoSignInAttempt = 0;

  const analysis = createAnalysisReader({ centerUrl: opts.centerUrl, token: () => session?.token ?? null });
  const improvements = createImprovementsClient({ centerUrl: opts.centerUrl, token: () => session?.token ?? null });
  const attachments = createAttachmentReader({ centerUrl: opts.centerUrl, token: () => session?.token ?? null });

  function need(): Running {
    if (!running || stopping) throw new DesktopApiError('not_ready', 'The Earshot desktop is still starting (or shutting down). Try again in a moment.');
    return running;
  }

  /** The author of local writes: the signed-in agent, or the last one if their token lapsed while offline. */
  function author(r: Running): string {
    const user = session?.user ?? readSyncState(r.db).user;
    if (!user) throw new DesktopApiError('unauthenticated', 'Sign in before writing notes, so they can be saved under your name.');
    return user.username;
  }

  function connect(r: Running): void {
    if (!session) return;
    r.link.connect({ token: session.token, clientId: readSyncState(r.db).clientId });
  }

  async function signIn(credentials: { tenant: string; username: string; password: string }) {
    const r = need();
    const fresh = await loginAtCenter(opts.centerUrl, credentials);
    adoptSession(r.db, opts.centerUrl, fresh, vault);
    session = fresh;
    signOutWhenSynced = false;
    activity(r, true);
    logger.info({ role: fresh.user.role }, 'signed in at the center');
    connect(r);
    watchIdle(r);
    return describeSession(opts.centerUrl, session);
  }

  /** The agent is here: the idle timeout starts again (kept in the database, roughly, for a restart). */
  function activity(r: Running, write = false): void {
    lastActivity = Date.now();
    if (write || lastActivity - activityWrittenAt >= ACTIVITY_WRITE_MS) {
      activityWrittenAt = lastActivity;
      setLastActivityAt(r.db, new Date(lastActivity).toISOString());
    }
  }

  function watchIdle(r: Running): void {
    if (idleTimer) return;
    idleTimer = setInterval(() => {
      if (!session || running !== r) return;
      if (Date.now() - lastActivity < idleMs) return;
      logger.info({ idleMinutes: Math.round(idleMs / 60_000) }, 'signing out after the idle timeout');
      void endSession(r, 'idle');
    }, tuning.idleCheckMs ?? 30_000);
    idleTimer.unref?.();
  }
  function stopWatchingIdle(): void {
    if (idleTimer) clearInterval(idleTimer);
    idleTimer = null;
  }

  /**
   * Signs this desktop out: the token is forgotten here and revoked at the center (so no copy of it is
   * worth anything), the connection dropped. With `wipeOnSignOut` and nothing left to send, the local
   * copy of customers and history goes too. Unsynced changes always stay, to be sent at the agent's
   * next sign-in.
   */
  async function endSession(r: Running, reason: Exclude<SessionEndReason, 'center'>): Promise<void> {
    const ending = session;
    if (!ending) return;
    session = null;
    signOutWhenSynced = false;
    stopWatchingIdle();
    const wiped = wipeOnSignOut && countOutbox(r.db) === 0;
    if (wiped) {
      r.db.transaction(() => {
        wipeReplica(r.db);
        restartClient(r.db);
        forgetSession(r.db);
      })();
    } else {
      clearSessionToken(r.db);
    }
    // Hung up first, so the center's own hang-up after the revocation is not taken for a session lost.
    r.link.disconnect();
    r.engine.disconnected();
    logger.info({ reason, wiped }, 'signed out');
    hub.emit('sessionEnded', { reason });
    if (!(await logoutAtCenter(opts.centerUrl, ending.token))) {
      logger.warn({ expiresAt: ending.expiresAt }, 'signed out here, but the center could not be told: the session stays valid there until it expires');
    }
  }

  function scheduleAutoSignIn(): void {
    const creds = opts.autoSignIn;
    if (!creds || stopping || autoSignInTimer) return;
    const wait = autoSignInAttempt === 0 ? 0 : backoffDelay(autoSignInAttempt - 1, tuning.backoff);
    autoSignInAttempt += 1;
    autoSignInTimer = setTimeout(() => {
      autoSignInTimer = null;
      if (stopping || session) return;
      signIn(creds).then(
        (info) => {
          autoSignInAttempt = 0;
          hub.emit('sessionStarted', info);
        },
        (err: unknown) => {
          logger.warn({ err: err instanceof Error ? err.message : 'unknown' }, 'automatic sign-in failed; retrying');
          scheduleAutoSignIn();
        },
      );
    }, wait);
    autoSignInTimer.unref?.();
  }

  function sessionLost(r: Running): void {
    clearSessionToken(r.db);
    session = null;
    signOutWhenSynced = false;
    stopWatchingIdle();
    r.link.disconnect();
    r.engine.disconnected();
    // Whichever way it was learnt (an event answered, or the reconnect after a hang-up refused).
    r.engine.sessionEnded();
    logger.warn({}, 'the center ended this session');
    hub.emit('sessionEnded', { reason: 'center' });
    scheduleAutoSignIn();
  }

  // Signing out once the changes have synced: the outbox drains as acknowledgements and pulls come in.
  hub.on('syncStatus', () => {
    const r = running;
    if (signOutWhenSynced && r && session && countOutbox(r.db) === 0) void endSession(r, 'signedOut');
  });

  const handlers: DesktopApiHandlers = {
    async getSession() {
      return describeSession(opts.centerUrl, session);
    },
    signIn,
    async signOut({ whenChangesWait }) {
      const r = need();
      const pending = countOutbox(r.db);
      if (!session) return { outcome: 'signedOut', pending };
      if (pending > 0 && whenChangesWait === 'ask') return { outcome: 'changesWaiting', pending };
      if (pending > 0 && whenChangesWait === 'wait') {
        signOutWhenSynced = true;
        r.engine.kick();
        return { outcome: 'waiting', pending };
      }
      await endSession(r, 'signedOut');
      return { outcome: 'signedOut', pending };
    },
    async reportActivity() {
      const r = need();
      if (session) activity(r);
      return {};
    },
    async getSyncStatus() {
      return need().engine.status();
    },
    async getCurrentCall() {
      return need().screenPop.currentCall();
    },
    async lookupCaller({ phone }) {
      return need().screenPop.lookupCaller(phone);
    },
    lookupCustomer: ({ customerId }) => need().screenPop.lookupCustomer(customerId),
    linkCallerToCustomer: (input) => need().screenPop.linkCaller(input),
    async searchCustomers({ query }) {
      const r = need();
      const found = searchCustomers(r.db, query);
      for (const c of found) touchCustomer(r.db, c.id);
      r.views.viewed(
        found.map((c) => c.id),
        'searched',
      );
      return found;
    },
    async saveNote(input) {
      const r = need();
      try {
        const note = saveNote(r.db, input, { author: author(r), mutationId: uuidv7(), now: new Date().toISOString() });
        r.engine.kick();
        return { id: note.id, revision: note.revision, savedAt: note.updatedAt, synced: false };
      } catch (err) {
        if (err instanceof WriteRefusedError) throw new DesktopApiError(err.code, err.message);
        throw err;
      }
    },
    async createVocItem(input) {
      const r = need();
      const item = createVocItem(r.db, input, { createdBy: author(r), mutationId: uuidv7(), now: new Date().toISOString() });
      r.engine.kick();
      return item;
    },
    getVocItems: async ({ ids }) => readVocItems(need().db, ids),
    getVocReference: async () => need().vocDesk.reference(),
    getVocQueue: (request) => need().vocDesk.queue(request),
    getVocItem: ({ id }) => need().vocDesk.item(id),
    actOnVocItem: async (args) => need().vocDesk.act(args),
    getAnalysis: (request) => analysis.view(request),
    getAnalysisCell: (request) => analysis.cell(request),
    listImprovements: (query) => improvements.list(query),
    getImprovement: ({ id }) => improvements.get(id),
    createImprovement: (request) => improvements.create(request),
    linkImprovementItems: ({ id, items }) => improvements.link(id, items),
    setImprovementStatus: ({ id, status, reason }) => improvements.setStatus(id, status, reason),
    getImprovementCustomers: ({ id }) => improvements.customers(id),
    recordImprovementTold: async ({ id, items, via }) => ({ told: await improvements.told(id, items, via) }),
    getImprovementsShared: async () => need().improvementsShared.list(),
    getFollowUps: () => need().vocDesk.followUps(),
    callFollowUp: ({ id }) => need().vocDesk.callFollowUp(id),
    rescheduleFollowUp: (request) => need().vocDesk.rescheduleFollowUp(request),
    skipFollowUp: (request) => need().vocDesk.skipFollowUp(request),
    setAgentState: (request) => need().agent.handlers.setAgentState(request),
    getAgentState: () => need().agent.handlers.getAgentState(),
    callControl: (request) => need().agent.handlers.callControl(request),
    finishWrapUp: (input) => need().agent.handlers.finishWrapUp(input),
    getQueue: (input) => need().agent.handlers.getQueue(input),
    getInbox: async () => need().inbox.view(),
    acceptConversation: ({ conversationId }) => need().inbox.accept(conversationId),
    declineConversation: ({ conversationId }) => need().inbox.decline(conversationId),
    replyToConversation: (input) => need().inbox.reply(input),
    finishConversation: (input) => need().inbox.finish(input),
    fetchConversation: ({ conversationId }) => need().inbox.fetch(conversationId),
    discardReply: ({ clientMutationId }) => need().inbox.discard(clientMutationId),
    ...createSnippetHandlers({
      db: () => need().db,
      userId: (db) => {
        const user = session?.user ?? readSyncState(db).user;
        if (!user) throw new DesktopApiError('unauthenticated', 'Sign in first: your snippets are kept under your name.');
        return user.id;
      },
    }),
    getConversationAttachment: (request) => attachments.get(request),
    getQueueMetrics: async () => need().floor.metrics(),
    getSupervisedAgents: async () => need().floor.agents(),
    getQueueTrends: (input) => need().floor.trends(input),
    forceAgentState: (input) => need().floor.force(input),
    getQueueThresholds: () => need().thresholds.get(),
    setQueueThresholds: (input) => need().thresholds.set(input),
    getQueueCapacities: () => need().capacity.get(),
    setQueueCapacity: (input) => need().capacity.set(input),
    getGreatService: () => need().greatService.list(),
    markGreatService: (input) => need().greatService.mark(input),
    ...createSettingsHandlers({ settings: opts.settings, userDataDir: opts.dataDir }),
    flushCompleted: async ({ requestId, saved }) => ({ accepted: flush.confirm(requestId, saved) }),
    ...createRejectedHandlers(() => {
      const r = need();
      return { db: r.db, author: () => author(r), kick: () => r.engine.kick() };
    }),
  };

  return {
    handlers,
    on: (event, listener) => hub.on(event, listener),
    requestFlush: (timeoutMs) => flush.request(timeoutMs),
    announce: (where) => {
      running?.lock.update(where);
    },

    async start() {
      if (running) return;
      stopping = false;
      // One desktop per store: a second one on this profile refuses here, naming the first.
      const lock = lockLocalStore(opts.dataDir);
      let opened: ReturnType<typeof openLocalDatabase>;
      try {
        opened = openLocalDatabase(join(opts.dataDir, 'earshot.db'), logger);
      } catch (err) {
        lock.release();
        throw err;
      }
      const { db, recovery } = opened;
      let engine: SyncEngine | null = null;
      let agent: AgentDesk | null = null;
      let floor: FloorRelay | null = null;
      let greatService: GreatServiceRelay | null = null;
      let capacity: CapacityRelay | null = null;
      let inbox: InboxRelay | null = null;
      const link = createCenterLink({
        centerUrl: opts.centerUrl,
        reconnectDelay: tuning.reconnectDelay,
        requestTimeoutMs: tuning.requestTimeoutMs,
        onBadPayload: (event) => logger.warn({ event }, 'center sent a message this desktop could not read; ignored'),
        listeners: {
          connected: () => {
            engine?.connected();
            agent?.connected();
            greatService?.connected();
            capacity?.connected();
            inbox?.connected();
          },
          disconnected: (reason) => {
            logger.info({ reason }, 'disconnected from the center');
            engine?.disconnected();
            floor?.disconnected();
            inbox?.disconnected();
          },
          connectFailed: (code, message, willRetry) => {
            engine?.disconnected();
            if (code === 'update_required') engine?.updateRequired(message);
            else if (code === 'unauthenticated' && running) sessionLost(running);
            else if (!willRetry) logger.warn({ code }, 'the center refused this desktop');
          },
        },
      });
      const views = createViewRecorder({
        db,
        onLocalWrite: () => engine?.kick(),
        warn: (message) => logger.warn({ err: message }, 'could not record customers viewed for the audit trail'),
      });
      const r: Running = {
        db,
        lock,
        views,
        link,
        engine: createSyncEngine({
          db,
          link,
          emit: hub.emit,
          logger,
          backoff: tuning.backoff,
          pollMs: tuning.pollMs,
          onUnauthenticated: () => {
            if (running) sessionLost(running);
          },
        }),
        screenPop: createScreenPopService({
          db,
          link,
          emit: hub.emit,
          logger,
          workingSetCap: tuning.workingSetCap ?? DEFAULT_WORKING_SET_CAP,
          onLocalWrite: () => engine?.kick(),
          views,
        }),
        agent: createAgentDesk({ db, link, emit: hub.emit, logger, onLocalWrite: () => engine?.kick(), self: () => session?.user.username ?? null }),
        floor: createFloorRelay({ link, emit: hub.emit }),
        thresholds: createThresholdsRelay({ link, emit: hub.emit }),
        capacity: createCapacityRelay({ link, emit: hub.emit, supervising: () => session?.user.role === 'supervisor' || session?.user.role === 'admin' }),
        greatService: createGreatServiceRelay({ link, emit: hub.emit }),
        improvementsShared: createImprovementsSharedRelay({ link, emit: hub.emit }),
        vocDesk: createVocDesk({
          db,
          link,
          emit: hub.emit,
          onLocalWrite: () => engine?.kick(),
          // As for notes: the signed-in person, or the last one if their token lapsed while offline.
          self: () => {
            const user = session?.user ?? readSyncState(db).user;
            return user ? { userId: user.id, displayName: user.displayName, role: user.role } : null;
          },
        }),
        inbox: createInboxRelay({ db, link, emit: hub.emit, logger, lookupPop: (customerId) => r.screenPop.lookupCustomer(customerId) }),
      };
      engine = r.engine;
      agent = r.agent;
      inbox = r.inbox;
      floor = r.floor;
      greatService = r.greatService;
      capacity = r.capacity;
      running = r;
      if (recovery) {
        r.engine.report(
          `This computer's Earshot data was damaged and has been set aside (${recovery.movedTo}). ` +
            `${recovery.outboxRecovered} unsynced change(s) were recovered and will be sent; tell your supervisor if anything you wrote is missing.`,
        );
      }
      link.on(EVENTS.poke, Poke, () => r.engine.kick());
      link.on(EVENTS.callOffered, CallOffered, (call) => {
        // The pop first: the sync that follows every offer waits until it has had time to paint.
        r.engine.holdFor(POP_FIRST_MS);
        // Never let a failed pop (say, shutdown mid-lookup) become an unhandled rejection in main.
        r.screenPop.callOffered(call).catch((err: unknown) =>
          logger.warn({ interactionId: call.interactionId, err: err instanceof Error ? err.name : 'unknown' }, 'screen pop failed'),
        );
      });
      const policy = (opts.settings ?? (await loadSettings({ userDataDir: opts.dataDir }))).current().values;
      idleMs = tuning.idleTimeoutMs ?? policy.idleTimeoutMinutes * 60_000;
      wipeOnSignOut = policy.wipeOnSignOut;
      session = restorableSession(db, opts.centerUrl, vault, { idleMs });
      if (session) {
        const at = readSyncState(db).lastActivityAt;
        lastActivity = at ? Date.parse(at) : Date.now();
        activityWrittenAt = lastActivity;
        connect(r);
        watchIdle(r);
      } else {
        // A token left behind (another launch's, expired, past the idle timeout) is no use to anyone.
        if (readSyncState(db).session) clearSessionToken(db);
        scheduleAutoSignIn();
      }
    },

    async stop() {
      const r = running;
      if (!r) return;
      stopping = true;
      if (autoSignInTimer) clearTimeout(autoSignInTimer);
      autoSignInTimer = null;
      stopWatchingIdle();
      // Local writes are committed synchronously; only an in-flight sync cycle needs to finish.
      await r.engine.stop();
      r.link.disconnect();
      r.db.close();
      r.lock.release();
      running = null;
      session = null;
    },
  };
}
