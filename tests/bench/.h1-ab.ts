import { smallTenant, startTestCenter } from '/work/main/server/src/testing/center-client';
import { loadSyntheticCustomers } from './center-bootstrap-pull.bench';
import { INTERACTION_COLUMNS } from '/work/main/server/src/db/records';
import { startThrowawayPostgres } from '/work/main/tests/support/postgres-server';
const pg = process.env.DRIVER === 'pg' ? await startThrowawayPostgres(['shared_buffers=1GB']) : null;
const test = await startTestCenter(pg ? { databaseUrl: pg.url } : {}, [smallTenant('demo', 1, 10)]);
const db = test.center.db as any;
await loadSyntheticCustomers(db, 'demo', 10000, 10);
await db.query(`INSERT INTO working_set (tenant_id, user_id, customer_id, reason) SELECT 'demo', u.id, c.id, 'search' FROM customers c JOIN users u ON u.tenant_id = 'demo' AND u.username = 'agent1' WHERE c.external_id LIKE 'bench-%'`);
await db.exec('ANALYZE working_set');
const [u] = await db.query(`SELECT id FROM users WHERE username='agent1' AND tenant_id='demo'`);
const page = `SELECT i.started_at::text AS k_started, i.* FROM working_set ws CROSS JOIN LATERAL (
             SELECT ${INTERACTION_COLUMNS} FROM interactions x WHERE x.tenant_id = $1 AND x.customer_id = ws.customer_id
              ORDER BY x.started_at DESC, x.id LIMIT 200) i
          WHERE ws.user_id = $2::uuid AND ws.tenant_id = $1 AND ws.customer_id >= $3::uuid
            AND (ws.customer_id > $3::uuid OR i.started_at < $4::timestamptz OR (i.started_at = $4::timestamptz AND i.id > $5::uuid))
          ORDER BY ws.customer_id, i.started_at DESC, i.id LIMIT $6`;
const cte = `WITH page AS (${page}), pos AS (INSERT INTO sync_bootstrap_pages (tenant_id, user_id, version, phase, after) SELECT $1, $2::uuid, 1, 'interaction', ARRAY[l.customer_id::text, l.k_started, l.id::text] FROM (SELECT * FROM page ORDER BY customer_id DESC, started_at, id DESC LIMIT 1) l RETURNING token::text AS token) SELECT page.*, (SELECT token FROM pos) AS _token FROM page ORDER BY customer_id, started_at DESC, id`;
const cust = (k: number) => `00000000-0000-4000-8000-${(k * 40).toString(16).padStart(12, '0')}`;
const run = async (name: string, sql: string) => {
  const t0 = performance.now();
  for (let k = 1; k <= 30; k++) await db.query(sql, ['demo', u.id, cust(k), 'infinity', '00000000-0000-0000-0000-000000000000', 500]);
  console.log(name, ((performance.now() - t0) / 30).toFixed(1), 'ms/page');
};
await run('plain', page); await run('plain', page);
await db.exec('CREATE INDEX interactions_customer_recent ON interactions (customer_id, started_at DESC, id); DROP INDEX interactions_customer; ANALYZE interactions');
await run('new index', page); await run('new index', page);
const simple = `SELECT ${INTERACTION_COLUMNS} FROM interactions WHERE tenant_id = $1 AND customer_id = ANY(SELECT customer_id FROM working_set WHERE user_id = $2::uuid AND customer_id >= $3::uuid ORDER BY customer_id LIMIT 50) LIMIT $4 -- $4 $5`;
const t1 = performance.now(); for (let k = 1; k <= 30; k++) await db.query(simple.replace('-- $4 $5', ''), ['demo', u.id, cust(k), 500]); console.log('no lateral', ((performance.now() - t1) / 30).toFixed(1));

await test.stop(); await pg?.stop();
