// Sign-in throttling that holds (issue 21): parallel guesses are counted before they are evaluated, a
// guesser slows only themself, a ceiling an administrator lifts, and one budget across center nodes.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, pgAdminUrl, pgSkipReason } from '../../../tests/support/postgres';
import { redisForSuite } from '../../../tests/support/redis';
import { openDb } from '../db/open';
import { seedDemo } from '../demo/seed';
import { startCenter, type RunningCenter } from '../index';
import { postJson, smallTenant } from '../testing/center-client';
import { createHttpHandler } from '../http/routes';
import { createLogin } from './login';
import { hashPassword, verifyPassword } from './passwords';
import { liftSignInLimit } from './users';

const redis = await redisForSuite();

/**
 * `n` wrong passwords for demo/agent1 at once, spread over `urls`; how many were evaluated (401) and
 * refused (429), and how many the rule allows in the time the burst took: 5 free, then one after 1 s,
 * one 2 s after that, 4 s … (a burst of 120 requests takes a few seconds to be answered).
 */
async function guessInParallel(urls: string[], n: number, from: string) {
  const started = Date.now();
  const answers = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      postJson(`${urls[i % urls.length]}/api/login`, { tenant: 'demo', username: 'agent1', password: `guess-${i}` }, { 'x-forwarded-for': from }),
    ),
  );
  const statuses = answers.map((a) => a.status);
  const allowed = 5 + Math.floor(Math.log2((Date.now() - started) / 1000 + 1));
  return {
    evaluated: statuses.filter((s) => s === 401).length,
    refused: statuses.filter((s) => s === 429).length,
    other: statuses.filter((s) => s !== 401 && s !== 429),
    allowed,
  };
}

describe('sign-in throttling over HTTP', () => {
  let center: RunningCenter;
  beforeAll(async () => {
    center = await startCenter({ port: 0, logLevel: 'silent', trustProxy: 1 });
    await seedDemo(center.db, { data: smallTenant('demo', 1, 3) });
  });
  afterAll(async () => {
    await center?.stop();
  });

  it('evaluates at most the free budget of 120 parallel guesses, and the user still signs in from their own desk meanwhile', async () => {
    const guessing = guessInParallel([center.url], 120, '203.0.113.7');
    const victim = await postJson(`${center.url}/api/login`, { tenant: 'demo', username: 'agent1', password: 'demo' }, { 'x-forwarded-for': '198.51.100.2' });
    const r = await guessing;
    expect(r.other).toEqual([]);
    expect(r.evaluated).toBeLessThanOrEqual(r.allowed);
    expect(r.evaluated + r.refused).toBe(120);
    expect(victim.status).toBe(200);
    // The guesser keeps going; the user signs in again from their desk.
    expect((await guessInParallel([center.url], 10, '203.0.113.7')).evaluated).toBeLessThanOrEqual(1);
    expect((await postJson(`${center.url}/api/login`, { tenant: 'demo', username: 'agent1', password: 'demo' }, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
  });
});

describe('the per-user ceiling', () => {
  it('refuses every address once a user has failed too often, until an administrator lifts it', async () => {
    const db = await openDb({});
    try {
      await seedDemo(db, { data: smallTenant('demo', 1, 3) });
      const perUser = { max: 4, windowMs: 86_400_000, sliding: false, free: 1_000, baseDelayMs: 0, maxDelayMs: 0 };
      const login = createLogin(db, { rules: { perUser } });
      const attempt = (password: string, from: string) => login({ tenant: 'demo', username: 'agent2', password }, from);
      // A success takes its own attempt back: only failures fill the ceiling.
      expect((await attempt('demo', '10.0.0.1')).status).toBe(200);
      for (let i = 0; i < 4; i++) expect((await attempt(`guess-${i}`, `10.0.1.${i}`)).status).toBe(401);
      const locked = await attempt('demo', '10.0.0.1');
      expect(locked).toMatchObject({ status: 429, body: { error: { message: expect.stringMatching(/Ask your administrator to lift the limit/) } } });
      expect(locked.status === 429 && locked.retryAfterSeconds).toBeGreaterThan(80_000);
      await liftSignInLimit(db, 'demo', 'agent2', 'test');
      expect((await attempt('demo', '10.0.0.1')).status).toBe(200);
      // Lifted once, not for ever: new failures fill it again.
      for (let i = 0; i < 4; i++) expect((await attempt(`guess-${i}`, `10.0.2.${i}`)).status).toBe(401);
      expect((await attempt('demo', '10.0.0.1')).status).toBe(429);
    } finally {
      await db.close();
    }
  });
});

describe('password hashing at sign-in', () => {
  it('hashes at most the bound at once and answers the rest 503 with Retry-After', async () => {
    const db = await openDb({});
    const server = createServer();
    try {
      await seedDemo(db, { data: smallTenant('demo', 1, 3) });
      const login = createLogin(db, { hashing: { running: 1, waiting: 1 } });
      const handler = createHttpHandler({ db, version: 'test', login, status: () => 'ok', ready: async () => true, onSignOut: () => undefined, onError: () => undefined });
      server.on('request', (req, res) => void handler(req, res));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const answers = await Promise.all(['agent1', 'agent2', 'agent3', 'agent4', 'agent5', 'super1'].map((username) => postJson(`${url}/api/login`, { tenant: 'demo', username, password: 'demo' })));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(2);
      const busy = answers.filter((a) => a.status === 503);
      expect(busy).toHaveLength(4);
      for (const b of busy) {
        expect(b.headers.get('retry-after')).toBe('1');
        expect(b.body).toMatchObject({ error: { message: expect.stringMatching(/busy.*Try again/) } });
      }
    } finally {
      server.close();
      await db.close();
    }
  });

  it("makes new hashes with today's scrypt cost, and rehashes an older hash when its user signs in", async () => {
    expect((await hashPassword('correct horse battery')).split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '3']);
    const db = await openDb({});
    try {
      await seedDemo(db, { data: smallTenant('demo', 1, 3) });
      const old = await hashPassword('correct horse battery', { N: 16384, r: 8, p: 1 });
      await db.query(`UPDATE users SET password_hash = $1 WHERE tenant_id = 'demo' AND username = 'agent3'`, [old]);
      const login = createLogin(db);
      const signIn = () => login({ tenant: 'demo', username: 'agent3', password: 'correct horse battery' }, '10.0.0.3');
      expect((await signIn()).status).toBe(200);
      const stored = async () => (await db.query<{ h: string }>(`SELECT password_hash AS h FROM users WHERE tenant_id = 'demo' AND username = 'agent3'`))[0]!.h;
      await vi.waitFor(async () => expect((await stored()).startsWith('scrypt$32768$8$3$')).toBe(true), { timeout: 20_000 });
      expect(await verifyPassword('correct horse battery', await stored())).toBe(true);
      expect((await signIn()).status).toBe(200);
    } finally {
      await db.close();
    }
  });
});

const adminUrl = pgAdminUrl();
describe.skipIf(!adminUrl)(`sign-in throttling across center nodes${adminUrl ? '' : ` (skipped: ${pgSkipReason()})`}`, () => {
  const variants = [{ shared: 'PostgreSQL', redisUrl: undefined }, ...(redis.url ? [{ shared: 'Redis', redisUrl: redis.url }] : [])];
  for (const { shared, redisUrl } of variants) {
    it(`shares one budget between two nodes through ${shared}`, async () => {
      const database = await createTestDatabase(adminUrl!);
      const nodes: RunningCenter[] = [];
      try {
        const start = () => startCenter({ port: 0, logLevel: 'silent', trustProxy: 1, databaseUrl: database.url, redisUrl });
        nodes.push(await start());
        await seedDemo(nodes[0]!.db, { data: smallTenant('demo', 1, 3) });
        nodes.push(await start());
        const r = await guessInParallel(
          nodes.map((n) => n.url),
          120,
          '203.0.113.9',
        );
        expect(r.other).toEqual([]);
        expect(r.evaluated).toBeLessThanOrEqual(r.allowed);
      } finally {
        for (const n of nodes) await n.stop();
        await database.drop();
      }
    });
  }
});
