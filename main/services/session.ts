// Signing in at the center (POST /api/login) and out (POST /api/logout), and keeping the session in
// the local database sealed by a TokenVault (session-vault.ts), never in clear.
import { LoginRequest, LoginResponse } from '../../shared/protocol/index';
import type { SessionInfo } from '../../shared/api/index';
import { centerUrlProblem } from '../../shared/api/settings';
import { readSyncState, restartClient, saveSession, wipeReplica, countOutbox, type Db, type StoredSession } from '../db/index';
import { DesktopApiError } from './api-dispatch';
import type { TokenVault } from './session-vault';

const LOGIN_TIMEOUT_MS = 15_000;
const LOGOUT_TIMEOUT_MS = 5_000;

/** A session in memory: the token in clear, as the center gave it. */
export type LiveSession = StoredSession;

/** Calls the center's login endpoint; every failure becomes a message the agent can act on. */
export async function loginAtCenter(centerUrl: string, credentials: LoginRequest): Promise<StoredSession> {
  const insecure = centerUrlProblem(centerUrl);
  if (insecure) {
    throw new DesktopApiError(
      'insecure_center',
      `The Earshot center address (${centerUrl}) ${insecure}: this desktop will not send your password over it. Ask IT for the center's https:// address.`,
    );
  }
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
  if (res.status === 429 || res.status === 503) {
    // The center says why and for how long (too many attempts from here, a locked account, busy).
    const said = (await res.json().catch(() => null)) as { error?: { message?: unknown } } | null;
    const message = typeof said?.error?.message === 'string' ? said.error.message.slice(0, 300) : 'Too many sign-in attempts. Wait a minute, then try again.';
    throw new DesktopApiError('rate_limited', message);
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
 * Revokes the session at the center, so the token is worthless wherever a copy of it may be. Best
 * effort: offline it stays valid at the center until it expires; false says so.
 */
export async function logoutAtCenter(centerUrl: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/api/logout', centerUrl).toString(), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
      signal: AbortSignal.timeout(LOGOUT_TIMEOUT_MS),
    });
    // 401: already ended there (revoked, expired) — as good as revoked now.
    return res.ok || res.status === 401;
  } catch {
    return false;
  }
}

/**
 * Stores a new session, its token sealed by `vault`. Another user on this computer gets a clean
 * replica and client id, but only once the previous user's changes have all reached the center.
 */
export function adoptSession(db: Db, centerUrl: string, session: LiveSession, vault: TokenVault): void {
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
    saveSession(db, centerUrl, { ...session, token: vault.seal(session.token) });
  })();
}

/**
 * A saved session is usable if it is for this center, has not expired, `vault` can open its token,
 * and its agent was active within `idleMs` (a restart after the idle timeout does not resume it).
 */
export function restorableSession(db: Db, centerUrl: string, vault: TokenVault, opts: { idleMs: number; now?: number }): LiveSession | null {
  const now = opts.now ?? Date.now();
  const state = readSyncState(db);
  if (!state.session || state.centerUrl !== centerUrl || centerUrlProblem(centerUrl)) return null;
  if (Date.parse(state.session.expiresAt) <= now) return null;
  if (state.lastActivityAt !== null && now - Date.parse(state.lastActivityAt) > opts.idleMs) return null;
  const token = vault.open(state.session.token);
  return token === null ? null : { ...state.session, token };
}

export function describeSession(centerUrl: string, session: LiveSession | null): SessionInfo {
  return { signedIn: session !== null, centerUrl, user: session ? { ...session.user } : null };
}
