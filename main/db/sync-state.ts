// The one-row sync state: this install's client id, next outbox seq, pull cursor, and the saved session.
import { randomUUID } from 'node:crypto';
import { LoginResponse } from '../../shared/protocol/index';
import type { Db } from './connection';
import { cached } from './statements';

export type SessionUser = LoginResponse['user'];
const SessionUserSchema = LoginResponse.shape.user;

/** A session as stored: `token` is what the services' TokenVault sealed, never the token in clear. */
export interface StoredSession {
  token: string;
  expiresAt: string;
  user: SessionUser;
}

export interface SyncState {
  clientId: string;
  nextSeq: number;
  /** Change-log version up to which this desktop has applied the center's changes; null = never pulled. */
  cursor: string | null;
  lastSyncAt: string | null;
  centerUrl: string | null;
  session: StoredSession | null;
  /** Who last signed in here, even after their token was cleared (their notes carry this author). */
  user: SessionUser | null;
  /** The identity of the center database this desktop last synced with (null: not known yet). */
  centerId: string | null;
  /** When the signed-in agent last used Earshot (the idle timeout counts from it). */
  lastActivityAt: string | null;
}

interface Row {
  client_id: string;
  next_seq: number;
  cursor: string | null;
  last_sync_at: string | null;
  center_url: string | null;
  session_token: string | null;
  session_expires_at: string | null;
  session_user: string | null;
  center_id: string | null;
  last_activity_at: string | null;
}

function parseUser(json: string | null): SessionUser | null {
  if (!json) return null;
  try {
    const parsed = SessionUserSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Connections known to have the row (it is never deleted), so reading the state writes nothing. */
const ensured = new WeakSet<Db>();

/** Creates the row (with a fresh client id) the first time this install needs it. */
function ensureRow(db: Db): void {
  if (ensured.has(db)) return;
  cached(db, 'INSERT OR IGNORE INTO sync_state (id, client_id, next_seq) VALUES (1, ?, 1)').run(randomUUID());
  // Inside a transaction that may still roll back, the row is not known to stay.
  if (!db.inTransaction) ensured.add(db);
}

/** Reads the sync state, creating it the first time. */
export function readSyncState(db: Db): SyncState {
  ensureRow(db);
  const row = cached(db, 'SELECT * FROM sync_state WHERE id = 1').get() as Row;
  const user = parseUser(row.session_user);
  return {
    clientId: row.client_id,
    nextSeq: row.next_seq,
    cursor: row.cursor,
    lastSyncAt: row.last_sync_at,
    centerUrl: row.center_url,
    session:
      row.session_token && row.session_expires_at && user
        ? { token: row.session_token, expiresAt: row.session_expires_at, user }
        : null,
    user,
    centerId: row.center_id,
    lastActivityAt: row.last_activity_at,
  };
}

/** Hands out the next outbox seq; call inside the transaction that writes the outbox row. */
export function takeNextSeq(db: Db): { clientId: string; seq: number } {
  const state = readSyncState(db);
  cached(db, 'UPDATE sync_state SET next_seq = next_seq + 1 WHERE id = 1').run();
  return { clientId: state.clientId, seq: state.nextSeq };
}

export function saveSession(db: Db, centerUrl: string, session: StoredSession): void {
  ensureRow(db);
  cached(db,
    `UPDATE sync_state SET center_url = ?, session_token = ?, session_expires_at = ?, session_user = ? WHERE id = 1`,
  ).run(centerUrl, session.token, session.expiresAt, JSON.stringify(session.user));
}

/** Forgets the token (expired or revoked) but keeps who was signed in, for the notes they wrote. */
export function clearSessionToken(db: Db): void {
  ensureRow(db);
  cached(db, 'UPDATE sync_state SET session_token = NULL WHERE id = 1').run();
}

/** Signed out with nothing left to send: forget the session and who held it. */
export function forgetSession(db: Db): void {
  ensureRow(db);
  cached(db, 'UPDATE sync_state SET session_token = NULL, session_expires_at = NULL, session_user = NULL, last_activity_at = NULL WHERE id = 1').run();
}

export function setLastActivityAt(db: Db, at: string): void {
  ensureRow(db);
  cached(db, 'UPDATE sync_state SET last_activity_at = ? WHERE id = 1').run(at);
}

export function setLastSyncAt(db: Db, at: string): void {
  ensureRow(db);
  cached(db, 'UPDATE sync_state SET last_sync_at = ? WHERE id = 1').run(at);
}

/** Sets the pull cursor; only pull-apply calls this, inside the transaction that applies the page. */
export function setCursor(db: Db, cursor: string | null): void {
  ensureRow(db);
  cached(db, 'UPDATE sync_state SET cursor = ? WHERE id = 1').run(cursor);
}

/** Remembers the identity of the center database this desktop syncs with. */
export function setCenterId(db: Db, centerId: string): void {
  ensureRow(db);
  cached(db, 'UPDATE sync_state SET center_id = ? WHERE id = 1').run(centerId);
}

/** A new identity for this install (another user signs in on an empty outbox): new client id, no cursor. */
export function restartClient(db: Db): void {
  ensureRow(db);
  cached(db, 'UPDATE sync_state SET client_id = ?, next_seq = 1, cursor = NULL WHERE id = 1').run(randomUUID());
}
