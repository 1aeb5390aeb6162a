// The analysis API on a real center (PGlite and PostgreSQL): who may read it (supervisors,
// administrators, analysts, department leads; not agents, not other staff), the matrix equal to the
// plain GROUP BY over the items for any scope, the figures against the items, a cell's items in pages
// that add up to the cell's count, CSV of a table and of a cell, and clear refusals of bad input.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { availableVocActions, VOC_STATUSES, VOC_TYPES, type VocType } from '../../../shared/domain';
import { forEachDriver } from '../../../tests/support/postgres';
import { addUser } from '../auth/users';
import { login, startTestCenter, type TestCenter } from '../testing/center-client';
import { matrixFromItems, quantileOf, resolveScope, RISING_MIN_COUNT, weeksOf, type CellItem, type Figures, type Matrix } from './analysis';

const PERIOD = 'from=2026-08-03&to=2026-10-31';
const ANALYST_PASSWORD = 'reads the figures only';

forEachDriver('the VOC analysis API', ({ freshDatabase }) => {
  let t: TestCenter;
  const tokens = new Map<string, string>();
  const get = async (who: string, path: string, tenant = 'demo') => {
    let token = tokens.get(`${tenant}/${who}`);
    if (!token) tokens.set(`${tenant}/${who}`, (token = (await login(t.center.url, tenant, who, who === 'analyst1' ? ANALYST_PASSWORD : 'demo')).token));
    const res = await fetch(`${t.center.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type') ?? '', text, body: res.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as unknown) : null };
  };

  beforeAll(async () => {
    t = await startTestCenter(await freshDatabase());
    await addUser(t.center.db, { tenantId: 'demo', username: 'analyst1', displayName: 'Analyst 1', role: 'analyst', password: ANALYST_PASSWORD });
    // More items than the small seed has: 1,500 over seven months on the tenant's contacts, of every
    // type and topic, some told within days and followed up (set-based, through the triggers).
    await t.center.db.query(
      `INSERT INTO voc_items (id, tenant_id, customer_id, interaction_id, type, topic, description, status, created_by, created_at, topic_id, department_id,
                             resolved_at, notified_at, follow_up_outcome)
       SELECT gen_random_uuid(), 'demo', i.customer_id, i.id, (ARRAY['inquiry','complaint','praise','suggestion','want_slip'])[1 + g % 5], 'Generated', 'Said on the contact.',
              CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'routed' END, 'agent1', ts, (ARRAY['billing/refund','billing/double-charge','delivery/late','product/defect', NULL])[1 + (g / 5) % 5],
              (ARRAY['billing','billing','logistics','product','cs'])[1 + (g / 5) % 5],
              CASE WHEN g % 3 = 0 THEN ts + interval '1 hour' END, CASE WHEN g % 3 = 0 THEN ts + (g % 97) * interval '90 minutes' END,
              CASE WHEN g % 3 = 0 THEN (ARRAY['satisfied','satisfied','dissatisfied', NULL])[1 + g % 4] END
         FROM generate_series(1, 1500) g
         CROSS JOIN LATERAL (SELECT timestamptz '2026-04-15T00:00:00Z' + (g * 10007 % 200) * interval '1 day' + (g % 24) * interval '1 hour' AS ts) x
         JOIN LATERAL (SELECT id, customer_id FROM interactions WHERE tenant_id = 'demo' AND customer_id IS NOT NULL ORDER BY id OFFSET g % 50 LIMIT 1) i ON true`,
    );
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
  });

  it('answers supervisors, administrators, analysts and department leads; refuses agents and other staff', async () => {
    for (const who of ['super1', 'admin', 'analyst1', 'staff1']) expect([who, (await get(who, `/api/analysis/matrix?${PERIOD}`)).status]).toEqual([who, 200]);
    for (const who of ['agent1', 'staff2']) {
      const r = await get(who, `/api/analysis/matrix?${PERIOD}`);
      expect([who, r.status]).toEqual([who, 403]);
      expect(JSON.stringify(r.body)).toContain('Only supervisors, administrators, analysts and department leads');
    }
  });

  it('the analyst reads, and may not act: no VOC step, no admin API', async () => {
    const r = await get('analyst1', '/api/admin/voc');
    expect(r.status).toBe(403);
    const analyst = { userId: 'a', role: 'analyst' as const, memberOf: new Set<string>(), leads: new Set<string>() };
    for (const status of VOC_STATUSES) expect(availableVocActions({ status, departmentId: 'billing', ownerUserId: null }, analyst)).toEqual([]);
  });

  it('the matrix equals a plain GROUP BY over the items, for the whole tenant and for each scope', async () => {
    const [busiest] = await t.center.db.query<{ queue: string }>("SELECT queue FROM voc_items WHERE tenant_id = 'demo' AND queue IS NOT NULL GROUP BY queue ORDER BY count(*) DESC, queue LIMIT 1");
    const scopes = ['', '&department=billing', '&channel=call', '&tier=vip', '&department=cs&channel=call', `&queue=${busiest!.queue}`, `&queue=${busiest!.queue}&tier=vip&channel=call`];
    let cellsSeen = 0;
    for (const scope of scopes) {
      const r = await get('super1', `/api/analysis/matrix?${PERIOD}${scope}`);
      expect(r.status).toBe(200);
      const m = r.body as Matrix;
      const s = await resolveScope(t.center.db, 'demo', Object.fromEntries(new URLSearchParams(`${PERIOD}${scope}`)));
      const raw = await matrixFromItems(t.center.db, s);
      const key = (c: { topicId?: string | null; topic_id?: string; type: string }) => `${c.topicId ?? c.topic_id ?? ''}|${c.type}`;
      expect(m.cells.map((c) => [key(c), c.count, c.previous]).sort(), scope).toEqual(raw.filter((c) => c.count + c.previous > 0).map((c) => [key(c), c.count, c.previous]).sort());
      expect(m.period).toEqual({ from: '2026-08-03', to: '2026-10-31', days: 90 });
      expect(m.previous).toEqual({ from: '2026-05-05', to: '2026-08-02', days: 90 });
      cellsSeen += m.cells.length;
    }
    expect(cellsSeen).toBeGreaterThan(20);
    // Another tenant's items never count.
    const acme = (await get('super1', `/api/analysis/matrix?${PERIOD}`, 'acme')).body as Matrix;
    const demo = (await get('super1', `/api/analysis/matrix?${PERIOD}`)).body as Matrix;
    const [n] = await t.center.db.query<{ n: number }>("SELECT count(*)::int AS n FROM voc_items WHERE tenant_id = 'demo' AND raised_day BETWEEN '2026-08-03' AND '2026-10-31'");
    expect(demo.cells.reduce((a, c) => a + c.count, 0)).toBe(n!.n);
    expect(acme.cells.reduce((a, c) => a + c.count, 0)).not.toBe(n!.n);
  });

  it('split by value tier, the matrix equals a GROUP BY over the items by topic, type and tier, and adds up to the unsplit one', async () => {
    for (const scope of ['', '&department=billing']) {
      const split = (await get('super1', `/api/analysis/matrix?${PERIOD}${scope}&split=tier`)).body as Matrix;
      const whole = (await get('super1', `/api/analysis/matrix?${PERIOD}${scope}`)).body as Matrix;
      expect(split.split).toBe('tier');
      expect(whole.split).toBeNull();
      const raw = await t.center.db.query<{ k: string; count: number; previous: number }>(
        `SELECT COALESCE(topic_id, '') || '|' || type || '|' || COALESCE(value_tier, '') AS k,
                count(*) FILTER (WHERE raised_day >= '2026-08-03')::int AS count, count(*) FILTER (WHERE raised_day < '2026-08-03')::int AS previous
           FROM voc_items WHERE tenant_id = 'demo' AND raised_day BETWEEN '2026-05-05' AND '2026-10-31'${scope ? " AND department_id = 'billing'" : ''} GROUP BY 1`,
      );
      expect(split.cells.map((c) => [`${c.topicId ?? ''}|${c.type}|${c.tier ?? ''}`, c.count, c.previous]).sort(), scope).toEqual(raw.map((r) => [r.k, r.count, r.previous]).sort());
      // More than one tier, or the split proves nothing.
      expect(new Set(split.cells.map((c) => c.tier)).size).toBeGreaterThan(1);
      const summed = new Map<string, number>();
      for (const c of split.cells) summed.set(`${c.topicId}|${c.type}`, (summed.get(`${c.topicId}|${c.type}`) ?? 0) + c.count);
      for (const c of whole.cells) expect(summed.get(`${c.topicId}|${c.type}`) ?? 0).toBe(c.count);
    }
    const csv = (await get('super1', `/api/analysis/matrix.csv?${PERIOD}&split=tier`)).text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(csv[0]).toBe(`topic,topic name,tier,${VOC_TYPES.flatMap((ty) => [ty, `${ty} previous`]).join(',')}`);
  });

  it('the figures per value tier add up to the whole, and each agrees with its items', async () => {
    const f = (await get('super1', `/api/analysis/figures?${PERIOD}`)).body as Figures;
    expect(f.byTier.length).toBeGreaterThan(1);
    expect(f.byTier.reduce((a, r) => a + r.raised, 0)).toBe(f.raised);
    expect(f.byTier.reduce((a, r) => a + r.raisedToTold.told, 0)).toBe(f.raisedToTold.told);
    const raw = await t.center.db.query<{ tier: string | null; raised: number; want: number; answered: number }>(
      `SELECT value_tier AS tier, count(*)::int AS raised, count(*) FILTER (WHERE type = 'want_slip')::int AS want,
              count(*) FILTER (WHERE follow_up_outcome IN ('satisfied', 'dissatisfied'))::int AS answered
         FROM voc_items WHERE tenant_id = 'demo' AND raised_day BETWEEN '2026-08-03' AND '2026-10-31' GROUP BY 1`,
    );
    for (const r of raw) {
      const mine = f.byTier.find((x) => x.tier === r.tier)!;
      expect(mine.raised, String(r.tier)).toBe(r.raised);
      expect(mine.wantSlipShare).toBeCloseTo(r.want / r.raised, 6);
      expect(mine.satisfaction.answered).toBe(r.answered);
    }
    const vip = (await get('super1', `/api/analysis/figures?${PERIOD}&tier=vip`)).body as Figures;
    expect(vip.raised).toBe(f.byTier.find((x) => x.tier === 'vip')?.raised ?? 0);
    // "none": the customers with no tier known (a split matrix's cells of tier null drill with it).
    const none = (await get('super1', `/api/analysis/figures?${PERIOD}&tier=none`)).body as Figures;
    expect(none.raised).toBe(f.byTier.find((x) => x.tier === null)?.raised ?? 0);
    expect(none.raised + f.byTier.filter((x) => x.tier !== null).reduce((a, r) => a + r.raised, 0)).toBe(f.raised);
    const tiersCsv = (await get('super1', `/api/analysis/tiers.csv?${PERIOD}`)).text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(tiersCsv).toHaveLength(f.byTier.length + 1);
  });

  it('rising topics: at least the minimum count this period, ranked by the increase; the weekly trend has every week of the period', async () => {
    // The second half of the period against the first: the generated items rise and fall by topic.
    const q = 'from=2026-09-17&to=2026-10-31';
    const f = (await get('super1', `/api/analysis/figures?${q}`)).body as Figures;
    expect(f.risingRule).toEqual({ minCount: RISING_MIN_COUNT, limit: 10 });
    const raw = await t.center.db.query<{ topic: string | null; count: number; previous: number }>(
      `SELECT topic_id AS topic, count(*) FILTER (WHERE raised_day >= '2026-09-17')::int AS count, count(*) FILTER (WHERE raised_day < '2026-09-17')::int AS previous
         FROM voc_items WHERE tenant_id = 'demo' AND raised_day BETWEEN '2026-08-03' AND '2026-10-31' GROUP BY 1`,
    );
    const expected = raw
      .filter((r) => r.count >= RISING_MIN_COUNT && r.count > r.previous)
      .sort((a, b) => b.count - b.previous - (a.count - a.previous) || b.count - a.count || (a.topic ?? '').localeCompare(b.topic ?? ''))
      .map((r) => [r.topic, r.count, r.previous, r.count - r.previous]);
    expect(f.rising.map((r) => [r.topicId, r.count, r.previous, r.change])).toEqual(expected.slice(0, 10));
    for (const r of f.rising) expect(r.count).toBeGreaterThanOrEqual(RISING_MIN_COUNT);
    // A topic rising from 0 to 1 is noise: never ranked.
    const day = (await get('super1', '/api/analysis/figures?from=2026-10-31&to=2026-10-31')).body as Figures;
    for (const r of day.rising) expect(r.count).toBeGreaterThanOrEqual(RISING_MIN_COUNT);

    expect(f.weekly.map((w) => w.week)).toEqual(weeksOf('2026-09-17', '2026-10-31'));
    expect(weeksOf('2026-09-17', '2026-10-31')[0]).toBe('2026-09-14');
    expect(weeksOf('2026-08-03', '2026-08-03')).toEqual(['2026-08-03']);
    // A period with weeks of no items still lists them, as zeros.
    const quiet = (await get('super1', '/api/analysis/figures?from=2020-01-06&to=2020-01-26')).body as Figures;
    expect(quiet.weekly).toEqual(['2020-01-06', '2020-01-13', '2020-01-20'].map((week) => ({ week, ...Object.fromEntries(VOC_TYPES.map((ty) => [ty, 0])) })));
  });

  it('the figures agree with the items', async () => {
    const f = (await get('analyst1', `/api/analysis/figures?${PERIOD}`)).body as Figures;
    const [raw] = await t.center.db.query<{ raised: number; want: number; satisfied: number; answered: number; told: number; median: number; p90: number }>(
      `SELECT count(*)::int AS raised, count(*) FILTER (WHERE type = 'want_slip')::int AS want,
              count(*) FILTER (WHERE follow_up_outcome = 'satisfied')::int AS satisfied, count(*) FILTER (WHERE follow_up_outcome IN ('satisfied', 'dissatisfied'))::int AS answered,
              count(notified_at)::int AS told,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM notified_at - created_at) / 60) AS median,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM notified_at - created_at) / 60) AS p90
         FROM voc_items WHERE tenant_id = 'demo' AND raised_day BETWEEN '2026-08-03' AND '2026-10-31'`,
    );
    expect(f.raised).toBe(raw!.raised);
    expect(f.wantSlipShare).toBeCloseTo(raw!.want / raw!.raised, 6);
    expect(f.satisfaction).toMatchObject({ satisfied: raw!.satisfied, answered: raw!.answered });
    expect(f.satisfaction.answered).toBeGreaterThan(0);
    expect(f.raisedToTold.told).toBe(raw!.told);
    // From the histogram: within the bucket the exact value falls in (buckets of at most 1.5× here).
    expect(f.raisedToTold.medianMinutes!).toBeGreaterThan(raw!.median / 2);
    expect(f.raisedToTold.medianMinutes!).toBeLessThan(raw!.median * 2);
    expect(f.raisedToTold.p90Minutes!).toBeGreaterThan(raw!.p90 / 2);
    expect(f.raisedToTold.p90Minutes!).toBeLessThan(raw!.p90 * 2);
    expect(f.weekly.reduce((a, w) => a + VOC_TYPES.reduce((b, ty) => b + w[ty], 0), 0)).toBe(raw!.raised);
    expect(f.weekly.length).toBe(13);
    expect(f.compliance.length).toBeGreaterThan(0);
    for (const r of f.rising) expect(r.change).toBeGreaterThan(0);
  });

  it('a cell\'s items come in pages, newest first, that add up to the cell', async () => {
    const m = (await get('super1', `/api/analysis/matrix?${PERIOD}`)).body as Matrix;
    const cell = [...m.cells].sort((a, b) => b.count - a.count)[0]!;
    expect(cell.count).toBeGreaterThan(3);
    const seen: CellItem[] = [];
    let after = '';
    for (let pages = 0; pages < 100; pages++) {
      const r = await get('super1', `/api/analysis/cell?${PERIOD}&topic=${encodeURIComponent(cell.topicId ?? '')}&type=${cell.type}&limit=3${after ? `&after=${after}` : ''}`);
      expect(r.status).toBe(200);
      const page = r.body as { items: CellItem[]; next: string | null };
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items);
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(cell.count);
    expect(new Set(seen.map((i) => i.id)).size).toBe(cell.count);
    for (const i of seen) expect([i.topicId, i.type]).toEqual([cell.topicId, cell.type]);
    const times = seen.map((i) => i.raisedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(seen[0]!.customerName.length).toBeGreaterThan(0);

    const csv = await get('analyst1', `/api/analysis/cell.csv?${PERIOD}&topic=${encodeURIComponent(cell.topicId ?? '')}&type=${cell.type}`);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\n').filter((l) => /^VOC-|^number,|^,/.test(l));
    expect(lines[0]).toBe('number,raised at,type,topic,status,department,channel,queue,tier,customer id,customer,interaction id,description');
    expect(lines.length).toBe(cell.count + 1);
    const [audited] = await t.center.db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = 'demo' AND action = 'analysis.cell_exported'");
    expect(audited!.n).toBe(1);
  });

  it('exports each table as CSV', async () => {
    const m = (await get('super1', `/api/analysis/matrix?${PERIOD}`)).body as Matrix;
    const matrixCsv = await get('super1', `/api/analysis/matrix.csv?${PERIOD}`);
    const rows = matrixCsv.text.replace(/^\uFEFF/, '').trim().split('\n');
    expect(rows[0]).toBe(`topic,topic name,${VOC_TYPES.flatMap((ty) => [ty, `${ty} previous`]).join(',')}`);
    expect(rows).toHaveLength(m.topics.length + 1);
    for (const name of ['trend', 'rising', 'compliance', 'summary']) {
      const r = await get('super1', `/api/analysis/${name}.csv?${PERIOD}`);
      expect([name, r.status, r.type.split(';')[0]]).toEqual([name, 200, 'text/csv']);
    }
    expect((await get('super1', `/api/analysis/nothing.csv?${PERIOD}`)).status).toBe(404);
  });

  it('refuses bad input with the reason', async () => {
    const reason = async (path: string) => {
      const r = await get('super1', path);
      expect([path, r.status]).toEqual([path, 400]);
      return (r.body as { error: { message: string } }).error.message;
    };
    expect(await reason('/api/analysis/matrix?from=2026-10-31&to=2026-10-01')).toContain('ends (2026-10-01) before it starts (2026-10-31)');
    expect(await reason('/api/analysis/matrix?from=2020-01-01&to=2025-01-01')).toContain('more than 5 years');
    expect((await get('super1', '/api/analysis/matrix?from=2020-01-02&to=2025-01-01')).status).toBe(200);
    expect(await reason('/api/analysis/matrix?from=2026-02-30&to=2026-03-01')).toContain('not a real date');
    expect(await reason('/api/analysis/matrix?department=nowhere')).toContain('no department "nowhere"');
    expect(await reason('/api/analysis/matrix?queue=nowhere')).toContain('no queue "nowhere"');
    expect(await reason('/api/analysis/matrix?channel=pigeon')).toContain('There is no channel "pigeon"; give one of call, email');
    expect(await reason('/api/analysis/figures?tier=gold')).toContain('There is no value tier "gold"; give one of vip, loyal');
    expect(await reason('/api/analysis/matrix?split=queue')).toContain('cannot be split by "queue"; only by "tier"');
    expect(await reason('/api/analysis/cell?topic=billing/refund&type=complaint&queue=nowhere')).toContain('no queue "nowhere"');
    expect(await reason('/api/analysis/cell?topic=no/such&type=complaint')).toContain('no topic "no/such"');
    expect(await reason('/api/analysis/cell?topic=billing/refund&type=rant')).toContain('type');
    expect(await reason('/api/analysis/cell?topic=billing/refund&type=complaint&after=garbage')).toContain('cursor');
    // Another tenant's department is unknown here.
    await t.center.db.query("INSERT INTO departments (tenant_id, id, name) VALUES ('acme', 'acme-only', 'Acme only')");
    expect(await reason('/api/analysis/matrix?department=acme-only')).toContain('no department');
  });
});

it('quantiles from the histogram interpolate within a bucket and say when they lie past the last bound', () => {
  const counts = Array.from({ length: 20 }, () => 0);
  counts[1] = 10; // 30–60 minutes
  expect(quantileOf(counts, 0.5).minutes).toBe(45);
  counts[19] = 90;
  expect(quantileOf(counts, 0.5)).toEqual({ minutes: 86_400, beyond: true });
  expect(quantileOf(Array.from({ length: 20 }, () => 0), 0.5).minutes).toBeNull();
  const types: VocType[] = [...VOC_TYPES];
  expect(types).toContain('want_slip');
});
