import { randomUUID } from 'node:crypto';
import { startThrowawayPostgres } from '/work/main/tests/support/postgres-server';
import { smallTenant, startTestCenter, desktop } from '/work/main/server/src/testing/center-client';
import { pushMutations } from '/work/main/server/src/sync/push';
import { authenticate } from '/work/main/server/src/auth/sessions';
const pg = await startThrowawayPostgres(['shared_buffers=512MB']);
try {
const tenant = smallTenant('demo', 1, 50);
const test = await startTestCenter({ databaseUrl: pg.url }, [tenant]);
const db = test.center.db as any;
const d = await desktop(test.center.url, 'demo', 'agent1');
const who = (await authenticate(db, d.token))!;
const customers = tenant.customers.map((c) => c.customer.id);
const notes = Array.from({ length: 2200 }, (_, i) => ({ id: randomUUID(), customerId: customers[i % 50]!, interactionId: null, text: `bench note ${i} `.padEnd(200, 'x'), revision: 1 }));
const muts = d.mutations(1, notes.map((args) => ({ name: 'note.save', args })));
for (let i = 0; i < 2000; i += 200) await pushMutations(db, who, { schemaVersion: 1, clientId: d.clientId, mutations: muts.slice(i, i + 200) });
// capture the statements of the next push, then replay them under EXPLAIN ANALYZE in a rolled-back tx
const captured: Array<[string, unknown[]]> = [];
const origTx = db.tx.bind(db);
db.tx = (fn: any, opts: any) => origTx((q: any) => fn({ ...q, query: (s: string, p: unknown[]) => { captured.push([s, p]); return q.query(s, p); } }), opts);
await pushMutations(db, who, { schemaVersion: 1, clientId: d.clientId, mutations: muts.slice(2000, 2200) });
db.tx = origTx;
await db.exec('CREATE TABLE bench_plain_notes (id uuid PRIMARY KEY, customer_id uuid NOT NULL, text text NOT NULL, revision int NOT NULL)');
const more = Array.from({ length: 200 }, (_, i) => ({ id: randomUUID(), customerId: customers[i % 50]!, text: 'y'.repeat(200), revision: 1 }));
await db.tx(async (q: any) => {
  for (const [s, p] of captured) {
    if (!/^\s*(WITH|SELECT)/.test(s)) continue;
    // re-key ids so the replay inserts fresh rows
    const keep = new Set([who.userId, d.clientId, ...customers]);
    const p2 = JSON.parse(JSON.stringify(p).replace(/"([0-9a-f]{8})(-[0-9a-f-]{27})"/g, (m: string, a: string, b: string) => keep.has(a + b) ? m : `"${((parseInt(a, 16) ^ 0x5a5a5a5a) >>> 0).toString(16).padStart(8, '0')}${b}"`));
    await q.query('SAVEPOINT x');
    const r = await q.query(`EXPLAIN (ANALYZE, SUMMARY ON) ${s}`, p2).catch(async (e: Error) => { await q.query('ROLLBACK TO SAVEPOINT x'); return [{ 'QUERY PLAN': 'ERR ' + e.message }]; });
    console.log('---', s.replace(/\s+/g, ' ').slice(0, 50));
    for (const row of r) { const l = row['QUERY PLAN']; console.log(l); }
  }
  const r = await q.query('EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) INSERT INTO bench_plain_notes SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[])', [more.map((n) => n.id), more.map((n) => n.customerId), more.map((n) => n.text), more.map((n) => n.revision)]);
  console.log('--- baseline'); for (const row of r) { const l = row['QUERY PLAN']; if (/Trigger|Execution|Planning/.test(l)) console.log(l); }
  await q.query('ROLLBACK'); await q.query('BEGIN');
});
d.close(); await test.stop();
} finally { await pg.stop(); }
