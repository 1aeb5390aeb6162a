// POST /api/login: sign-in throttling, the password check and a fresh session.
//
// Throttling (issue 21), each counted before the password is hashed (throttle.ts):
// - per client address (an IPv6 address by its /64; loopback counts like any other): a budget per minute;
// - per user and address: a few free failures, then a growing wait between attempts from that address,
//   so guessing from one place crawls while the user signs in from their own desk unhindered;
// - per user, from every address together: a ceiling of failures a day, past which the account signs
//   in nowhere until the day is over or an administrator lifts it (`user unlock`, sign_in_lifts).
// A success forgets the user's failures at that address and takes its own attempt back from the ceiling.
// Every evaluated sign-in, successful or not, is in the audit trail with the address it came from.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { LoginRequest, type LoginResponse, type WireError } from '../../../shared/protocol';
import type { Db } from '../db/db';
import { addressBucket, requestClientAddress } from './client-address';
import { createGate } from './gate';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './passwords';
import { createSession, DEFAULT_SESSION_MS } from './sessions';
import { createThrottle, type Throttle, type ThrottleRule, type Verdict } from './throttle';
import { findUser } from './users';

export type LoginOutcome =
  | { status: 200; body: LoginResponse }
  | { status: 400 | 401 | 429 | 503; body: { error: WireError }; retryAfterSeconds?: number };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const UNLIMITED = 1_000_000_000;

export const DEFAULT_LOGIN_RULES: { perAddress: ThrottleRule; perUserAtAddress: ThrottleRule; perUser: ThrottleRule } = {
  /** Every sign-in request from one address (or IPv6 /64): 120 a minute. */
  perAddress: { max: 120, windowMs: MINUTE, sliding: false, free: UNLIMITED, baseDelayMs: 0, maxDelayMs: 0 },
  /** One user from one address: 5 failures free, then 1 s, 2 s, 4 s … at most 15 min between attempts; forgotten a day after the last. */
  perUserAtAddress: { max: UNLIMITED, windowMs: DAY, sliding: true, free: 5, baseDelayMs: 1_000, maxDelayMs: 15 * MINUTE },
  /** One user from everywhere: 100 failures a day, then refused until an administrator lifts it. */
  perUser: { max: 100, windowMs: DAY, sliding: false, free: UNLIMITED, baseDelayMs: 0, maxDelayMs: 0 },
};

export interface LoginLimits {
  rules?: Partial<typeof DEFAULT_LOGIN_RULES>;
  /** Where counters are kept; default this process's memory only. The center passes Redis or the database. */
  throttle?: Throttle;
  /** Password hashes at once, and queued beyond those; past both a sign-in is answered 503. Default 2–4 (by CPUs) and 16. */
  hashing?: { running: number; waiting: number };
  sessionMs?: number;
}

/** Counter keys are hashes: the store holds no usernames or addresses. */
const keyOf = (kind: string, ...parts: string[]) => `${kind}:${createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 32)}`;
export const userCeilingKey = (tenant: string, username: string) => keyOf('signin-user', tenant, username);

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const limited = (retryMs: number, message: string): LoginOutcome => ({
  status: 429,
  body: { error: { code: 'rate_limited', message } },
  retryAfterSeconds: seconds(retryMs),
});
const fromAddress = (ms: number) => limited(ms, `Too many sign-in attempts from this network. Wait ${seconds(ms)} seconds and try again.`);
const fromHere = (ms: number) =>
  limited(ms, `Too many failed sign-ins for this user from this computer. Wait ${seconds(ms)} seconds, check the tenant, username and password, and try again.`);
const ceiling = (ms: number) =>
  limited(
    ms,
    `This account has had too many failed sign-ins today and is locked for ${Math.ceil(ms / 3_600_000)} hours more. Ask your administrator to lift the limit (earshot-center user unlock).`,
  );
const refused = (v: Verdict): number => (v.ok ? 0 : v.retryAfterMs);
const busy: LoginOutcome = {
  status: 503,
  body: { error: { code: 'rate_limited', message: 'The center is busy signing other people in. Try again in a second.' } },
  retryAfterSeconds: 1,
};

export function createLogin(db: Db, limits: LoginLimits = {}) {
  const rules = { ...DEFAULT_LOGIN_RULES, ...limits.rules };
  const throttle = limits.throttle ?? createThrottle(null);
  const gate = createGate(limits.hashing ?? { running: Math.min(4, Math.max(2, availableParallelism())), waiting: 16 });

  /** A hash of older parameters is made again with today's, after the answer and only when a slot is free. */
  function rehash(userId: string, old: string, password: string): void {
    const entered = gate.tryEnter();
    void entered?.then(async (release) => {
      try {
        const fresh = await hashPassword(password);
        await db.query('UPDATE users SET password_hash = $3 WHERE id = $1 AND password_hash = $2', [userId, old, fresh]);
      } catch {
        // Kept as it was; the next sign-in tries again.
      } finally {
        release();
      }
    });
  }

  /** Whether an administrator lifted the user's ceiling since its current window began. */
  async function lifted(tenant: string, username: string, key: string): Promise<boolean> {
    const since = await throttle.windowStart(key, rules.perUser);
    const [row] = await db.query<{ lifted: boolean }>(
      `SELECT l.lifted_at >= to_timestamp($3::bigint / 1000.0) AS lifted FROM sign_in_lifts l JOIN users u ON u.id = l.user_id
        WHERE u.tenant_id = $1 AND u.username = $2`,
      [tenant, username, since ?? 0],
    );
    return row?.lifted === true;
  }

  // Not async: everything up to the first await runs as one step, so each attempt is counted
  // before any other request is handled.
  return function login(body: unknown, peer: string): Promise<LoginOutcome> {
    // Behind --trust-proxy the address from X-Forwarded-For (client-address.ts), else the peer's.
    const where = addressBucket(requestClientAddress() ?? peer);
    const byAddress = throttle.take(keyOf('signin-address', where), rules.perAddress);
    if (!byAddress.now.ok) return Promise.resolve(fromAddress(byAddress.now.retryAfterMs));
    const parsed = LoginRequest.safeParse(body);
    if (!parsed.success) {
      return Promise.resolve({ status: 400, body: { error: { code: 'bad_request', message: 'Sign-in needs a tenant, a username and a password.' } } });
    }
    const { tenant, username, password } = parsed.data;
    const hereKey = keyOf('signin-here', tenant, username, where);
    const userKey = userCeilingKey(tenant, username);
    const here = throttle.take(hereKey, rules.perUserAtAddress);
    if (!here.now.ok) return Promise.resolve(fromHere(here.now.retryAfterMs));
    // A place to hash in, taken now or refused (503). Refused, the attempt still counts at this address
    // (given back, a guesser could reset their own wait by keeping the center busy); the user's
    // ceiling counts only attempts that are evaluated.
    const entered = gate.tryEnter();
    if (!entered) return Promise.resolve(busy);
    const user = throttle.take(userKey, rules.perUser);
    const after: { rehash?: () => void } = {};
    return (async (): Promise<LoginOutcome> => {
      const release = await entered;
      try {
        return await evaluate();
      } finally {
        release();
        after.rehash?.();
      }
    })();

    async function evaluate(): Promise<LoginOutcome> {
      const [a, h, u] = await Promise.all([byAddress.settled, here.settled, user.settled]);
      if (!a.ok) return fromAddress(a.retryAfterMs);
      if (!h.ok) return fromHere(h.retryAfterMs);
      if (!u.ok) {
        if (!(await lifted(tenant, username, userKey))) return ceiling(refused(u));
        await throttle.clear(userKey);
        throttle.take(userKey, rules.perUser);
      }
      const found = await findUser(db, tenant, username);
      // Always run one scrypt, so an unknown username takes as long as a wrong password.
      const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash()));
      if (!found || !ok || found.disabled) {
        // Recorded for a tenant that exists; an unknown username is not written down (it may be a password typed in the wrong field).
        const why = !found ? 'unknown username' : !ok ? 'wrong password' : 'account disabled';
        await db.query(
          `INSERT INTO audit_log (tenant_id, user_id, action, reason) SELECT $1, $2::uuid, 'auth.sign_in_failed', $3 WHERE EXISTS (SELECT 1 FROM tenants WHERE id = $1)`,
          [tenant, found?.id ?? null, `${why}, from ${where}`],
        );
        return {
          status: 401,
          body: { error: { code: 'unauthenticated', message: 'The tenant, username or password is not right, or the account is disabled. Check them and try again.' } },
        };
      }
      await Promise.all([throttle.clear(hereKey), throttle.giveBack(userKey)]);
      const session = await createSession(db, { id: found.id, tenantId: found.tenantId }, limits.sessionMs ?? DEFAULT_SESSION_MS);
      await db.query(`INSERT INTO audit_log (tenant_id, user_id, action, reason) VALUES ($1, $2, 'auth.sign_in', $3)`, [found.tenantId, found.id, `from ${where}`]);
      if (needsRehash(found.passwordHash)) after.rehash = () => rehash(found.id, found.passwordHash, password);
      return {
        status: 200,
        body: {
          token: session.token,
          expiresAt: session.expiresAt.toISOString(),
          user: { id: found.id, tenant: found.tenantId, username: found.username, displayName: found.displayName, role: found.role, takesCalls: found.role === 'agent' || found.takesCalls },
        },
      };
    }
  };
}
