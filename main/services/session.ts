// Signing in at the center (POST /api/login) and keeping the session in the local database.
import { LoginRequest, LoginResponse } from '../../shared/protocol/index';
import type { SessionInfo } from '../../shared/api/index';
import { readSyncState, restartClient, saveSession, wipeReplica, countOutbox, type Db, type StoredSession } from '../db/index';
import { DesktopApiError } from './api-dispatch';

const LOGIN_TIMEOUT_MS = 15_000;

/** Calls the center's login endpoint; every failure becomes a message the agent can act on. */
export async function loginAtCenter(centerUrl: string, credentials: LoginRequest): Promise<StoredSession> {
  const url = new URL('/api/login', centerUrl).toString();
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(LoginRequest.parse(credentials)),
      signal: AbortSignal.timeout(LOGIN_TIMEOUT_MS),
    });
  } catch {
    throw new DesktopApiError(
      'unreachable',
      `Could not reach the Earshot center at ${centerUrl}. Check the network connection or the center address, then try again.`,
    );
  }
  if (res.status === 401 || res.status === 403) {
    throw new DesktopApiError('unauthenticated', 'The tenant, username or password was not accepted. Check them and try again.');
  }
  if (res.status === 429) {
    throw new DesktopApiError('rate_limited', 'Too many sign-in attempts. Wait a minute, then try again.');
  }
  if (!res.ok) {
    throw new DesktopApiError('internal', `The Earshot center could not sign you in (HTTP ${res.status}). Try again shortly; if it persists, tell your supervisor.`);
  }
  const parsed = LoginResponse.safeParse(await res.json().catch(() => null));
  if (!parsed.success) {
    throw new DesktopApiError('internal', 'The Earshot center sent a sign-in answer this desktop does not understand. An update may be required.');
  }
  return { token: parsed.data.token, expiresAt: parsed.data.expiresAt, user: parsed.data.user };
}

/**
 * Stores a new session. Another user on this computer gets a clean replica and client id, but
 * only once the previous user's changes have all reached the center.
 */
export function adoptSession(db: Db, centerUrl: string, session: StoredSession): void {
  db.transaction(() => {
    const prevUser = readSyncState(db).user;
    const changedUser = prevUser !== null && (prevUser.id !== session.user.id || prevUser.tenant !== session.user.tenant);
    if (changedUser) {
      if (countOutbox(db) > 0) {
        throw new DesktopApiError(
          'pending_changes',
          'Changes by the previous agent on this computer have not reached the center yet. Sign in as that agent until they have synced.',
        );
      }
      wipeReplica(db);
      restartClient(db);
    }
    saveSession(db, centerUrl, session);
  })();
}

/** A saved session is usable if it is for this center and has not expired. */
export function restorableSession(db: Db, centerUrl: string, now: number = Date.now()): StoredSession | null {
  const state = readSyncState(db);
  if (!state.session || state.centerUrl !== centerUrl) return null;
  return Date.parse(state.session.expiresAt) > now ? state.session : null;
}

export function describeSession(centerUrl: string, session: StoredSession | null): SessionInfo {
  return { signedIn: session !== null, centerUrl, user: session ? { ...session.user } : null };
}
