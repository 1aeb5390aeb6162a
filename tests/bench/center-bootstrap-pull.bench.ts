// A desktop's first pull (cursor null) of 100k customers + 1M interactions in its user's working set,
// paged over socket.io until hasMore is false, against a plain keyset SELECT of the same rows.
// Also exports the set-based synthetic-tenant loader the center screen-pop bench shares.
import { SCHEMA_VERSION, EVENTS, PullResponse, type Ack } from '../../shared/protocol/index';
import type { Principal } from '../../server/src/auth/sessions';
import type { Queryable } from '../../server/src/db/db';
import { tidyAfterImport } from '../../server/src/import/csv-import';
import { pullChanges } from '../../server/src/sync/pull';
import { desktop, ok, smallTenant, startTestCenter } from '../../server/src/testing/center-client';
import { onBothDrivers, seconds } from './center-push-drain.bench';
import type { Benchmark, BenchRow } from './harness';

const CUSTOMERS = Number(process.env.BENCH_BOOTSTRAP_CUSTOMERS ?? 100_000);
const PGLITE_CUSTOMERS = Number(process.env.BENCH_BOOTSTRAP_PGLITE_CUSTOMERS ?? 10_000);
const INTERACTIONS_PER_CUSTOMER = 10;
const PULL_LIMIT = Number(process.env.BENCH_PULL_LIMIT ?? 500); // the desktop sync engine's default page
const SNAPSHOT_TIMEOUT_MS = 600_000;
const LOAD_CHUNK = 250_000; // customers per INSERT … SELECT, so no one statement holds everything

/** Customer n's synthetic id and phone; the same formulas as the SQL below. */
export const syntheticCustomerId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const syntheticPhone = (n: number) => `+8210${(10_000_000 + n).toString().padStart(8, '0')}`;

/**
 * Bulk-loads customers 1..`customers` (a phone identity each) and `perCustomer` interactions each into
 * `tenantId` with INSERT … SELECT FROM generate_series, in bounded chunks.
 */
export async function loadSyntheticCustomers(q: Queryable, tenantId: string, customers: number, perCustomer: number): Promise<void> {
  const cid = `('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid`;
  for (let from = 1; from <= customers; from += LOAD_CHUNK) {
    const to = Math.min(customers, from + LOAD_CHUNK - 1);
    await q.query(
      `INSERT INTO customers (id, tenant_id, external_id, display_name, language, segment, value, updated_at)
       SELECT ${cid}, $1, 'bench-' || g, 'Customer ' || g, CASE WHEN g % 2 = 0 THEN 'en' ELSE 'ko' END, NULL,
              '{"recency":3,"frequency":2,"monetary":4,"lifetimeValue":1200,"tier":"regular"}'::jsonb, '2026-11-01T00:00:00Z'
         FROM generate_series($2::int, $3::int) g`,
      [tenantId, from, to],
    );
    await q.query(
      `INSERT INTO customer_identities (tenant_id, customer_id, kind, value)
       SELECT $1, ${cid}, 'phone', '+8210' || lpad((10000000 + g)::text, 8, '0') FROM generate_series($2::int, $3::int) g`,
      [tenantId, from, to],
    );
    await q.query(
      `INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, queue, agent, started_at, disposition)
       SELECT ('00000000-0000-4000-9' || lpad(to_hex(k), 3, '0') || '-' || lpad(to_hex(g), 12, '0'))::uuid, $1, ${cid},
              (ARRAY['call','email','chat'])[1 + k % 3], 'inbound', 'general', 'agent1',
              timestamptz '2026-01-01T09:00:00Z' + (k || ' days')::interval + (g % 3600 || ' seconds')::interval, 'resolved'
         FROM generate_series($2::int, $3::int) g, generate_series(0, $4::int - 1) k`,
      [tenantId, from, to, perCustomer],
    );
  }
  // As `center import` leaves the tables it bulk-loads (tidyAfterImport): vacuumed and analysed.
  const t0 = Date.now();
  await tidyAfterImport(q, ['customers', 'customer_identities', 'interactions']);
  process.stderr.write(`[vacuum analyse ${((Date.now() - t0) / 1000).toFixed(1)} s] `);
}

interface Walk {
  rows: number;
  pull: number;
  firstPage: number;
  how: string;
}

/** Pulls from cursor null until hasMore is false (bounded), timing the whole walk and its first call. */
async function bootstrap(expected: number, pull: (cursor: string | null) => Promise<PullResponse>): Promise<Walk> {
  const t0 = process.hrtime.bigint();
  let cursor: string | null = null;
  let rows = 0;
  let firstPage = 0;
  for (let pages = 0; ; pages++) {
    if (pages > (expected / PULL_LIMIT) * 2 + 100) throw new Error('bootstrap pull did not finish');
    const res = await pull(cursor);
    rows += res.changes.length;
    if (cursor === null) firstPage = seconds(t0);
    cursor = res.cursor;
    if (!res.hasMore) break;
  }
  if (rows < expected) throw new Error(`bootstrap brought ${rows} rows, expected at least ${expected}`);
  return { rows, pull: seconds(t0), firstPage, how: 'socket.io' };
}

async function measure(driver: 'pg' | 'pglite', dbOpts: { databaseUrl?: string }): Promise<BenchRow[]> {
  const customers = driver === 'pg' ? CUSTOMERS : PGLITE_CUSTOMERS;
  const test = await startTestCenter(dbOpts, [smallTenant('demo', 1, 10)]);
  try {
    const db = test.center.db;
    await loadSyntheticCustomers(db, 'demo', customers, INTERACTIONS_PER_CUSTOMER);
    // Scope: the center's own working_set table, as if agent1 had popped every one of these customers.
    await db.query(
      `INSERT INTO working_set (tenant_id, user_id, customer_id, reason)
       SELECT 'demo', u.id, c.id, 'search' FROM customers c JOIN users u ON u.tenant_id = 'demo' AND u.username = 'agent1'
        WHERE c.external_id LIKE 'bench-%'`,
    );
    // A center's working sets grow call by call and autovacuum keeps their statistics; a million rows
    // bulk-inserted a moment ago have none yet, which no center in use looks like.
    await db.exec('ANALYZE working_set');
    const expected = customers * (1 + INTERACTIONS_PER_CUSTOMER);

    const d = await desktop(test.center.url, 'demo', 'agent1');
    const label = driver === 'pg' ? `PostgreSQL, ${customers / 1000}k customers + ${(customers * INTERACTIONS_PER_CUSTOMER) / 1e6}M interactions` : `PGlite, ${customers / 1000}k + ${(customers * INTERACTIONS_PER_CUSTOMER) / 1000}k`;
    const out: BenchRow[] = [];
    let walk: Walk;
    try {
      // Over socket.io as the desktop pulls: keyset pages of the snapshot (sync/bootstrap.ts), then the catch-up.
      walk = await bootstrap(expected, async (cursor) =>
        PullResponse.parse(ok((await d.socket.timeout(SNAPSHOT_TIMEOUT_MS).emitWithAck(EVENTS.pull, { schemaVersion: SCHEMA_VERSION, cursor, limit: PULL_LIMIT })) as Ack<unknown>)),
      );
    } catch (err) {
      // Recorded, not hidden: then the same walk through the center's pull handler without the socket.
      const message = err instanceof Error ? err.message : String(err);
      out.push({ figure: `bootstrap over socket.io FAILED: "${message}" [${label}]`, unit: '—', value: NaN, baseline: null, goal: { text: 'completes', met: false } });
      const [u] = await db.query<{ id: string; display_name: string }>("SELECT id, display_name FROM users WHERE tenant_id = 'demo' AND username = 'agent1'");
      const who: Principal = { userId: u!.id, tenantId: 'demo', username: 'agent1', displayName: u!.display_name, role: 'agent', tokenHash: '', expiresAt: new Date(Date.now() + 3_600_000) };
      walk = await bootstrap(expected, (cursor) => pullChanges(db, who, { schemaVersion: SCHEMA_VERSION, cursor, limit: PULL_LIMIT }));
      walk.how = 'pullChanges() in process, no socket';
    }
    d.close();
    const { rows, pull, firstPage, how } = walk;

    // Baseline: the same rows read by keyset pages of the same size, straight from their tables.
    const b0 = process.hrtime.bigint();
    let read = 0;
    for (const table of ['customers', 'interactions'] as const) {
      let after = '00000000-0000-0000-0000-000000000000';
      for (let pages = 0; pages < expected; pages++) {
        const page = await db.query<{ id: string }>(`SELECT * FROM ${table} WHERE tenant_id = 'demo' AND id > $1 ORDER BY id LIMIT $2`, [after, PULL_LIMIT]);
        read += page.length;
        if (page.length < PULL_LIMIT) break;
        after = page[page.length - 1]!.id;
      }
    }
    const baseline = read / seconds(b0);
    const rate = rows / pull;
    return [
      ...out,
      { figure: `bootstrap pull (${how}), pages of ${PULL_LIMIT} [${label}]`, unit: 'rows/s', value: rate, baseline, goal: { text: '≥ 40,000 rows/s', met: rate >= 40_000 } },
      { figure: `bootstrap pull total time [${label}]`, unit: 's', value: pull, baseline: read / baseline },
      { figure: `  of which first call (snapshot + first page) [${label}]`, unit: 's', value: firstPage, baseline: null },
    ];
  } finally {
    await test.stop();
  }
}

const bench: Benchmark = {
  name: 'center-bootstrap-pull',
  async run() {
    return (await onBothDrivers(measure)).flat();
  },
};
export default bench;
