// HTTP and handshake authentication: login, rate limits, bearer tokens, sign-out, revocation.
import { connect as connectTcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, type LoginResponse } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { createLogin } from '../auth/login';
import { disableUser } from '../auth/users';
import { openDb } from '../db/open';
import { seedDemo } from '../demo/seed';
import { connect, desktop, login, ok, postJson, smallTenant, startTestCenter, type TestCenter } from '../testing/center-client';

forEachDriver('center HTTP and handshake auth', ({ freshDatabase }) => {
  let t: TestCenter;
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
  });
  afterAll(async () => {
    await t?.stop();
  });
  const get = async (path: string, token?: string) => {
    const res = await fetch(`${t.center.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('answers the probes without a token', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok', version: expect.any(String) } });
    expect((await get('/readyz')).status).toBe(200);
  });

  it('signs in with the right password and refuses wrong ones without saying which part was wrong', async () => {
    const session = await login(t.center.url, 'demo', 'agent1');
    expect(session.user).toMatchObject({ tenant: 'demo', username: 'agent1', role: 'agent' });
    const hours = (Date.parse(session.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const wrong = await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent1', password: 'nope' });
    const unknown = await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'ghost', password: 'nope' });
    const otherTenant = await postJson(`${t.center.url}/api/login`, { tenant: 'acme', username: 'agent1', password: 'nope' });
    for (const r of [wrong, unknown, otherTenant]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ error: { code: 'unauthenticated', message: expect.stringMatching(/try again/) } });
    }
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo' })).status).toBe(400);
    const notJson = await fetch(`${t.center.url}/api/login`, { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
    // Over the body limit: answered 413 as soon as the limit is passed, not after the whole upload (a
    // raw socket that sends a little more than the limit and then waits for the answer).
    expect(await statusLineAfterPartialUpload(t.center.url, '/api/login', 200_000, 70_000)).toMatch(/^HTTP\/1\.1 413 /);
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent1', password: 'demo' })).status).toBe(200);
  });

  it('slows guesses at one username from one address (429 with Retry-After), and forgets them once the user signs in', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent15', password: `bad${i}` })).status).toBe(401);
    }
    const waiting = await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent15', password: 'demo' });
    expect(waiting.status).toBe(429);
    expect(waiting.body).toMatchObject({ error: { code: 'rate_limited', message: expect.stringMatching(/Wait 1 seconds/) } });
    expect(Number(waiting.headers.get('retry-after'))).toBe(1);
    // Another user of the same tenant, and the same username in another tenant, are unaffected.
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent16', password: 'demo' })).status).toBe(200);
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'acme', username: 'agent15', password: 'demo' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_050));
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent15', password: 'demo' })).status).toBe(200);
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent15', password: 'bad again' })).status).toBe(401);
  });

  it('requires a bearer token on every other route', async () => {
    expect((await get('/api/me')).status).toBe(401);
    expect((await get('/anything')).status).toBe(401);
    expect((await get('/api/me', 'made-up-token')).status).toBe(401);
    const session = await login(t.center.url, 'acme', 'super1');
    const me = await get('/api/me', session.token);
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ tenant: 'acme', username: 'super1', role: 'supervisor' });
    expect((await get('/anything', session.token)).status).toBe(404);
  });

  it('refuses socket handshakes without a valid token, with a message that says what to do', async () => {
    await expect(connect(t.center.url, {})).rejects.toThrow(/sign in/i);
    await expect(connect(t.center.url, { token: 'made-up', schemaVersion: SCHEMA_VERSION })).rejects.toThrow(/not valid.*Sign in again/);
    const session = await login(t.center.url, 'demo', 'agent2');
    const old = await connect(t.center.url, { token: session.token, schemaVersion: 0 }).catch((e: { data?: { code?: string } }) => e);
    expect((old as { data?: { code?: string } }).data?.code).toBe('update_required');
  });

  it("refuses a handshake with another user's sync client id", async () => {
    const owner = await desktop(t.center.url, 'demo', 'agent6');
    ok(await owner.call('sync:push', { schemaVersion: SCHEMA_VERSION, clientId: owner.clientId, mutations: [] }));
    const session = await login(t.center.url, 'demo', 'agent7');
    await expect(connect(t.center.url, { token: session.token, schemaVersion: SCHEMA_VERSION, clientId: owner.clientId })).rejects.toThrow(/belongs to another user/);
    owner.close();
  });

  it('signs out: the token stops working and its sockets are dropped', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent3');
    const dropped = new Promise<string>((resolve) => d.socket.once('disconnect', resolve));
    const r = await postJson(`${t.center.url}/api/logout`, {}, { authorization: `Bearer ${d.token}` });
    expect(r.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect((await get('/api/me', d.token)).status).toBe(401);
    await expect(connect(t.center.url, { token: d.token, schemaVersion: SCHEMA_VERSION })).rejects.toThrow(/revoked/);
  });

  it("hangs up a disabled user's sockets at once, and refuses their token and password", async () => {
    const d = await desktop(t.center.url, 'demo', 'agent4');
    const bystander = await desktop(t.center.url, 'demo', 'agent8');
    const dropped = new Promise<string>((resolve) => d.socket.once('disconnect', resolve));
    await t.center.db.tx((q) => disableUser(q, 'demo', 'agent4'));
    // An event sent before the change is heard is answered 'unauthenticated' (it reads the database
    // again); either way the socket is hung up, whatever the agent does.
    const r = (await d.socket
      .timeout(2_000)
      .emitWithAck('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: null, limit: 10 })
      .catch(() => null)) as { ok: boolean; error?: { code: string } } | null;
    expect(r === null ? 'hung up before answering' : r.ok ? 'answered' : r.error?.code).toMatch(/^(hung up before answering|unauthenticated)$/);
    expect(await dropped).toBe('io server disconnect');
    await expect(connect(t.center.url, { token: d.token, schemaVersion: SCHEMA_VERSION })).rejects.toThrow(/not valid|revoked/);
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent4', password: 'demo' })).status).toBe(401);
    ok(await bystander.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: null, limit: 10 }));
    expect(bystander.socket.connected).toBe(true);
    bystander.close();
  });

  it('hangs up a demoted supervisor, whose new socket then has only the agent role', async () => {
    const s = await desktop(t.center.url, 'demo', 'super1');
    const dropped = new Promise<string>((resolve) => s.socket.once('disconnect', resolve));
    const user = await t.center.db.query<{ id: string }>(`SELECT id FROM users WHERE tenant_id = 'demo' AND username = 'super1'`);
    await t.center.db.query(`UPDATE users SET role = 'agent' WHERE id = $1`, [user[0]!.id]);
    expect(await dropped).toBe('io server disconnect');
    const again = await connect(t.center.url, { token: s.token, schemaVersion: SCHEMA_VERSION });
    const r = (await again.timeout(10_000).emitWithAck('queue:trends', { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date().toISOString() })) as { ok: boolean; error?: { code: string } };
    expect(r.ok ? null : r.error?.code).toBe('forbidden');
    again.close();
    await t.center.db.query(`UPDATE users SET role = 'supervisor' WHERE id = $1`, [user[0]!.id]);
  });

  it('refuses an expired session', async () => {
    const session: LoginResponse = await login(t.center.url, 'demo', 'agent5');
    await t.center.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [session.user.id]);
    expect((await get('/api/me', session.token)).status).toBe(401);
    await expect(connect(t.center.url, { token: session.token, schemaVersion: SCHEMA_VERSION })).rejects.toThrow(/expired/);
  });
});

describe('login rate limit per address', () => {
  it('answers 429 once an address (an IPv6 /64, loopback too) has used its budget, whatever the username', async () => {
    const db = await openDb({});
    try {
      await seedDemo(db, { data: smallTenant('demo', 1, 3) });
      const perAddress = { max: 3, windowMs: 60_000, sliding: false, free: 1_000, baseDelayMs: 0, maxDelayMs: 0 };
      const login = createLogin(db, { rules: { perAddress } });
      const body = (username: string) => ({ tenant: 'demo', username, password: 'demo' });
      expect((await login(body('agent1'), '10.0.0.1')).status).toBe(200);
      expect((await login(body('agent2'), '10.0.0.1')).status).toBe(200);
      expect((await login(body('nobody'), '10.0.0.1')).status).toBe(401);
      expect((await login(body('agent3'), '10.0.0.1')).status).toBe(429);
      expect((await login(body('agent3'), '10.0.0.2')).status).toBe(200);
      // Loopback (a TLS proxy on the same host, unless --trust-proxy says so) has a budget like any address.
      for (let i = 0; i < 3; i += 1) expect((await login(body('agent4'), '::1')).status).toBe(200);
      expect((await login(body('agent4'), '::1')).status).toBe(429);
      expect((await login(body('agent4'), '::ffff:127.0.0.1')).status).toBe(200); // 127.0.0.1 is another address than ::1
      // Rotating addresses within one /64 does not buy a new budget.
      for (let i = 1; i <= 3; i += 1) expect((await login(body('agent1'), `2001:db8:7:9::${i}`)).status).toBe(200);
      expect((await login(body('agent1'), '2001:db8:7:9:ffff:1:2:3')).status).toBe(429);
      expect((await login(body('agent1'), '2001:db8:7:a::1')).status).toBe(200);
    } finally {
      await db.close();
    }
  });
});

/** Declares a body of `declared` bytes, sends `sent` of them, and returns the first line of the answer. */
function statusLineAfterPartialUpload(base: string, path: string, declared: number, sent: number): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), hostname, () => {
      socket.write(`POST ${path} HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`);
      socket.write('x'.repeat(sent));
    });
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      answer += chunk;
      if (answer.includes('\r\n')) {
        resolve(answer.slice(0, answer.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', reject);
    socket.on('end', () => resolve(answer));
  });
}
