// Sessions checked before every socket event are answered from memory only while every change that
// could end them is heard (LISTEN earshot_auth, migration 0010): revocation, disabling, role change,
// expiry, and a read that raced an announced change.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Db, QueryOptions } from '../db/db';
import { openDb } from '../db/open';
import { createSessionCheck, AUTH_CHANNEL, parseChange, type SessionChange, type SessionCheck } from './session-check';
import { createSession, hashToken, revokeSession } from './sessions';
import { addUser, disableUser, ensureTenant } from './users';

const silent = pino({ level: 'silent' });
const SESSION_READ = 'FROM sessions s JOIN users u';

describe('session change notifications', () => {
  it('name one session or one user', () => {
    expect(parseChange('ab12')).toEqual({ tokenHash: 'ab12' });
    expect(parseChange('user:5f0c')).toEqual({ userId: '5f0c' });
  });
});

forEachDriver('session check before each event', ({ driver, freshDatabase }) => {
  let db: Db;
  let reads = 0;
  /** Holds the result of the next session read until released (the read itself runs at once). */
  let hold: Promise<void> | null = null;
  let counted: Db;
  const checks: SessionCheck[] = [];

  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await ensureTenant(db, { id: 't1', name: 'T1', timeZone: 'UTC' });
    counted = {
      ...db,
      query: async <T>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<T[]> => {
        const rows = await db.query<T>(sql, params, opts);
        if (sql.includes(SESSION_READ)) {
          reads++;
          if (hold) await hold;
        }
        return rows;
      },
    };
  });
  afterAll(async () => {
    for (const c of checks) await c.close();
    await db?.close();
  });

  async function listeningCheck(opts: { maxAgeMs?: number } = {}): Promise<SessionCheck> {
    const c = createSessionCheck(counted, silent, opts);
    checks.push(c);
    await vi.waitFor(() => expect(c.listening).toBe(true), { timeout: 5_000 });
    return c;
  }
  let n = 0;
  async function newSession(role: 'agent' | 'supervisor' = 'agent', ttlMs?: number) {
    const user = await addUser(db, { tenantId: 't1', username: `u${++n}`, displayName: `User ${n}`, role, password: 'a-long-secret' });
    const { token } = await createSession(db, user, ttlMs);
    return { user, hash: hashToken(token) };
  }

  it('reads a session once, then answers from memory', async () => {
    const c = await listeningCheck();
    const { user, hash } = await newSession();
    const before = reads;
    expect((await c.check(hash))?.userId).toBe(user.id);
    expect((await c.check(hash))?.userId).toBe(user.id);
    expect((await c.check(hash))?.username).toBe(user.username);
    expect(reads - before).toBe(1);
    expect(await c.check(hashToken('not a session'))).toBeNull();
  });

  it('hears a revocation, a disabled user and a role change made through the database', async () => {
    const c = await listeningCheck();
    const revoked = await newSession();
    const disabled = await newSession();
    const promoted = await newSession();
    for (const s of [revoked, disabled, promoted]) expect(await c.check(s.hash)).not.toBeNull();
    await revokeSession(db, revoked.hash);
    await db.tx((q) => disableUser(q, 't1', disabled.user.username));
    await db.query(`UPDATE users SET role = 'supervisor' WHERE id = $1`, [promoted.user.id]);
    await vi.waitFor(async () => {
      expect(await c.check(revoked.hash)).toBeNull();
      expect(await c.check(disabled.hash)).toBeNull();
      expect((await c.check(promoted.hash))?.role).toBe('supervisor');
    });
  });

  it("forgets only the changed user's sessions and tells its listeners what changed", async () => {
    const c = await listeningCheck();
    const changes: SessionChange[] = [];
    c.onChange((change) => changes.push(change));
    const a = await newSession();
    const b = await newSession();
    const revoked = await newSession();
    for (const s of [a, b, revoked]) expect(await c.check(s.hash)).not.toBeNull();
    await db.query(`UPDATE users SET role = 'supervisor' WHERE id = $1`, [a.user.id]);
    await revokeSession(db, revoked.hash);
    await vi.waitFor(() => expect(changes).toEqual(expect.arrayContaining([{ userId: a.user.id }, { tokenHash: revoked.hash }])));
    const before = reads;
    expect((await c.check(b.hash))?.userId).toBe(b.user.id); // another user's session: still from memory
    expect(reads - before).toBe(0);
    expect((await c.check(a.hash))?.role).toBe('supervisor');
    expect(await c.check(revoked.hash)).toBeNull();
    expect(reads - before).toBe(2);
  });

  it('reads again once the session has expired by its own clock, and after the maximum age', async () => {
    const c = await listeningCheck({ maxAgeMs: 300 });
    const short = await newSession('agent', 1_000);
    const long = await newSession();
    expect(await c.check(short.hash)).not.toBeNull();
    expect(await c.check(long.hash)).not.toBeNull();
    const before = reads;
    await new Promise((r) => setTimeout(r, 400));
    expect(await c.check(long.hash)).not.toBeNull(); // older than maxAge: read again
    expect(reads - before).toBe(1);
    await new Promise((r) => setTimeout(r, 700));
    expect(await c.check(short.hash)).toBeNull();
  });

  it('does not remember a read that began before a change it had not yet seen', async () => {
    const c = await listeningCheck();
    const { hash } = await newSession();
    const heard: string[] = [];
    const unlisten = await db.listen(AUTH_CHANNEL, (p) => heard.push(p), () => undefined);
    let release!: () => void;
    hold = new Promise((r) => (release = r));
    const racing = c.check(hash); // reads now (a live session), its answer held back
    await vi.waitFor(() => expect(reads).toBeGreaterThan(0));
    await revokeSession(db, hash);
    await vi.waitFor(() => expect(heard).toContain(hash));
    await new Promise((r) => setTimeout(r, 50)); // the check's own channel hears it as well
    hold = null;
    release();
    expect(await racing).not.toBeNull(); // what the database said when asked
    const before = reads;
    expect(await c.check(hash)).toBeNull(); // but it was not remembered
    expect(reads - before).toBe(1);
    await unlisten();
  });

  it('never answers from memory over a channel that does not deliver (a pooler in transaction mode)', async () => {
    // LISTEN "succeeds", nothing ever arrives: the probe does not come back, so nothing is remembered.
    const deaf: Db = { ...counted, listen: async () => async () => undefined };
    const c = createSessionCheck(deaf, silent);
    checks.push(c);
    const { hash } = await newSession();
    const before = reads;
    for (let i = 0; i < 3; i++) expect(await c.check(hash)).not.toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(await c.check(hash)).not.toBeNull();
    expect(c.listening).toBe(false);
    expect(reads - before).toBe(4);
  });

  describe.skipIf(driver !== 'pg')('when the listening connection is lost', () => {
    it('reads every check from the database until it listens again', async () => {
      const c = await listeningCheck();
      const { hash } = await newSession();
      await c.check(hash);
      const before = reads;
      await c.check(hash);
      expect(reads).toBe(before);
      await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN earshot_auth'`);
      await vi.waitFor(() => expect(c.listening).toBe(false));
      const lost = reads;
      await c.check(hash);
      await c.check(hash);
      expect(reads - lost).toBe(2);
      await vi.waitFor(() => expect(c.listening).toBe(true), { timeout: 5_000 });
      await c.check(hash);
      const back = reads;
      await c.check(hash);
      expect(reads).toBe(back);
      // Heard again: a revocation after the reconnect still reaches it.
      await revokeSession(db, hash);
      await vi.waitFor(async () => expect(await c.check(hash)).toBeNull());
    });
  });
});
