// The VOC analysis' speed goals (issue #24), each against a baseline measured in the same run:
// 1. the topic × type matrix of a quarter (with the previous quarter) at BENCH_ANALYSIS_ITEMS items
//    (default 5M) on PostgreSQL, read from the rollups, p95 ≤ 100 ms; baseline: the same figures by a
//    plain GROUP BY over the raw items; the same at BENCH_ANALYSIS_PGLITE_ITEMS (default 500k) on PGlite;
// 2. a cell's first page of items (the drill-down) at the same size on PostgreSQL, p95 ≤ 50 ms.
// Items are generated set-based (generate_series), two years of them with skewed, correlated
// dimensions (topics by popularity, the department by topic, the queue by channel, most customers
// regular), with the rollup triggers off; the rollup is then built by the rebuild (timed), as after
// a bulk load.
import type { Db } from '../../server/src/db/db';
import { tidyAfterImport } from '../../server/src/import/csv-import';
import { smallTenant, startTestCenter } from '../../server/src/testing/center-client';
import { cellItems, figures, matrix, matrixFromItems, resolveScope, type Scope } from '../../server/src/voc/analysis';
import { rebuildRollups } from '../../server/src/voc/rollups';
import { startBenchPostgres } from './center-push-drain.bench';
import { percentile, type Benchmark, type BenchRow } from './harness';

const PG_ITEMS = Number(process.env.BENCH_ANALYSIS_ITEMS ?? 5_000_000);
const PGLITE_ITEMS = Number(process.env.BENCH_ANALYSIS_PGLITE_ITEMS ?? 500_000);
const DAYS = 730;
const END = '2026-11-30';
const QUARTER = { from: '2026-09-01', to: '2026-11-30' };
const CUSTOMERS = 100_000;
const MATRIX_QUERIES = Number(process.env.BENCH_ANALYSIS_QUERIES ?? 60);
const BASELINE_QUERIES = Number(process.env.BENCH_ANALYSIS_BASELINE_QUERIES ?? 12);
const PAGE_QUERIES = 200;

const TOPICS = [
  'billing/double-charge', 'billing/refund', 'delivery/late', 'product/defect', 'billing/plan-change', 'delivery/damaged', 'product/quality', 'service/contact-center',
  'digital/sign-in', 'billing/pricing', 'delivery/address', 'product/how-to', 'service/store', 'service/staff', 'digital/website', 'digital/receipts',
];
const DEPARTMENT_OF: Record<string, string> = { billing: 'billing', delivery: 'logistics', product: 'product', service: 'cs', digital: 'marketing' };

/** Picks from `values` by the cumulative shares in `weights` (per 100), on a hash of the row number. */
const weighted = (hash: string, values: ReadonlyArray<string | null>, weights: readonly number[]) => {
  let acc = 0;
  const arms = values.map((v, i) => `WHEN ${hash} < ${(acc += weights[i]!)} THEN ${v === null ? 'NULL' : `'${v}'`}`);
  return `CASE ${arms.join(' ')} END`;
};

/** `n` items over two years up to END: set-based, in chunks, the triggers off (the rebuild makes the rollup after). */
async function loadItems(db: Db, n: number): Promise<void> {
  const CHUNK = 250_000;
  const triggers = ['voc_items_snapshot', 'voc_rollup_inserted'];
  for (const tr of triggers) await db.exec(`ALTER TABLE voc_items DISABLE TRIGGER ${tr}`);
  // Topics by popularity (a few carry most), one in twenty unclassified.
  const topicWeights = TOPICS.map((_, i) => Math.max(1, Math.round(30 / (i + 1))));
  const scale = 95 / topicWeights.reduce((a, b) => a + b, 0);
  const topic = weighted('((g::bigint * 2654435761) % 1000) / 10.0', [...TOPICS, null], [...topicWeights.map((w) => w * scale), 5.0001]);
  const type = weighted('((g::bigint * 40503) % 100)', ['inquiry', 'complaint', 'want_slip', 'suggestion', 'praise'], [45, 25, 10, 10, 10.0001]);
  const channel = weighted('((g::bigint * 69069) % 100)', ['call', 'chat', 'email', 'sms', 'web_board'], [60, 15, 15, 5, 5.0001]);
  const tier = weighted('((g::bigint * 1103515245) % 100)', ['regular', 'loyal', 'new', 'at_risk', 'vip'], [50, 20, 15, 10, 5.0001]);
  for (let from = 1; from <= n; from += CHUNK) {
    const to = Math.min(n, from + CHUNK - 1);
    await db.query(
      `INSERT INTO voc_items (id, tenant_id, customer_id, interaction_id, type, topic, description, status, created_by, created_at, updated_at,
                              topic_id, department_id, raised_day, channel, queue, value_tier, acknowledged_at, resolved_at, notified_at, notify_due, follow_up_outcome)
       SELECT ('00000000-0000-4000-a' || lpad(to_hex(g / 4096), 3, '0') || '-' || lpad(to_hex(g), 12, '0'))::uuid, 'demo',
              ('00000000-0000-4000-8000-' || lpad(to_hex(1 + g % $3), 12, '0'))::uuid, NULL, x.type, 'Bench', 'Synthetic item',
              CASE WHEN g % 40 = 0 THEN 'in_progress' ELSE 'closed' END, 'agent1', x.at, x.at,
              x.topic, CASE WHEN x.topic IS NULL THEN 'cs' ELSE ($4::jsonb)->>split_part(x.topic, '/', 1) END,
              (x.at AT TIME ZONE 'Asia/Seoul')::date, x.channel,
              CASE x.channel WHEN 'call' THEN CASE WHEN x.topic LIKE 'billing/%' THEN 'billing' ELSE 'general' END WHEN 'chat' THEN 'chat' ELSE 'digital' END,
              x.tier, x.at + interval '20 minutes', x.at + interval '1 day', x.at + make_interval(mins => (g % 4000)), x.at + interval '2 days',
              CASE WHEN x.type = 'complaint' AND g % 3 = 0 THEN (ARRAY['satisfied','satisfied','dissatisfied'])[1 + g % 3] END
         FROM generate_series($1::int, $2::int) g
         CROSS JOIN LATERAL (SELECT timestamptz '${END}T23:00:00+09:00' - make_interval(secs => ((g::bigint * 7919) % ($5::bigint * 86400))::double precision) AS at,
                                    ${topic} AS topic, ${type} AS type, ${channel} AS channel, ${tier} AS tier) x`,
      [from, to, CUSTOMERS, JSON.stringify(DEPARTMENT_OF), DAYS],
    );
  }
  for (const tr of triggers) await db.exec(`ALTER TABLE voc_items ENABLE ALWAYS TRIGGER ${tr}`);
  await tidyAfterImport(db, ['voc_items']);
}

async function timed(n: number, fn: (i: number) => Promise<unknown>, warmup = 3): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(n + i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

async function measure(driver: 'pg' | 'pglite', dbOpts: { databaseUrl?: string }, items: number): Promise<BenchRow[]> {
  const t = await startTestCenter(dbOpts, [smallTenant('demo', 1, 10)]);
  try {
    const db = t.center.db;
    await db.query("UPDATE tenants SET time_zone = 'Asia/Seoul' WHERE id = 'demo'");
    await db.query("DELETE FROM voc_history WHERE tenant_id = 'demo'");
    await db.query("DELETE FROM voc_follow_ups WHERE tenant_id = 'demo'");
    await db.query("DELETE FROM voc_items WHERE tenant_id = 'demo'"); // the seed's few: the bench's shape only
    const { loadSyntheticCustomers } = await import('./center-bootstrap-pull.bench');
    await loadSyntheticCustomers(db, 'demo', CUSTOMERS, 1);
    const l0 = Date.now();
    await loadItems(db, items);
    const loadS = (Date.now() - l0) / 1000;
    const r0 = Date.now();
    const rebuilt = await rebuildRollups(db, 'demo');
    const rebuildS = (Date.now() - r0) / 1000;
    await tidyAfterImport(db, ['voc_rollup_days', 'voc_rollup_months']);
    process.stderr.write(`[analysis ${driver}: ${items} items loaded in ${loadS.toFixed(0)} s, ${rebuilt.cells} cells; rebuild ${rebuildS.toFixed(1)} s] `);

    const scopes: Scope[] = [];
    for (const extra of [{}, { department: 'billing' }, { channel: 'call' as const }, { tier: 'vip' as const }, { queue: 'billing' }]) scopes.push(await resolveScope(db, 'demo', { ...QUARTER, ...extra }));
    const rollup = await timed(MATRIX_QUERIES, (i) => matrix(db, scopes[i % scopes.length]!));
    // The view's other reads: the matrix split by value tier, and the figures (weekly trend, rising topics, per tier).
    const split = await timed(MATRIX_QUERIES, (i) => matrix(db, { ...scopes[i % scopes.length]!, split: 'tier' }));
    const figs = await timed(MATRIX_QUERIES, (i) => figures(db, scopes[i % scopes.length]!));
    const raw = await timed(BASELINE_QUERIES, (i) => matrixFromItems(db, scopes[i % scopes.length]!), 1);
    // The same answer both ways (a fast wrong matrix proves nothing).
    const m = await matrix(db, scopes[0]!);
    const b = await matrixFromItems(db, scopes[0]!);
    const sum = (xs: Array<{ count: number }>) => xs.reduce((a, c) => a + c.count, 0);
    if (sum(m.cells) !== sum(b) || sum(m.cells) === 0) throw new Error(`the matrix (${sum(m.cells)}) and the GROUP BY (${sum(b)}) disagree`);
    const rows: BenchRow[] = [
      {
        figure: `quarter matrix p95 at ${items / 1e6}M items (${sum(m.cells)} in the quarter), ${driver === 'pg' ? 'PostgreSQL' : 'PGlite'}, from the rollups (baseline: GROUP BY over raw items)`,
        unit: 'ms',
        value: percentile(rollup, 95),
        baseline: percentile(raw, 95),
        goal: driver === 'pg' ? { text: 'p95 ≤ 100 ms', met: percentile(rollup, 95) <= 100 } : undefined,
      },
      { figure: `quarter matrix p50, ${driver}`, unit: 'ms', value: percentile(rollup, 50), baseline: percentile(raw, 50) },
      { figure: `quarter matrix split by value tier p95, ${driver} (baseline: the GROUP BY over raw items, unsplit)`, unit: 'ms', value: percentile(split, 95), baseline: percentile(raw, 95) },
      { figure: `quarter figures p95 (weekly trend, rising topics, per tier, compliance), ${driver}`, unit: 'ms', value: percentile(figs, 95), baseline: null },
      { figure: `rollup rebuild of ${items / 1e6}M items, ${driver} (${rebuilt.cells} cells)`, unit: 's', value: rebuildS, baseline: null },
    ];
    if (driver === 'pg') {
      const busiest = [...m.cells].sort((x, y) => y.count - x.count).slice(0, 8);
      const pages = await timed(PAGE_QUERIES, (i) => {
        const c = busiest[i % busiest.length]!;
        return cellItems(db, scopes[0]!, { topic: c.topicId ?? '', type: c.type, limit: 50 });
      });
      // Baseline: the bare page, the same rows straight from voc_items by the same index, without the scope and customer join.
      const bare = await timed(PAGE_QUERIES, (i) => {
        const c = busiest[i % busiest.length]!;
        return db.query(
          `SELECT id FROM voc_items WHERE tenant_id = 'demo' AND ${c.topicId === null ? 'topic_id IS NULL AND $1::text IS NULL' : 'topic_id = $1'} AND type = $2 AND created_at < $3::date + 1
            ORDER BY created_at DESC, id DESC LIMIT 51`,
          [c.topicId, c.type, QUARTER.to],
        );
      });
      rows.push({
        figure: `drill-down: a cell's first page (50) at ${items / 1e6}M items, PostgreSQL (baseline: bare indexed SELECT of the ids)`,
        unit: 'ms',
        value: percentile(pages, 95),
        baseline: percentile(bare, 95),
        goal: { text: 'p95 ≤ 50 ms', met: percentile(pages, 95) <= 50 },
      });
    }
    return rows;
  } finally {
    await t.stop();
  }
}

const bench: Benchmark = {
  name: 'center-voc-analysis',
  async run() {
    const rows: BenchRow[] = [];
    const pg = await startBenchPostgres();
    try {
      rows.push(...(await measure('pg', { databaseUrl: pg.url }, PG_ITEMS)));
    } finally {
      await pg.stop();
    }
    rows.push(...(await measure('pglite', {}, PGLITE_ITEMS)));
    return rows;
  },
};
export default bench;
