// Improvements through the HTTP API on a real center (PGlite and PostgreSQL): made from one item, a
// set of items or a matrix cell; never linking another tenant's item; listed per department and per
// topic; moved proposed → accepted → in progress → done (or declined with a reason) by whom may; when
// done, heard by every desktop of the tenant ("Because customers told us: …") and its customers listed
// to be told, each recorded as told; proposed, moved on or linked, every desktop of the tenant is
// told to read them again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EVENTS, ImprovementChanged, ImprovementShared } from '../../../shared/protocol';
import { forEachDriver } from '../../../tests/support/postgres';
import { addUser } from '../auth/users';
import { desktop, login, startTestCenter, type Desktop, type TestCenter } from '../testing/center-client';
import type { Improvement } from './improvements';

const ANALYST_PASSWORD = 'reads the figures only';

forEachDriver('VOC improvements', ({ freshDatabase }) => {
  let t: TestCenter;
  const tokens = new Map<string, string>();
  const call = async (who: string, method: string, path: string, body?: unknown, tenant = 'demo') => {
    let token = tokens.get(`${tenant}/${who}`);
    if (!token) tokens.set(`${tenant}/${who}`, (token = (await login(t.center.url, tenant, who, who === 'analyst1' ? ANALYST_PASSWORD : 'demo')).token));
    const res = await fetch(`${t.center.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const itemsOf = async (tenant: string, n: number, where = 'true') =>
    (await t.center.db.query<{ id: string }>(`SELECT id FROM voc_items WHERE tenant_id = $1 AND ${where} ORDER BY created_at DESC LIMIT $2`, [tenant, n])).map((r) => r.id);
  const proposal = { title: 'Show the refund date on the bill', change: 'The bill says when a refund will arrive.', departmentId: 'billing', targetDate: '2027-01-31' };

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    await addUser(t.center.db, { tenantId: 'demo', username: 'analyst1', displayName: 'Analyst 1', role: 'analyst', password: ANALYST_PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('is made from one item, a set of items, or a matrix cell, and links only the tenant\'s own items', async () => {
    const [one] = await itemsOf('demo', 1);
    const a = await call('super1', 'POST', '/api/improvements', { ...proposal, from: { item: one } });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ status: 'proposed', departmentId: 'billing', linked: 1, targetDate: '2027-01-31' });

    const set = await itemsOf('demo', 4);
    const b = await call('staff3', 'POST', '/api/improvements', { ...proposal, title: 'Fewer double charges', from: { items: set } }); // staff3 leads billing
    expect(b.status).toBe(201);
    expect(b.body.linked).toBe(4);

    const [cell] = await t.center.db.query<{ topic_id: string; type: string; n: number; day: string }>(
      `SELECT topic_id, type, count(*)::int AS n, to_char(min(raised_day), 'YYYY-MM-DD') AS day FROM voc_items WHERE tenant_id = 'demo' AND topic_id IS NOT NULL
        GROUP BY topic_id, type ORDER BY count(*) DESC LIMIT 1`,
    );
    const c = await call('super1', 'POST', '/api/improvements', { ...proposal, title: 'From a cell', from: { cell: { topic: cell!.topic_id, type: cell!.type, from: cell!.day, to: '2026-11-30' } } });
    expect(c.status).toBe(201);
    expect(c.body).toMatchObject({ linked: cell!.n, topicId: cell!.topic_id });

    // Another tenant's item: refused, and nothing made or linked.
    const before = await t.center.db.query('SELECT 1 FROM voc_improvements');
    const [foreign] = await itemsOf('acme', 1);
    const d = await call('super1', 'POST', '/api/improvements', { ...proposal, from: { items: [set[0], foreign] } });
    expect(d.status).toBe(400);
    expect(String((d.body.error as { message: string }).message)).toContain('not your tenant');
    expect(await t.center.db.query('SELECT 1 FROM voc_improvements')).toHaveLength(before.length);
    const e = await call('super1', 'POST', `/api/improvements/${a.body.id as string}/items`, { items: [foreign] });
    expect(e.status).toBe(400);
    expect((await call('super1', 'GET', `/api/improvements/${a.body.id as string}`)).body.items).toHaveLength(1);
    // Even straight into the table: the foreign key carries the tenant.
    await expect(t.center.db.query("INSERT INTO voc_improvement_items (tenant_id, improvement_id, voc_id) VALUES ('demo', $1, $2)", [a.body.id, foreign])).rejects.toThrow();
  });

  it('refuses who may not propose, and bad input, with the reason', async () => {
    const [one] = await itemsOf('demo', 1);
    for (const who of ['agent1', 'analyst1', 'staff4', 'staff1']) {
      // staff4 is a member of billing but not its lead; staff1 leads another department
      const r = await call(who, 'POST', '/api/improvements', { ...proposal, from: { item: one } });
      expect([who, r.status]).toEqual([who, 403]);
    }
    expect((await call('super1', 'POST', '/api/improvements', { ...proposal, departmentId: 'nowhere', from: { item: one } })).status).toBe(400);
    expect((await call('super1', 'POST', '/api/improvements', { ...proposal, title: '', from: { item: one } })).status).toBe(400);
    expect((await call('super1', 'POST', '/api/improvements', { ...proposal, from: { cell: { topic: 'no/such', type: 'complaint' } } })).status).toBe(400);
    expect((await call('super1', 'POST', '/api/improvements', { ...proposal, from: { cell: { topic: 'billing/refund', type: 'complaint', from: '2026-10-01', to: '2026-09-01' } } })).status).toBe(400);
  });

  it('is listed per department and per topic, to those who may see it', async () => {
    const all = (await call('analyst1', 'GET', '/api/improvements')).body.improvements as Improvement[];
    expect(all.length).toBeGreaterThanOrEqual(3);
    const billing = (await call('staff4', 'GET', '/api/improvements?department=billing')).body.improvements as Improvement[];
    expect(billing.length).toBe(all.filter((m) => m.departmentId === 'billing').length);
    const topic = all.find((m) => m.topicId)!.topicId!;
    const byTopic = (await call('super1', 'GET', `/api/improvements?topic=${encodeURIComponent(topic)}&open=true`)).body.improvements as Improvement[];
    expect(byTopic.length).toBeGreaterThan(0);
    for (const m of byTopic) expect(m.topicId).toBe(topic);
    // staff of another department (not a lead) sees none of billing's; agents see none at all.
    expect((await call('staff2', 'GET', '/api/improvements')).body.improvements).toEqual([]);
    expect((await call('agent1', 'GET', '/api/improvements')).status).toBe(403);
  });

  it('moves through its steps by whom may; done, the floor hears it and its customers are listed to be told', async () => {
    const set = await itemsOf('demo', 6);
    const made = (await call('super1', 'POST', '/api/improvements', { ...proposal, title: 'Refunds within three days', from: { items: set } })).body as unknown as Improvement;
    const step = (who: string, status: string, reason?: string) => call(who, 'POST', `/api/improvements/${made.id}/status`, { status, reason });
    expect((await step('super1', 'done')).status).toBe(409); // proposed cannot jump to done
    expect((await step('staff4', 'accepted')).status).toBe(403); // a member, not the lead
    expect((await step('analyst1', 'accepted')).status).toBe(403);
    expect((await step('staff3', 'accepted')).body.status).toBe('accepted');
    expect((await step('staff4', 'in_progress')).body.status).toBe('in_progress');
    expect((await call('super1', 'GET', `/api/improvements/${made.id}/customers`)).status).toBe(409); // not done yet

    const heard: unknown[] = [];
    const floor: Desktop = await desktop(t.center.url, 'demo', 'agent2', undefined, (s) => s.on(EVENTS.improvementShared, (a: unknown) => heard.push(a)));
    const elsewhere: unknown[] = [];
    const acme: Desktop = await desktop(t.center.url, 'acme', 'agent2', undefined, (s) => s.on(EVENTS.improvementShared, (a: unknown) => elsewhere.push(a)));
    try {
      expect((await step('staff4', 'done')).body.status).toBe('done');
      await expect.poll(() => heard.length, { timeout: 10_000 }).toBe(1);
      const a = ImprovementShared.parse(heard[0]);
      expect(a).toMatchObject({ id: made.id, voices: 6, departmentId: 'billing' });
      expect(a.message).toBe('Because customers told us: Refunds within three days — Billing and finance.');
      expect(elsewhere).toEqual([]);
    } finally {
      floor.close();
      acme.close();
    }
    expect((await step('super1', 'declined', 'Too late.')).status).toBe(409); // done is the end

    const list = (await call('super1', 'GET', `/api/improvements/${made.id}/customers`)).body.customers as Array<{ customerId: string; items: string[]; told: boolean; name: string }>;
    expect(list.reduce((n, c) => n + c.items.length, 0)).toBe(6);
    expect(list.every((c) => !c.told && c.name.length > 0)).toBe(true);
    const first = list[0]!;
    expect((await call('agent1', 'POST', `/api/improvements/${made.id}/told`, { items: first.items, via: 'call' })).body.told).toBe(first.items.length);
    const after = (await call('super1', 'GET', `/api/improvements/${made.id}/customers`)).body.customers as Array<{ customerId: string; told: boolean }>;
    expect(after.find((c) => c.customerId === first.customerId)!.told).toBe(true);
    expect(after[after.length - 1]!.customerId).toBe(first.customerId); // the told go last
  });

  it('is declined only with a reason', async () => {
    const [one] = await itemsOf('demo', 1);
    const made = (await call('super1', 'POST', '/api/improvements', { ...proposal, from: { item: one } })).body as unknown as Improvement;
    expect((await call('staff3', 'POST', `/api/improvements/${made.id}/status`, { status: 'declined' })).status).toBe(400);
    const r = await call('staff3', 'POST', `/api/improvements/${made.id}/status`, { status: 'declined', reason: 'The bank sets the refund date.' });
    expect(r.body).toMatchObject({ status: 'declined', declinedReason: 'The bank sets the refund date.' });
    expect((await call('super1', 'POST', `/api/improvements/${made.id}/items`, { items: [one] })).status).toBe(409);
  });

  it('tells every desktop of the tenant, by id, step and department only, when one is proposed, moved on or linked', async () => {
    const heard: unknown[] = [];
    const elsewhere: unknown[] = [];
    const desk: Desktop = await desktop(t.center.url, 'demo', 'staff3', undefined, (s) => s.on(EVENTS.improvementChanged, (c: unknown) => heard.push(c)));
    const acme: Desktop = await desktop(t.center.url, 'acme', 'agent2', undefined, (s) => s.on(EVENTS.improvementChanged, (c: unknown) => elsewhere.push(c)));
    try {
      const [one, two] = await itemsOf('demo', 2);
      const made = (await call('super1', 'POST', '/api/improvements', { ...proposal, from: { item: one } })).body as unknown as Improvement;
      expect((await call('staff3', 'POST', `/api/improvements/${made.id}/status`, { status: 'accepted' })).status).toBe(200);
      expect((await call('staff3', 'POST', `/api/improvements/${made.id}/items`, { items: [two] })).status).toBe(200);
      // Refused: nothing is told.
      expect((await call('staff3', 'POST', `/api/improvements/${made.id}/status`, { status: 'done' })).status).toBe(409);
      await expect.poll(() => heard.length, { timeout: 10_000 }).toBe(3);
      expect(heard.map((c) => ImprovementChanged.parse(c))).toEqual([
        { id: made.id, status: 'proposed', departmentId: 'billing' },
        { id: made.id, status: 'accepted', departmentId: 'billing' },
        { id: made.id, status: 'accepted', departmentId: 'billing' },
      ]);
      expect(heard.every((c) => !('title' in (c as object)))).toBe(true);
      expect(elsewhere).toEqual([]);
    } finally {
      desk.close();
      acme.close();
    }
  });
});
