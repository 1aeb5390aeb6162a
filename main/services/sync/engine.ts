// The sync engine (SYNC.md): on every (re)connect and poke, pull from the cursor then push the
// outbox in seq order; retry failures on a backoff timer; report SyncStatus on every change.
import { PullResponse, PushResponse, SCHEMA_VERSION, EVENTS, type Mutation } from '../../../shared/protocol/index';
import type { SyncStatus } from '../../../shared/api/index';
import {
  applyPullPage,
  applyPushAck,
  countPending,
  highestAckedSeq,
  listRejected,
  listUnacked,
  meetCenter,
  nextPushBatch,
  readSyncState,
  recordAttempt,
  setLastSyncAt,
  type Db,
  type StoreLogger,
} from '../../db/index';
import type { CenterLink } from '../center-link';
import { CenterRequestError } from '../center-link';
import type { EventHub } from '../events';
import { uuidv7 } from '../uuid';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';

/** Refresh hints per pulled page at most (they are hints: a desk reloads its whole list on one). */
const VOC_HINTS_PER_PAGE = 50;

export interface SyncEngineOptions {
  db: Db;
  link: CenterLink;
  emit: EventHub['emit'];
  logger: StoreLogger;
  /** The center no longer accepts our token: the session layer signs in again or asks the agent to. */
  onUnauthenticated(): void;
  backoff?: BackoffPolicy;
  random?: () => number;
  pullLimit?: number;
  /** Most mutations per push (the protocol allows 1000). */
  pushBatch?: number;
  /** Most bytes of mutation arguments per push, well under the center's message limit. */
  pushBatchBytes?: number;
  /** Pull this often when idle, in case a poke was missed (pokes are only hints). */
  pollMs?: number;
}

export interface SyncEngine {
  status(): SyncStatus;
  /** Wire these to the center link. */
  connected(): void;
  disconnected(): void;
  updateRequired(message: string): void;
  /** The center refused this desktop's session (when reconnecting, or hanging up on it): tell the agent. */
  sessionEnded(): void;
  /** A local write happened, or the center poked: sync now. */
  kick(): void;
  /**
   * A call's pop is on its way to the screen: a cycle kicked in the next `ms` starts only then, so
   * the push and pull that follow every offer (the call recorded, the pop's view audited) do not
   * compete with the paint for the machine. Nothing is dropped; a running cycle goes on.
   */
  holdFor(ms: number): void;
  /** A problem outside sync the agent should see (e.g. the local database was recovered). */
  report(message: string): void;
  /** Resolves once the current cycle (if any) has finished; no new cycle starts afterwards. */
  stop(): Promise<void>;
  /** Resolves when no cycle is running and none is queued (tests, shutdown). */
  idle(): Promise<void>;
}

/** Bounds each cycle: a center that keeps saying "more" must not pin the desktop forever. */
const MAX_PAGES_PER_CYCLE = 10_000;
const MAX_BATCHES_PER_CYCLE = 10_000;
/** Push batch bounds: the protocol's maximum count, and half of the center's 2 MiB message limit. */
export const DEFAULT_PUSH_BATCH = 1000;
export const DEFAULT_PUSH_BATCH_BYTES = 1024 * 1024;

/** The center answered under a new identity (restored from a backup): the cycle starts again from a bootstrap. */
class CenterRenewed extends Error {}

export function createSyncEngine(opts: SyncEngineOptions): SyncEngine {
  const { db, link, emit, logger } = opts;
  const policy = opts.backoff ?? DEFAULT_BACKOFF;
  const pullLimit = opts.pullLimit ?? 500;
  const pushBatch = opts.pushBatch ?? DEFAULT_PUSH_BATCH;
  const pushBatchBytes = opts.pushBatchBytes ?? DEFAULT_PUSH_BATCH_BYTES;
  const pollMs = opts.pollMs ?? 60_000;

  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let isConnected = false;
  /**
   * How the last cycle failed: 'offline' when the center did not answer (or ended the session),
   * 'retrying' when it answered but could not take the changes. A change it refuses for good is no
   * failure: it is set aside with its reason (SyncStatus.rejected) and the rest sync on.
   */
  let failing: 'offline' | 'retrying' | null = null;
  let updateRequiredMessage: string | null = null;
  let lastError: string | null = null;
  let notice: string | null = null;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  /** Until when kicks wait (holdFor), and the timer that kicks then. */
  let heldUntil = 0;
  let heldTimer: NodeJS.Timeout | null = null;
  let lastEmitted = '';

  function status(): SyncStatus {
    const state = updateRequiredMessage
      ? 'update_required'
      : !isConnected || failing === 'offline'
        ? 'offline'
        : failing === 'retrying'
          ? 'retrying'
          : running
          ? 'syncing'
          : 'online';
    return {
      state,
      pending: countPending(db),
      lastSyncAt: readSyncState(db).lastSyncAt,
      lastError: updateRequiredMessage ?? lastError ?? notice,
      rejected: listRejected(db),
    };
  }

  function publish(): void {
    if (stopped) return;
    const s = status();
    const key = JSON.stringify(s);
    if (key === lastEmitted) return;
    lastEmitted = key;
    emit('syncStatus', s);
  }

  function clearRetry(): void {
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
  }

  function scheduleRetry(): void {
    const wait = backoffDelay(attempt, policy, opts.random);
    attempt += 1;
    scheduleIn(wait);
  }

  function scheduleIn(wait: number): void {
    clearRetry();
    if (stopped || !isConnected || updateRequiredMessage) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      kick();
    }, wait);
    retryTimer.unref?.();
  }

  /** Every answer's `centerId` is checked before it is applied (main/db/center-identity.ts). */
  function metCenter(centerId: string | undefined): void {
    if (centerId === undefined) return;
    const meeting = meetCenter(db, centerId, { newMutationId: uuidv7, now: new Date().toISOString() });
    if (meeting.met !== 'renewed') return;
    logger.warn({ requeued: meeting.requeued, kept: meeting.kept }, 'the center has a new identity (restored from a backup): sending this desktop\'s own writes again and reloading its cache');
    throw new CenterRenewed('The Earshot center was restored from a backup; this desktop is sending its notes and VOC items to it again.');
  }

  async function pullAll(): Promise<void> {
    // Rows acknowledged before this pull began are covered by it once it completes.
    const ackedBefore = highestAckedSeq(db);
    const ask = (cursor: string | null) => {
      const answer = link.request(EVENTS.pull, { schemaVersion: SCHEMA_VERSION, cursor, limit: pullLimit }, PullResponse);
      // A page asked for ahead may be abandoned (the apply before it failed): never an unhandled rejection.
      answer.catch(() => undefined);
      return answer;
    };
    let cursor = readSyncState(db).cursor;
    // A bootstrap brings everything in scope: no VOC refresh hints for it.
    let bootstrapping = cursor === null;
    let pending = ask(cursor);
    for (let page = 0; page < MAX_PAGES_PER_CYCLE; page++) {
      const res = await pending;
      metCenter(res.centerId);
      if (res.hasMore) {
        if (cursor !== null && !res.reset && BigInt(res.cursor) <= BigInt(cursor)) {
          throw new CenterRequestError('bad_answer', 'The Earshot center said more changes were waiting but did not move the cursor.');
        }
        // Ask for the next page now, so the center reads it while this one is applied. The page's
        // cursor is what the apply below stores, so the request is the one the loop would send next.
        pending = ask(res.cursor);
      }
      if (res.reset) bootstrapping = true;
      const result = applyPullPage(db, res, { ackedUpToSeq: res.hasMore ? null : ackedBefore });
      if (result.skipped.length) logger.warn({ skipped: result.skipped }, 'center sent changes this desktop could not read; skipped');
      if (result.pruned) publish();
      // A VOC item of this desktop's moved (say, one the agent raised reached its happy call): the same
      // refresh hint as the center's own push. Not for a bootstrap or reset, which bring everything.
      if (!bootstrapping) for (const v of result.vocItems.slice(0, VOC_HINTS_PER_PAGE)) emit('vocChanged', v);
      if (!res.hasMore) return;
      cursor = res.cursor;
    }
  }

  /** Pushes every unacknowledged mutation in seq order. Returns whether anything was acknowledged. */
  async function pushAll(): Promise<boolean> {
    const { clientId } = readSyncState(db);
    let progressed = false;
    for (let batch = 0; batch < MAX_BATCHES_PER_CYCLE; batch++) {
      const entries = nextPushBatch(db, pushBatch, pushBatchBytes);
      const first = entries[0];
      if (!first) return progressed;
      const mutations: Mutation[] = entries.map((e) => ({
        mutationId: e.mutationId,
        seq: e.seq,
        name: e.name,
        args: e.args,
        schemaVersion: e.schemaVersion,
        createdAt: e.createdAt,
      }));
      let res: PushResponse;
      try {
        res = await link.request(EVENTS.push, { schemaVersion: SCHEMA_VERSION, clientId, mutations }, PushResponse);
      } catch (err) {
        recordAttempt(db, entries.map((e) => e.seq), err instanceof Error ? err.message : String(err));
        throw err;
      }
      metCenter(res.centerId);
      const outcome = applyPushAck(db, res, new Date().toISOString());
      for (const r of outcome.rejected) {
        logger.warn({ mutationId: r.mutationId, seq: r.seq, name: r.name }, 'center rejected a mutation; kept for the agent to see');
      }
      for (const a of outcome.acked) {
        if (a.name !== 'note.save') continue;
        const { id, revision } = a.args as { id: string; revision: number };
        emit('noteSynced', { id, revision });
      }
      publish();
      if (outcome.acked.length + outcome.rejected.length === 0) {
        // The center processed nothing: a gap before our first seq, or it refuses silently.
        throw new CenterRequestError(
          'conflict',
          `The Earshot center has not taken change ${first.seq} yet (it has up to ${res.lastSeq}). Retrying.`,
        );
      }
      progressed = true;
    }
    return progressed;
  }

  async function cycle(): Promise<void> {
    for (let start = 0; ; start++) {
      try {
        await pullAll();
        if (await pushAll()) await pullAll();
        return;
      } catch (err) {
        // Started over with a restored center: once more, from a bootstrap, under the new client id.
        if (!(err instanceof CenterRenewed) || start > 0) throw err;
      }
    }
  }

  function handleFailure(err: unknown): void {
    const code = err instanceof CenterRequestError ? err.code : 'internal';
    const message = err instanceof Error ? err.message : String(err);
    if (code === 'update_required') {
      updateRequired(message);
      return;
    }
    if (code === 'unauthenticated') {
      sessionEnded();
      opts.onUnauthenticated();
      return;
    }
    const unanswered = !isConnected || code === 'timeout' || code === 'offline';
    failing = unanswered ? 'offline' : 'retrying';
    lastError = `Sync did not finish: ${message}`;
    logger.warn({ code, attempt }, 'sync cycle failed; will retry');
    scheduleRetry();
  }

  /** The center ended this desktop's session (signed out, revoked, expired, user disabled): say so. */
  function sessionEnded(): void {
    lastError = 'Your session at the Earshot center has ended. Sign in again to keep syncing; your changes are kept on this computer.';
    failing = 'offline';
    publish();
  }

  function kick(): void {
    if (stopped) return;
    const wait = heldUntil - Date.now();
    if (wait > 0) {
      heldTimer ??= setTimeout(() => {
        heldTimer = null;
        kick();
      }, wait);
      return;
    }
    if (running) {
      again = true;
      return;
    }
    if (!isConnected || updateRequiredMessage) {
      publish();
      return;
    }
    clearRetry();
    running = (async () => {
      do {
        again = false;
        publish();
        try {
          await cycle();
          attempt = 0;
          failing = null;
          lastError = null;
          setLastSyncAt(db, new Date().toISOString());
          // Anything still unacknowledged (say, a batch the center only partly took) is retried later.
          if (listUnacked(db, 1).length > 0) scheduleRetry();
          else scheduleIn(pollMs);
        } catch (err) {
          handleFailure(err);
          again = false;
        }
      } while (again && !stopped && isConnected);
    })().finally(() => {
      running = null;
      publish();
    });
  }

  function updateRequired(message: string): void {
    updateRequiredMessage = `This Earshot desktop is too old for the center (${message}). Install the update; your unsynced changes are kept until then.`;
    clearRetry();
    publish();
  }

  return {
    status,
    connected() {
      isConnected = true;
      failing = null;
      attempt = 0;
      kick();
    },
    disconnected() {
      isConnected = false;
      clearRetry();
      publish();
    },
    updateRequired,
    sessionEnded,
    kick,
    holdFor(ms) {
      heldUntil = Math.max(heldUntil, Date.now() + ms);
    },
    report(message) {
      notice = message;
      publish();
    },
    async stop() {
      stopped = true;
      clearRetry();
      if (heldTimer) clearTimeout(heldTimer);
      heldTimer = null;
      await running;
    },
    async idle() {
      // A kick during a cycle queues another pass inside the same promise; wait until none remains,
      // nor any kick held for a pop.
      for (let i = 0; i < 1000 && (running || heldTimer); i++) await (running ?? new Promise((r) => setTimeout(r, Math.max(1, heldUntil - Date.now()))));
    },
  };
}
