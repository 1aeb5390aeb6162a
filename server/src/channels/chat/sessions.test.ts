// The web chat's public HTTP side against a real center (PGlite and PostgreSQL): a visitor session
// opened anonymously or with the tenant site's signed identity (matched to the customer holding the
// email address), forged, stale or unsigned identities refused with the reason, bad requests and a
// flood of sessions refused, the widget script served to any origin; and the secret's command.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatSessionResponse, type ChatSiteIdentity } from '../../../../shared/protocol/webchat';
import { forEachDriver } from '../../../../tests/support/postgres';
import { openDb } from '../../db/open';
import { runCli } from '../../testing/cli';
import { smallTenant, startTestCenter, type TestCenter } from '../../testing/center-client';
import { SESSIONS_PER_MINUTE } from './http';
import { createChatIdentitySecret, signChatIdentity, visitorOf } from './visitors';

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

forEachDriver('web chat sessions', ({ freshDatabase }) => {
  let t: TestCenter;
  let secret: string;
  let customer: { id: string; email: string };
  const now = () => Math.floor(Date.now() / 1000);
  const signed = (fields: Omit<ChatSiteIdentity, 'sig' | 'ts'>, key = secret, ts = now()): ChatSiteIdentity => ({ ...fields, ts, sig: signChatIdentity(key, { ...fields, ts }) });

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase(), [smallTenant('demo', 1), smallTenant('acme', 2)]);
    secret = await createChatIdentitySecret(t.center.db, 'demo');
    const [row] = await t.center.db.query<{ id: string; email: string }>(
      `SELECT customer_id::text AS id, value AS email FROM customer_identities WHERE tenant_id = 'demo' AND kind = 'email' ORDER BY value LIMIT 1`,
    );
    customer = row!;
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('opens an anonymous session whose token finds the visitor, and keeps only its hash', async () => {
    const res = await post(`${t.center.url}/chat/session`, { tenant: 'demo', name: 'Mina' }, { origin: 'https://shop.example' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const s = ChatSessionResponse.parse(await res.json());
    expect(s.verified).toBe(false);
    expect(await visitorOf(t.center.db, s.token)).toMatchObject({ tenantId: 'demo', id: s.visitorId, displayName: 'Mina', verified: false, customerId: null });
    const stored = await t.center.db.query<{ token_hash: string }>('SELECT token_hash FROM chat_visitors WHERE id = $1', [s.visitorId]);
    expect(stored[0]!.token_hash).not.toContain(s.token.slice(4));
    expect(await visitorOf(t.center.db, `${s.token}x`)).toBeNull();
  });

  it("matches a visitor the site vouches for to the customer with that email address, case-insensitively", async () => {
    const res = await post(`${t.center.url}/chat/session`, { tenant: 'demo', identity: signed({ externalId: 'u-1', email: customer.email.toUpperCase(), name: 'Kim' }) });
    expect(res.status).toBe(200);
    const s = ChatSessionResponse.parse(await res.json());
    expect(s.verified).toBe(true);
    expect(await visitorOf(t.center.db, s.token)).toMatchObject({ verified: true, customerId: customer.id, email: customer.email, displayName: 'Kim' });
  });

  it('refuses a forged, altered, stale or unsignable identity with the reason, and opens nothing', async () => {
    const before = (await t.center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_visitors'))[0]!.n;
    const forged = signed({ externalId: 'u-1', email: customer.email }, 'chatsec-not-the-tenants');
    const altered = { ...signed({ externalId: 'u-1', email: 'someone@else.example' }), email: customer.email };
    const stale = signed({ externalId: 'u-1', email: customer.email }, secret, now() - 3600);
    for (const identity of [forged, altered]) {
      const res = await post(`${t.center.url}/chat/session`, { tenant: 'demo', identity });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/signature does not match/);
    }
    const old = await post(`${t.center.url}/chat/session`, { tenant: 'demo', identity: stale });
    expect(old.status).toBe(401);
    expect(((await old.json()) as { error: { message: string } }).error.message).toMatch(/signed 360[0-9] s ago/);
    // acme has no chat identity secret: its site cannot vouch for anyone yet.
    const acme = await post(`${t.center.url}/chat/session`, { tenant: 'acme', identity: signed({ externalId: 'u-2' }) });
    expect(acme.status).toBe(401);
    expect(((await acme.json()) as { error: { message: string } }).error.message).toMatch(/set-chat-secret/);
    expect((await t.center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM chat_visitors'))[0]!.n).toBe(before);
  });

  it('answers bad requests with what is wrong, and the widget to any origin', async () => {
    const unknown = await post(`${t.center.url}/chat/session`, { tenant: 'nope' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/No tenant nope/);
    const notJson = await post(`${t.center.url}/chat/session`, '{"tenant": ');
    expect(notJson.status).toBe(400);
    const extra = await post(`${t.center.url}/chat/session`, { tenant: 'demo', admin: true });
    expect(extra.status).toBe(400);
    const big = await post(`${t.center.url}/chat/session`, { tenant: 'demo', name: 'x'.repeat(20_000) });
    expect(big.status).toBe(400);
    const badSig = await post(`${t.center.url}/chat/session`, { tenant: 'demo', identity: { externalId: 'u', ts: now(), sig: 'zz' } });
    expect(badSig.status).toBe(400);
    expect(((await badSig.json()) as { error: { message: string } }).error.message).toMatch(/identity\.sig/);

    const preflight = await fetch(`${t.center.url}/chat/session`, { method: 'OPTIONS', headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const widget = await fetch(`${t.center.url}/chat/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
    const js = await widget.text();
    expect(js).toContain('window.EarshotChat');
    expect(js).toContain('/visitor');
    // No demo page on a center not started with --demo.
    expect((await fetch(`${t.center.url}/chat/demo`)).status).toBe(404);
  });

  it(`refuses a client opening more than ${SESSIONS_PER_MINUTE} sessions a minute, and still serves others`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < SESSIONS_PER_MINUTE + 3; i++) statuses.push((await post(`${t.center.url}/chat/session`, { tenant: 'acme' })).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    expect((await fetch(`${t.center.url}/healthz`)).status).toBe(200);
  });
});

describe('earshot-center tenant set-chat-secret', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-chat-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a new secret, keeps the newest two, and refuses an unknown tenant', async () => {
    expect((await runCli({ dataDir: dir }, ['tenant', 'add', '--id', 'shop', '--name', 'Shop'])).code).toBe(0);
    const first = await runCli({ dataDir: dir }, ['tenant', 'set-chat-secret', '--id', 'shop']);
    expect(first.code).toBe(0);
    expect(first.out.trim()).toMatch(/^chatsec-[A-Za-z0-9_-]{32}$/);
    expect(first.err).toMatch(/shown once/);
    await runCli({ dataDir: dir }, ['tenant', 'set-chat-secret', '--id', 'shop']);
    const third = await runCli({ dataDir: dir }, ['tenant', 'set-chat-secret', '--id', 'shop']);
    const unknown = await runCli({ dataDir: dir }, ['tenant', 'set-chat-secret', '--id', 'nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/No tenant nope/);
    const db = await openDb({ dataDir: dir });
    try {
      const kept = await db.query<{ secret: string }>("SELECT secret FROM chat_identity_secrets WHERE tenant_id = 'shop' ORDER BY created_at DESC");
      expect(kept.map((r) => r.secret)).toHaveLength(2);
      expect(kept[0]!.secret).toBe(third.out.trim());
      expect(kept.map((r) => r.secret)).not.toContain(first.out.trim());
    } finally {
      await db.close();
    }
  });
});
