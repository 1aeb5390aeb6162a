// A complete record of who saw which customer (issue 21): lookups at the center, grants that delivered
// a customer to a desktop, customers shown from a desktop's local copy (reported through sync), sign-ins
// and failed sign-ins; an administrator reads a customer's access history (admin API), and sets a limit
// on lookups per user per minute. Over real HTTP and socket.io, on PGlite and PostgreSQL.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION, type PushResponse } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { desktop, login, ok, phoneOf, postJson, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';

forEachDriver('the audit trail', ({ freshDatabase }) => {
  let t: TestCenter;
  let adminToken: string;
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    adminToken = (await login(t.center.url, 'demo', 'admin')).token;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const audit = (where: string, params: unknown[]) =>
    t.center.db.query<{ action: string; user_id: string | null; customer_id: string | null; reason: string | null }>(
      `SELECT action, user_id::text AS user_id, customer_id::text AS customer_id, reason FROM audit_log WHERE ${where} ORDER BY id`,
      params,
    );
  const admin = async (method: string, path: string, body?: unknown, token = adminToken) => {
    const res = await fetch(`${t.center.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const push = (d: Desktop, mutations: ReturnType<Desktop['mutations']>) => d.call<PushResponse>('sync:push', { schemaVersion: SCHEMA_VERSION, clientId: d.clientId, mutations });

  it('records sign-ins and failed sign-ins with their address, never an unknown username', async () => {
    const d = await desktop(t.center.url, 'demo', 'agent11');
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'agent11', password: 'not-it' })).status).toBe(401);
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'demo', username: 'my-password-typed-here', password: 'x' })).status).toBe(401);
    expect((await postJson(`${t.center.url}/api/login`, { tenant: 'no-such-tenant', username: 'agent11', password: 'x' })).status).toBe(401);
    const rows = await audit(`action LIKE 'auth.%' AND (user_id = $1 OR user_id IS NULL)`, [d.user.id]);
    expect(rows).toEqual([
      { action: 'auth.sign_in', user_id: d.user.id, customer_id: null, reason: 'from 127.0.0.1' },
      { action: 'auth.sign_in_failed', user_id: d.user.id, customer_id: null, reason: 'wrong password, from 127.0.0.1' },
      { action: 'auth.sign_in_failed', user_id: null, customer_id: null, reason: 'unknown username, from 127.0.0.1' },
    ]);
    expect(JSON.stringify(await audit('true', []))).not.toContain('my-password-typed-here');
    expect(await audit(`tenant_id = 'no-such-tenant'`, [])).toEqual([]);
    d.close();
  });

  it("records the customers a grant delivered, and those a desktop showed from its copy — the tenant's own only", async () => {
    const d = await desktop(t.center.url, 'demo', 'agent12');
    const customer = t.tenants.demo!.customers[3]!.customer.id;
    ok(await d.call('customer:lookup', { by: 'phone', value: phoneOf(t.tenants.demo!, 3), reason: 'screen_pop' }));
    await vi.waitFor(async () => expect(await audit(`user_id = $1 AND action = 'customer.granted'`, [d.user.id])).toEqual([
      { action: 'customer.granted', user_id: d.user.id, customer_id: customer, reason: 'screen_pop' },
    ]));
    const other = t.tenants.acme!.customers[0]!.customer.id;
    const at = '2026-11-25T01:02:03.000Z';
    const r = ok(await push(d, d.mutations(1, [{ name: 'customer.viewed', args: { customerIds: [customer, other, randomUUID()], how: 'searched', at } }])));
    expect(r.rejected).toEqual([]);
    expect(await audit(`user_id = $1 AND action = 'customer.viewed.local'`, [d.user.id])).toEqual([
      { action: 'customer.viewed.local', user_id: d.user.id, customer_id: customer, reason: `searched on the desktop at ${at} (desktop clock)` },
    ]);
    d.close();
  });

  it("lets an administrator, and only one, read a customer's access history — itself recorded", async () => {
    const customer = t.tenants.demo!.customers[3]!.customer.id;
    const agent = await login(t.center.url, 'demo', 'agent13');
    expect((await admin('GET', `/api/admin/customers/${customer}/access`, undefined, agent.token)).status).toBe(403);
    expect((await admin('GET', `/api/admin/customers/not-a-uuid/access`)).status).toBe(400);
    const read = await admin('GET', `/api/admin/customers/${customer}/access`);
    expect(read.status).toBe(200);
    const entries = read.body.entries as Array<{ action: string; username: string | null; at: string }>;
    expect(entries.map((e) => `${e.action} ${e.username}`)).toEqual(
      expect.arrayContaining(['customer.lookup agent12', 'customer.granted agent12', 'customer.viewed.local agent12']),
    );
    expect(entries.map((e) => e.at)).toEqual([...entries.map((e) => e.at)].sort().reverse());
    // Another tenant's administrator sees nothing of it.
    const acmeAdmin = (await login(t.center.url, 'acme', 'admin')).token;
    expect((await admin('GET', `/api/admin/customers/${customer}/access`, undefined, acmeAdmin)).body.entries).toEqual([]);
    expect(await audit(`action = 'admin.customer_access_read' AND customer_id = $1`, [customer])).toHaveLength(2);
  });

  it('limits customer lookups per user per minute as the administrator sets it', async () => {
    const acmeAdmin = (await login(t.center.url, 'acme', 'admin')).token;
    expect((await admin('PUT', '/api/admin/lookup-limit', { lookupsPerMinute: 0 }, acmeAdmin)).status).toBe(400);
    expect(await admin('PUT', '/api/admin/lookup-limit', { lookupsPerMinute: 2 }, acmeAdmin)).toEqual({ status: 200, body: { lookupsPerMinute: 2 } });
    const a = await desktop(t.center.url, 'acme', 'agent1');
    const b = await desktop(t.center.url, 'acme', 'agent2');
    const lookup = (d: Desktop) => d.call('customer:lookup', { by: 'phone', value: phoneOf(t.tenants.acme!, 1), reason: 'search' });
    expect((await lookup(a)).ok).toBe(true);
    expect((await lookup(a)).ok).toBe(true);
    const third = await lookup(a);
    expect(third).toMatchObject({ ok: false, error: { code: 'rate_limited', message: expect.stringMatching(/looked up 2 customers in the last minute/) } });
    expect((await lookup(b)).ok).toBe(true); // per user
    expect(await audit(`tenant_id = 'acme' AND action = 'admin.lookup_limit_set'`, [])).toHaveLength(1);
    a.close();
    b.close();
  });
});
