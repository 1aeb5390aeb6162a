// POST /api/login: password check, rate limits per tenant+username and per IP, a fresh session.
import { LoginRequest, type LoginResponse, type WireError } from '../../../shared/protocol';
import type { Db } from '../db/db';
import { requestClientAddress } from './client-address';
import { decoyHash, verifyPassword } from './passwords';
import { createRateLimiter } from './rate-limit';
import { createSession, DEFAULT_SESSION_MS } from './sessions';
import { findUser } from './users';

export type LoginOutcome =
  | { status: 200; body: LoginResponse }
  | { status: 400 | 401 | 429; body: { error: WireError }; retryAfterSeconds?: number };

export interface LoginLimits {
  /** Failed attempts per tenant+username within the window; default 10 per 15 minutes. */
  perUser?: { max: number; windowMs: number };
  /** Attempts per client address within the window; default 120 per minute. */
  perIp?: { max: number; windowMs: number };
  /** Exempt loopback addresses from the per-address limit; default true. */
  exemptLoopback?: boolean;
  sessionMs?: number;
}

export function createLogin(db: Db, limits: LoginLimits = {}) {
  const perUser = createRateLimiter(limits.perUser ?? { max: 10, windowMs: 15 * 60_000 });
  const perIp = createRateLimiter(limits.perIp ?? { max: 120, windowMs: 60_000 });
  // Loopback is the demo launcher, the tests and a local reverse proxy: one address for many
  // people, so only the per-user budget applies to it.
  const exempt = (ip: string) => (limits.exemptLoopback ?? true) && /^(127\.|::1$|::ffff:127\.)/.test(ip);
  const limited = (retryMs: number): LoginOutcome => ({
    status: 429,
    body: { error: { code: 'rate_limited', message: `Too many sign-in attempts. Wait ${Math.ceil(retryMs / 1000)} seconds and try again.` } },
    retryAfterSeconds: Math.ceil(retryMs / 1000),
  });

  return async function login(body: unknown, peer: string): Promise<LoginOutcome> {
    // Behind --trust-proxy the address from X-Forwarded-For (client-address.ts), else the peer's.
    const ip = requestClientAddress() ?? peer;
    if (!exempt(ip) && !perIp.take(ip)) return limited(perIp.retryAfterMs(ip));
    const parsed = LoginRequest.safeParse(body);
    if (!parsed.success) {
      return { status: 400, body: { error: { code: 'bad_request', message: 'Sign-in needs a tenant, a username and a password.' } } };
    }
    const { tenant, username, password } = parsed.data;
    const userKey = `${tenant}\u0000${username}`;
    if (perUser.retryAfterMs(userKey) > 0) return limited(perUser.retryAfterMs(userKey));
    const user = await findUser(db, tenant, username);
    // Always run one scrypt, so an unknown username takes as long as a wrong password.
    const ok = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
    if (!user || !ok || user.disabled) {
      perUser.take(userKey);
      return {
        status: 401,
        body: { error: { code: 'unauthenticated', message: 'The tenant, username or password is not right, or the account is disabled. Check them and try again.' } },
      };
    }
    perUser.reset(userKey);
    const session = await createSession(db, { id: user.id, tenantId: user.tenantId }, limits.sessionMs ?? DEFAULT_SESSION_MS);
    return {
      status: 200,
      body: {
        token: session.token,
        expiresAt: session.expiresAt.toISOString(),
        user: { id: user.id, tenant: user.tenantId, username: user.username, displayName: user.displayName, role: user.role },
      },
    };
  };
}
