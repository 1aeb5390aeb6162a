// A live socket's session is checked again before every event: it may have been revoked, have
// expired or its user been disabled since the handshake. This answers that check from memory when it
// safely can: the session was read within the last 30 s, has not expired by its own clock, and no
// change to it has been announced since. Migration 0010 NOTIFYs `earshot_auth` on every change that
// can end or alter a session, whoever makes it (the CLI, another node, plain SQL), and every node
// LISTENs. While the listening connection is down nothing is remembered: every check reads the
// database, as before, until it listens again; and the channel is only trusted while a probe sent
// on it comes back (see listen()).
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/db';
import { authenticateHash, type Principal } from './sessions';

export const AUTH_CHANNEL = 'earshot_auth';
/** Even with every change heard, a session is read again after this long. */
const MAX_AGE_MS = 30_000;
const RELISTEN_MS = [500, 1_000, 2_000, 5_000, 10_000];
/** The channel is trusted while a probe sent on it comes back within PROBE_WITHIN_MS; one is sent this often. */
const PROBE_EVERY_MS = 15_000;
const PROBE_WITHIN_MS = 5_000;
const PROBE = 'probe:';
/** Beyond this many remembered sessions, the ones too old to answer from are dropped. */
const SWEEP_ABOVE = 10_000;

export interface SessionCheck {
  /** The principal of a live session, or null (unknown, expired, revoked, user disabled). */
  check(tokenHash: string): Promise<Principal | null>;
  /** Forgets one session at once (after signing it out on this node). */
  forget(tokenHash: string): void;
  /**
   * Called with every change heard on the channel, after it is forgotten: the socket layer re-checks
   * the sockets it concerns and hangs up those whose session ended or whose role changed.
   */
  onChange(listener: (change: SessionChange) => void): void;
  /** True while changes are heard, i.e. while checks may be answered from memory. */
  readonly listening: boolean;
  close(): Promise<void>;
}

/** What a notification on the channel concerns: one session, or every session of one user. */
export type SessionChange = { tokenHash: string } | { userId: string };

const USER = 'user:';

/** Reads a notification payload (migrations 0010 and 0013): a session's token hash, or `user:<id>`. */
export function parseChange(payload: string): SessionChange {
  return payload.startsWith(USER) ? { userId: payload.slice(USER.length) } : { tokenHash: payload };
}

export function createSessionCheck(db: Db, log: Logger, opts: { maxAgeMs?: number; now?: () => number } = {}): SessionCheck {
  const maxAge = opts.maxAgeMs ?? MAX_AGE_MS;
  const now = opts.now ?? Date.now;
  const known = new Map<string, { who: Principal; at: number }>();
  // Bumped by every announced change and by losing the channel: a read that began before one is
  // not remembered (it may predate a revocation that is already announced).
  let generation = 0;
  let listening = false;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;
  /** Ends the current listening attempt (its connection and timers); null when there is none. */
  let endAttempt: (() => Promise<void>) | null = null;

  const listeners: Array<(change: SessionChange) => void> = [];

  const forgetChange = (change: SessionChange) => {
    generation++;
    if ('tokenHash' in change) known.delete(change.tokenHash);
    else for (const [hash, entry] of known) if (entry.who.userId === change.userId) known.delete(hash);
  };
  const forget = (tokenHash: string) => forgetChange({ tokenHash });

  const announce = (payload: string) => {
    const change = parseChange(payload);
    forgetChange(change);
    for (const l of listeners) {
      try {
        l(change);
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'a session change listener failed');
      }
    }
  };

  const lost = (err: unknown) => {
    listening = false;
    generation++;
    known.clear();
    if (closed) return;
    const delay = RELISTEN_MS[Math.min(failures++, RELISTEN_MS.length - 1)]!;
    log.warn({ err: err instanceof Error ? err.message : String(err), retryMs: delay }, 'not hearing session changes: every event checks the database until listening again');
    retry = setTimeout(() => {
      retry = null;
      void listen();
    }, delay);
    retry.unref();
  };

  /**
   * LISTENs, then trusts the channel only once it has heard its own probe come back, and again every
   * PROBE_EVERY_MS: a LISTEN that "succeeds" but never delivers (a pooler in transaction mode between
   * the center and PostgreSQL) or a connection that silently stalls leaves every check on the database.
   */
  async function listen(): Promise<void> {
    let over = false;
    let probe: string | null = null;
    let probeTimer: NodeJS.Timeout | null = null;
    let beat: NodeJS.Timeout | null = null;
    let unlisten: (() => Promise<void>) | null = null;
    const end = async () => {
      over = true;
      if (probeTimer) clearTimeout(probeTimer);
      if (beat) clearInterval(beat);
      if (endAttempt === end) endAttempt = null;
      const u = unlisten;
      unlisten = null;
      await u?.().catch(() => undefined);
    };
    endAttempt = end;
    const fail = (err: unknown) => {
      if (over) return;
      void end();
      lost(err);
    };
    const sendProbe = () => {
      probe = `${PROBE}${randomUUID()}`;
      probeTimer = setTimeout(() => fail(new Error(`no notification came back within ${PROBE_WITHIN_MS} ms`)), PROBE_WITHIN_MS);
      probeTimer.unref();
      db.query('SELECT pg_notify($1, $2)', [AUTH_CHANNEL, probe]).catch(fail);
    };
    const heard = (payload: string) => {
      if (over) return;
      if (!payload.startsWith(PROBE)) return announce(payload);
      if (payload !== probe) return; // another node's probe
      probe = null;
      if (probeTimer) clearTimeout(probeTimer);
      if (!listening) {
        failures = 0;
        listening = true;
      }
    };
    try {
      unlisten = await db.listen(AUTH_CHANNEL, heard, fail);
    } catch (err) {
      fail(err);
      return;
    }
    if (over || closed) return end();
    sendProbe();
    beat = setInterval(() => {
      if (probe === null) sendProbe();
    }, PROBE_EVERY_MS);
    beat.unref();
  }
  void listen();

  const sweep = (t: number) => {
    for (const [hash, entry] of known) if (t - entry.at >= maxAge || t >= entry.who.expiresAt.getTime()) known.delete(hash);
  };

  return {
    async check(tokenHash) {
      const t = now();
      const hit = known.get(tokenHash);
      if (hit && listening && t - hit.at < maxAge && t < hit.who.expiresAt.getTime()) return hit.who;
      const before = generation;
      const who = await authenticateHash(db, tokenHash);
      if (!who || !listening || generation !== before) {
        known.delete(tokenHash);
        return who;
      }
      if (known.size >= SWEEP_ABOVE) sweep(t);
      known.set(tokenHash, { who, at: t });
      return who;
    },
    forget,
    onChange(listener) {
      listeners.push(listener);
    },
    get listening() {
      return listening;
    },
    async close() {
      closed = true;
      listening = false;
      known.clear();
      if (retry) clearTimeout(retry);
      await endAttempt?.();
    },
  };
}
