// The wallboard: a token opens one tenant's queue figures and nothing else; missing, wrong and
// revoked tokens get the same 401; admins (only) create, list and revoke tokens; the CLI prints a
// token once and stores only its hash.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EVENTS, QueueMetricsPush } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { main } from '../cli';
import { openDb } from '../db/open';
import { channelsOf } from '../index';
import { desktop, login, postJson, startTestCenter, type TestCenter } from '../testing/center-client';
import { createWallboardData, type WallboardData } from './data';
import { authenticateWallboard, createWallboardToken, hashWallboardToken, revokeWallboardToken } from './tokens';

forEachDriver('wallboard', ({ freshDatabase }) => {
  let t: TestCenter;
  let demoToken: string;
  let acmeToken: string;
  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    // A queue only acme has, created before either tenant's floor opens.
    await t.center.db.query(`INSERT INTO queues (tenant_id, id, name) VALUES ('acme', 'acme-only', 'Acme only')`);
    demoToken = (await createWallboardToken(t.center.db, 'demo', 'floor TV', 'test')).token;
    acmeToken = (await createWallboardToken(t.center.db, 'acme', 'lobby', 'test')).token;
  });
  afterAll(async () => {
    await t?.stop();
  });

  const data = async (token?: string) => {
    const res = await fetch(`${t.center.url}/wallboard/data`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
  };

  it("shows a token's own tenant's queues, with figures and threshold levels", async () => {
    const demoQueues = (await t.center.db.query<{ id: string }>(`SELECT id FROM queues WHERE tenant_id = 'demo' ORDER BY id`)).map((r) => r.id);
    const demo = await data(demoToken);
    expect(demo.status).toBe(200);
    const body = demo.body as unknown as WallboardData;
    expect(body.label).toBe('floor TV');
    expect(body.queues.map((q) => q.queue)).toEqual(demoQueues);
    expect(body.queues.map((q) => q.queue)).not.toContain('acme-only');
    for (const q of body.queues) {
      expect(q).toMatchObject({ waitingNow: expect.any(Number), longestWaitSec: expect.any(Number), offered: expect.any(Number) });
      expect(q.levels).toEqual({ waitingNow: 'ok', longestWait: 'ok', serviceLevel: 'ok', abandonRate: 'ok' });
    }
    const acme = (await data(acmeToken)).body as unknown as WallboardData;
    expect(acme.queues.map((q) => q.queue)).toContain('acme-only');
    expect(acme.label).toBe('lobby');
  });

  it("shows each queue's chats and emails: waiting now, the oldest, first response; chats coloured by the queue's limits", async () => {
    const [queue, quiet] = (await t.center.db.query<{ id: string }>(`SELECT id FROM queues WHERE tenant_id = 'demo' ORDER BY id LIMIT 2`)).map((r) => r.id) as [string, string];
    const channels = channelsOf(t.center)!;
    // No desktop is connected, so nothing is offered: 11 chats and an email wait (red is above 10 waiting).
    for (let i = 0; i < 11; i++) await channels.inbound({ tenantId: 'demo', channel: 'chat', queue, identity: { chatVisitorId: `wb-visitor-${i}` }, text: 'Hello?' });
    await channels.inbound({ tenantId: 'demo', channel: 'email', queue, identity: { email: 'wallboard@example.com' }, subject: 'Order', text: 'Where is it?', headers: { messageId: '<wb1@example.com>' } });
    const tileOf = async (id: string) => ((await data(demoToken)).body as unknown as WallboardData).queues.find((q) => q.queue === id)!;
    await vi.waitFor(async () => expect((await tileOf(queue)).channels?.chat.waitingNow).toBe(11), { timeout: 15_000 });
    const tile = await tileOf(queue);
    expect(tile.channels!.chat).toMatchObject({ waitingNow: 11, longestWaitSec: expect.any(Number), firstResponseSec: null, levels: { waitingNow: 'red' } });
    expect(tile.channels!.email).toMatchObject({ waitingNow: 1, firstResponseSec: null, levels: { waitingNow: 'ok', longestWait: 'ok' } });
    expect((await tileOf(quiet)).channels).toEqual({
      chat: { waitingNow: 0, longestWaitSec: 0, firstResponseSec: null, levels: { waitingNow: 'ok', longestWait: 'ok' } },
      email: { waitingNow: 0, longestWaitSec: 0, firstResponseSec: null, levels: { waitingNow: 'ok', longestWait: 'ok' } },
    });
    // The page draws them (written with textContent, like every figure).
    const script = await (await fetch(`${t.center.url}/wallboard/app.js`)).text();
    for (const figure of ["'-waiting'", "'-oldest'", "'-first-response'"]) expect(script).toContain(figure);

    // Figures from a center without chats and emails: no channels on the tile, nothing empty.
    let full: QueueMetricsPush | null = null;
    const sup = await desktop(t.center.url, 'demo', 'admin', undefined, (sock) => sock.on(EVENTS.queueMetrics, (m: unknown) => {
      const p = QueueMetricsPush.parse(m);
      if (p.kind === 'full') full = p;
    }));
    try {
      await vi.waitFor(() => expect(full).not.toBeNull(), { timeout: 10_000 });
      const snapshot = full! as Extract<QueueMetricsPush, { kind: 'full' }>;
      const older = Object.fromEntries(Object.entries(snapshot.queues).map(([id, { channels: _gone, ...m }]) => [id, m]));
      const board = await createWallboardData(t.center.db, async () => ({ ...snapshot, queues: older }))('demo', 'old');
      expect(board.queues.length).toBeGreaterThan(0);
      for (const q of board.queues) expect(q).not.toHaveProperty('channels');
    } finally {
      sup.close();
    }
  });

  it('refuses a missing, malformed, unknown or revoked token alike, saying nothing else', async () => {
    const { token: doomed } = await createWallboardToken(t.center.db, 'demo', 'doomed', 'test');
    expect((await data(doomed)).status).toBe(200);
    expect(await revokeWallboardToken(t.center.db, 'acme', 'doomed')).toBe(0); // another tenant cannot revoke it
    expect(await revokeWallboardToken(t.center.db, 'demo', 'doomed')).toBe(1);
    const session = await login(t.center.url, 'demo', 'super1');
    const answers = await Promise.all([data(), data('nope'), data(`wb_${'A'.repeat(43)}`), data(doomed), data(session.token)]);
    for (const a of answers) {
      expect(a.status).toBe(401);
      expect(a.body).toEqual({ error: { code: 'unauthenticated', message: expect.stringMatching(/wallboard token/) } });
    }
    // The page, its script and its style carry no data; the token never travels in a URL the center sees.
    const page = await fetch(`${t.center.url}/wallboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await page.text()).toContain('/wallboard/app.js');
    const script = await fetch(`${t.center.url}/wallboard/app.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('/wallboard/data');
  });

  it('refuses a link that carries the token in its query string, without echoing it', async () => {
    const old = await fetch(`${t.center.url}/wallboard?token=${demoToken}`);
    expect(old.status).toBe(400);
    const text = await old.text();
    expect(text).toMatch(/wallboard#token=/);
    expect(text).not.toContain(demoToken);
  });

  it('stores only a hash of the token', async () => {
    const rows = await t.center.db.query<{ token_hash: string }>(`SELECT token_hash FROM wallboard_tokens WHERE tenant_id = 'demo'`);
    expect(rows.map((r) => r.token_hash)).toContain(hashWallboardToken(demoToken));
    expect(JSON.stringify(rows)).not.toContain(demoToken);
  });

  it('lets admins, and only admins, create, list and revoke tokens over HTTP (audited)', async () => {
    const admin = await login(t.center.url, 'demo', 'admin');
    const auth = { authorization: `Bearer ${admin.token}` };
    for (const who of ['super1', 'agent1']) {
      const s = await login(t.center.url, 'demo', who);
      const r = await postJson(`${t.center.url}/api/wallboard/tokens`, { label: 'x' }, { authorization: `Bearer ${s.token}` });
      expect(r.status).toBe(403);
    }
    expect((await postJson(`${t.center.url}/api/wallboard/tokens`, { label: 'x' })).status).toBe(401);
    expect((await postJson(`${t.center.url}/api/wallboard/tokens`, { label: '' }, auth)).status).toBe(400);
    const created = await postJson(`${t.center.url}/api/wallboard/tokens`, { label: 'hall' }, auth);
    expect(created.status).toBe(201);
    const { token, url } = created.body as { token: string; url: string };
    expect(url).toBe(`/wallboard#token=${token}`);
    expect((await data(token)).status).toBe(200);
    const listed = await fetch(`${t.center.url}/api/wallboard/tokens`, { headers: auth });
    const text = await listed.text();
    expect(JSON.parse(text).tokens.map((x: { label: string }) => x.label)).toContain('hall');
    expect(text).not.toContain(token);
    expect(text).not.toContain(hashWallboardToken(token));
    // Another tenant's admin cannot revoke it.
    const acmeAdmin = await login(t.center.url, 'acme', 'admin');
    expect((await postJson(`${t.center.url}/api/wallboard/tokens/revoke`, { token: 'hall' }, { authorization: `Bearer ${acmeAdmin.token}` })).status).toBe(404);
    expect((await postJson(`${t.center.url}/api/wallboard/tokens/revoke`, { token: 'hall' }, auth)).status).toBe(200);
    expect((await data(token)).status).toBe(401);
    const audit = await t.center.db.query<{ action: string }>(`SELECT action FROM audit_log WHERE tenant_id = 'demo' AND action LIKE 'wallboard.%' ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['wallboard.token_created', 'wallboard.token_revoked']);
  });
});

describe('wallboard CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-wallboard-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const code = await main([...argv, '--data-dir', dir], { stdin: process.stdin, stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
      return { code, out, err };
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  };

  it('adds a token (printed once), refuses an unknown tenant, and revokes by label', async () => {
    expect((await run('tenant', 'add', '--id', 'tv')).code).toBe(0);
    const added = await run('wallboard', 'add', 'tv', 'floor 2');
    expect(added.code).toBe(0);
    const token = added.out.trim();
    expect(token).toMatch(/^wb_[A-Za-z0-9_-]{40,}$/);
    expect((await run('wallboard', 'add', 'nosuch', 'x')).code).toBe(1);
    expect((await run('wallboard')).code).toBe(64);
    const listed = await run('wallboard', 'list', 'tv');
    expect(listed.out).toContain('floor 2');
    expect(listed.out).not.toContain(token);
    const check = async () => {
      const db = await openDb({ dataDir: dir });
      try {
        return await authenticateWallboard(db, token);
      } finally {
        await db.close();
      }
    };
    expect(await check()).toMatchObject({ tenantId: 'tv', label: 'floor 2' });
    expect((await run('wallboard', 'revoke', 'tv', 'floor 2')).code).toBe(0);
    expect(await check()).toBeNull();
    expect((await run('wallboard', 'revoke', 'tv', 'floor 2')).code).toBe(1);
  });
});
