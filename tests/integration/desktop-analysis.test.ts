// The VOC analysis through the desktop's services against a REAL center: a supervisor's desktop reads
// the matrix and figures of a period (the same as the center's own answer, and the items put in),
// pages through a cell's items (they add up to the cell's count), is told plainly about a bad
// period; an agent's desktop is refused; with the center gone the answer is `offline`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCenter, type RunningCenter } from '../../server/src/index';
import { addUser } from '../../server/src/auth/users';
import { login } from '../../server/src/testing/center-client';
import { createDesktopServices, type DesktopServices } from '../../main/services/index';
import type { AnalysisCellItem } from '../../shared/api/analysis';
import { FAST } from './desktop-harness';

// A month of the demo's history and the month before it (the previous period); the test's items are counted on top.
const PERIOD = { from: '2025-03-01', to: '2025-03-31' };
const IN_PERIOD = 30;
const BEFORE = 10;

describe('VOC analysis through the desktop against a real center', () => {
  const dir = mkdtempSync(join(tmpdir(), 'earshot-analysis-'));
  let center: RunningCenter;
  let supervisor: DesktopServices;
  let agent: DesktopServices;
  let analyst: DesktopServices;
  let topics: string[] = [];
  let token = '';
  type Matrix = Awaited<ReturnType<DesktopServices['handlers']['getAnalysis']>>['matrix'];
  const centerMatrix = async (scope = ''): Promise<Matrix> =>
    (await (await fetch(`${center.url}/api/analysis/matrix?from=${PERIOD.from}&to=${PERIOD.to}${scope}`, { headers: { authorization: `Bearer ${token}` } })).json()) as Matrix;
  /** Each cell's count and previous count as the center had them before this test's items. */
  const baseline = new Map<string, { count: number; previous: number }>();
  const key = (topic: string | null, type: string) => `${topic ?? ''}|${type}`;

  beforeAll(async () => {
    center = await startCenter({ port: 0, demo: true, logLevel: 'silent' });
    topics = (await center.db.query<{ id: string }>("SELECT id FROM voc_topics WHERE tenant_id = 'demo' AND parent_id IS NOT NULL ORDER BY id LIMIT 2")).map((r) => r.id);
    expect(topics).toHaveLength(2);
    // The demo has history in these months too: what the center counted before is the baseline.
    token = (await login(center.url, 'demo', 'super1')).token;
    for (const c of (await centerMatrix()).cells) baseline.set(key(c.topicId, c.type), { count: c.count, previous: c.previous });
    // Items on the demo's contacts: g 1..30 in March (mid-day UTC: the same day in any time zone), 31..40 in February.
    await center.db.query(
      `INSERT INTO voc_items (id, tenant_id, customer_id, interaction_id, type, topic, description, status, created_by, created_at, topic_id)
       SELECT gen_random_uuid(), 'demo', i.customer_id, i.id, (ARRAY['inquiry','complaint','praise','suggestion','want_slip'])[1 + g % 5], 'Generated', 'Said on the contact.',
              'routed', 'agent1', x.ts, (ARRAY[$1, $2, NULL])[1 + g % 3]
         FROM generate_series(1, ${IN_PERIOD + BEFORE}) g
         CROSS JOIN LATERAL (SELECT CASE WHEN g <= ${IN_PERIOD} THEN timestamptz '2025-03-01T12:00:00Z' + (g - 1) * interval '1 day'
                                         ELSE timestamptz '2025-02-01T12:00:00Z' + (g - ${IN_PERIOD}) * interval '2 days' END AS ts) x
         JOIN LATERAL (SELECT id, customer_id FROM interactions WHERE tenant_id = 'demo' AND customer_id IS NOT NULL ORDER BY id OFFSET g % 20 LIMIT 1) i ON true`,
      topics,
    );
    supervisor = createDesktopServices({ dataDir: join(dir, 'super1'), centerUrl: center.url }, FAST);
    await supervisor.start();
    await supervisor.handlers.signIn({ tenant: 'demo', username: 'super1', password: 'demo' });
    await addUser(center.db, { tenantId: 'demo', username: 'analyst1', displayName: 'Analyst 1', role: 'analyst', password: 'reads the figures only' });
    analyst = createDesktopServices({ dataDir: join(dir, 'analyst1'), centerUrl: center.url }, FAST);
    await analyst.start();
    await analyst.handlers.signIn({ tenant: 'demo', username: 'analyst1', password: 'reads the figures only' });
    agent = createDesktopServices({ dataDir: join(dir, 'agent1'), centerUrl: center.url }, FAST);
    await agent.start();
    await agent.handlers.signIn({ tenant: 'demo', username: 'agent1', password: 'demo' });
  }, 180_000);
  afterAll(async () => {
    await supervisor?.stop();
    await agent?.stop();
    await analyst?.stop();
    await center?.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the period's matrix and figures: what was put in, and what the center itself answers", async () => {
    const { matrix, figures } = await supervisor.handlers.getAnalysis(PERIOD);
    expect(matrix.period).toEqual({ ...PERIOD, days: 31 });
    expect(matrix.previous).toEqual({ from: '2025-01-29', to: '2025-02-28', days: 31 });
    // Every cell grew by exactly the items this test put in it (the same rule as the INSERT above).
    const added = new Map<string, { count: number; previous: number }>();
    for (let g = 1; g <= IN_PERIOD + BEFORE; g += 1) {
      const k = key([topics[0]!, topics[1]!, null][g % 3]!, ['inquiry', 'complaint', 'praise', 'suggestion', 'want_slip'][g % 5]!);
      const a = added.get(k) ?? { count: 0, previous: 0 };
      if (g <= IN_PERIOD) a.count += 1;
      else a.previous += 1;
      added.set(k, a);
    }
    const grown = new Map<string, { count: number; previous: number }>();
    for (const c of matrix.cells) {
      const b = baseline.get(key(c.topicId, c.type)) ?? { count: 0, previous: 0 };
      if (c.count !== b.count || c.previous !== b.previous) grown.set(key(c.topicId, c.type), { count: c.count - b.count, previous: c.previous - b.previous });
    }
    expect(Object.fromEntries(grown)).toEqual(Object.fromEntries(added));
    expect(figures.raised).toBe(matrix.cells.reduce((n, c) => n + c.count, 0));
    expect(matrix).toEqual(await centerMatrix());
  });

  it('passes the scope and the split by value tier on to the center', async () => {
    const { figures } = await supervisor.handlers.getAnalysis(PERIOD);
    expect(figures.byTier.length).toBeGreaterThan(0);
    expect(figures.weekly.length).toBe(6);
    const tier = figures.byTier.find((r) => r.tier !== null)!;
    const scoped = await supervisor.handlers.getAnalysis({ ...PERIOD, tier: tier.tier as never, split: 'tier' });
    expect(scoped.figures.raised).toBe(tier.raised);
    expect(scoped.matrix.split).toBe('tier');
    for (const c of scoped.matrix.cells) expect(c.tier).toBe(tier.tier);
    expect(scoped.matrix).toEqual(await centerMatrix(`&tier=${tier.tier}&split=tier`));
    // A cell of that scope pages through that scope's items only.
    const cell = [...scoped.matrix.cells].sort((a, b) => b.count - a.count)[0]!;
    const page = await supervisor.handlers.getAnalysisCell({ ...PERIOD, tier: tier.tier as never, topic: cell.topicId ?? '', type: cell.type, limit: 500 });
    expect(page.items).toHaveLength(cell.count);
    await expect(supervisor.handlers.getAnalysis({ ...PERIOD, queue: 'no-such-queue' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('no queue "no-such-queue"') });
  });

  it("pages through a cell's items: every one of the cell's count, once, newest first", async () => {
    const { matrix } = await supervisor.handlers.getAnalysis(PERIOD);
    const cell = [...matrix.cells].sort((a, b) => b.count - a.count)[0]!;
    expect(cell.count).toBeGreaterThan(1);
    const seen: AnalysisCellItem[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await supervisor.handlers.getAnalysisCell({ ...PERIOD, topic: cell.topicId ?? '', type: cell.type, limit: 1, ...(after ? { after } : {}) });
      seen.push(...page.items);
      after = page.next ?? undefined;
      pages += 1;
    } while (after && pages < 100);
    expect(seen).toHaveLength(cell.count);
    expect(new Set(seen.map((i) => i.id)).size).toBe(cell.count);
    for (const i of seen) expect([i.type, i.topicId]).toEqual([cell.type, cell.topicId]);
    const times = seen.map((i) => i.raisedAt);
    expect(times).toEqual([...times].sort().reverse());
    // What crosses to the renderer carries no customer name or text.
    expect(Object.keys(seen[0]!)).not.toContain('customerName');
    expect(Object.keys(seen[0]!)).not.toContain('description');
  });

  it('lets an analyst (management, read-only) read the same analysis', async () => {
    expect((await analyst.handlers.getSession()).user?.role).toBe('analyst');
    expect(await analyst.handlers.getAnalysis(PERIOD)).toEqual(await supervisor.handlers.getAnalysis(PERIOD));
  });

  it('passes on the center\'s reason for a bad period, and refuses an agent', async () => {
    await expect(supervisor.handlers.getAnalysis({ from: '2025-03-31', to: '2025-03-01' })).rejects.toMatchObject({ code: 'bad_request', message: expect.stringContaining('ends (2025-03-01) before it starts') });
    await expect(supervisor.handlers.getAnalysisCell({ ...PERIOD, topic: 'no-such-topic', type: 'complaint' })).rejects.toMatchObject({ code: 'bad_request' });
    await expect(agent.handlers.getAnalysis(PERIOD)).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('Only supervisors') });
  });

  it('says offline when the center cannot be reached', async () => {
    await center.stop();
    await expect(supervisor.handlers.getAnalysis(PERIOD)).rejects.toMatchObject({ code: 'offline', message: expect.stringContaining('cannot be reached') });
    await expect(supervisor.handlers.getAnalysisCell({ ...PERIOD, topic: '', type: 'inquiry' })).rejects.toMatchObject({ code: 'offline' });
  });
});
