import { smallTenant, startTestCenter } from '/work/main/server/src/testing/center-client';
import { loadSyntheticCustomers } from './center-bootstrap-pull.bench';
import { INTERACTION_COLUMNS, CUSTOMER_SELECT } from '/work/main/server/src/db/records';
const test = await startTestCenter({}, [smallTenant('demo', 1, 10)]);
const db = test.center.db as any;
await loadSyntheticCustomers(db, 'demo', 10000, 10);
await db.query(`INSERT INTO working_set (tenant_id, user_id, customer_id, reason) SELECT 'demo', u.id, c.id, 'search' FROM customers c JOIN users u ON u.tenant_id = 'demo' AND u.username = 'agent1' WHERE c.external_id LIKE 'bench-%'`);
await db.exec('ANALYZE working_set');
const [u] = await db.query(`SELECT id FROM users WHERE username='agent1' AND tenant_id='demo'`);
const plan = async (sql: string, p: unknown[]) => { for (const r of await db.query('EXPLAIN ANALYZE ' + sql, p)) console.log(r['QUERY PLAN']); };
await plan(`SELECT i.started_at::text AS k_started, i.*
           FROM working_set ws
           CROSS JOIN LATERAL (
             SELECT ${INTERACTION_COLUMNS} FROM interactions x WHERE x.tenant_id = $1 AND x.customer_id = ws.customer_id
              ORDER BY x.started_at DESC, x.id LIMIT 200) i
          WHERE ws.user_id = $2::uuid AND ws.tenant_id = $1 AND ws.customer_id >= $3::uuid
            AND (ws.customer_id > $3::uuid OR i.started_at < $4::timestamptz OR (i.started_at = $4::timestamptz AND i.id > $5::uuid))
          ORDER BY ws.customer_id, i.started_at DESC, i.id LIMIT $6`, ['demo', u.id, '00000000-0000-4000-8000-000000000100', 'infinity', '00000000-0000-0000-0000-000000000000', 500]);
await plan(`SELECT ${CUSTOMER_SELECT} FROM working_set ws JOIN customers c ON c.id = ws.customer_id AND c.tenant_id = $1
          WHERE ws.user_id = $2::uuid AND ws.tenant_id = $1 AND ws.customer_id > $3::uuid
          ORDER BY ws.customer_id LIMIT $4`, ['demo', u.id, '00000000-0000-4000-8000-000000000100', 500]);
await test.stop();
