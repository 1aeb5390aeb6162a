// startCenter end to end: demo seeding (5,000 customers, once), the call simulator's offers,
// readiness, and a graceful stop that lets running transactions commit.
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SCHEMA_VERSION, CallOffered, PullResponse } from '../../../shared/protocol';
import { startCenter, type RunningCenter } from '../index';
import { desktop, ok } from '../testing/center-client';

describe('startCenter with --demo and --simulate', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-center-'));
  let center: RunningCenter;
  afterAll(async () => {
    await center?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the 5,000-customer demo on first start, with values computed', async () => {
    center = await startCenter({ dataDir: dir, port: 0, demo: true, logLevel: 'silent', simulate: { offerIntervalMs: [20, 60], unknownCallerShare: 0 } });
    const [counts] = await center.db.query<{ customers: number; valued: number; users: number }>(
      `SELECT (SELECT count(*)::int FROM customers WHERE tenant_id = 'demo') AS customers,
              (SELECT count(*)::int FROM customers WHERE tenant_id = 'demo' AND value IS NOT NULL) AS valued,
              (SELECT count(*)::int FROM users WHERE tenant_id = 'demo') AS users`,
    );
    // 20 agents, a supervisor, an administrator and 10 department staff.
    expect(counts).toMatchObject({ customers: 5000, users: 32 });
    expect(counts!.valued).toBeGreaterThan(1000);
    // The VOC loop's demo: items at every working step, each numbered and with a history that starts with its raising.
    const steps = await center.db.query<{ status: string; n: number; numbered: number; raised: number }>(
      `SELECT v.status, count(*)::int AS n, count(v.number)::int AS numbered,
              count(*) FILTER (WHERE (SELECT h.action FROM voc_history h WHERE h.voc_id = v.id ORDER BY h.id LIMIT 1) = 'raise')::int AS raised
         FROM voc_items v WHERE v.tenant_id = 'demo' GROUP BY v.status`,
    );
    expect(steps.map((s) => s.status)).toEqual(expect.arrayContaining(['routed', 'assigned', 'in_progress', 'waiting_customer', 'follow_up', 'reopened', 'closed']));
    for (const s of steps) expect(s).toMatchObject({ numbered: s.n, raised: s.n });
  });

  it("keeps an idle keep-alive connection past Node's 5 s default (a load balancer closes it first)", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = http.get(`${center.url}/healthz`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      await new Promise((r) => setTimeout(r, 5_500));
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  }, 15_000);

  it("offers calls to a connected agent's room, recorded as interactions the agent can pull", async () => {
    const agent = await desktop(center.url, 'demo', 'agent1');
    const offers: unknown[] = [];
    agent.socket.on('cti:callOffered', (o: unknown) => offers.push(o));
    const boot = PullResponse.parse(ok(await agent.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor: null, limit: 5000 })));
    await vi.waitFor(() => expect(offers.length).toBeGreaterThan(0), { timeout: 10_000 });
    const offer = CallOffered.parse(offers[0]);
    expect(offer.agent).toBe('agent1');
    const [row] = await center.db.query<{ channel: string; agent_user_id: string; customer_id: string | null }>(
      'SELECT channel, agent_user_id, customer_id FROM interactions WHERE id = $1',
      [offer.interactionId],
    );
    expect(row).toMatchObject({ channel: 'call', agent_user_id: agent.user.id });
    expect(row!.customer_id).not.toBeNull(); // unknownCallerShare 0: every caller is a customer
    const pop = ok(await agent.call<{ customer: { id: string } } | null>('customer:lookup', { by: 'phone', value: offer.ani, reason: 'screen_pop' }));
    expect(pop?.customer.id).toBe(row!.customer_id);
    let cursor = boot.cursor;
    const seen = new Set<string>();
    for (let i = 0; i < 100; i += 1) {
      const page = PullResponse.parse(ok(await agent.call('sync:pull', { schemaVersion: SCHEMA_VERSION, cursor, limit: 500 })));
      for (const c of page.changes) seen.add(c.id);
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(seen).toContain(offer.interactionId);
    expect(seen).toContain(row!.customer_id);
    // Offers come every 20–60 ms, but agent1 is handling the call for minutes: no second offer.
    await new Promise((r) => setTimeout(r, 500));
    expect(offers).toHaveLength(1);
    agent.close();
  });

  it('reports ready, then stops gracefully: a transaction running at stop() still commits', async () => {
    expect((await fetch(`${center.url}/readyz`)).status).toBe(200);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    const running = center.db.tx(async (q) => {
      await q.query(`INSERT INTO audit_log (tenant_id, action) VALUES ('demo', 'graceful-stop-test')`);
      entered();
      await gate;
    });
    await inside;
    const stopped = center.stop();
    release();
    await Promise.all([running, stopped]);
    await expect(fetch(`${center.url}/healthz`)).rejects.toThrow();
    // A restart on the same directory does not seed again, and the transaction is there.
    const started = Date.now();
    center = await startCenter({ dataDir: dir, port: 0, demo: true, logLevel: 'silent' });
    const rows = await center.db.query(`SELECT 1 FROM audit_log WHERE action = 'graceful-stop-test'`);
    expect(rows).toHaveLength(1);
    const [n] = await center.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM customers`);
    expect(n!.n).toBe(5000);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('answers 503 on /readyz when the database is gone', async () => {
    await center.db.close();
    const r = await fetch(`${center.url}/readyz`);
    expect(r.status).toBe(503);
  });
});

describe('startCenter on an empty database', () => {
  let center: RunningCenter;
  beforeAll(async () => {
    center = await startCenter({ port: 0, logLevel: 'silent', simulate: true });
  });
  afterAll(async () => {
    await center?.stop();
  });
  it('listens on 127.0.0.1 and is healthy with no tenants (the simulator waits for queues)', async () => {
    expect(center.url).toBe(`http://127.0.0.1:${center.port}`);
    expect(await (await fetch(`${center.url}/healthz`)).json()).toMatchObject({ status: 'ok' });
  });
});
