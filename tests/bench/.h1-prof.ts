import { randomUUID } from 'node:crypto';
import { startThrowawayPostgres } from '/work/main/tests/support/postgres-server';
import { desktop, ok, smallTenant, startTestCenter } from '/work/main/server/src/testing/center-client';
import { SCHEMA_VERSION, EVENTS } from '/work/main/shared/protocol/index';

const pg = process.env.DRIVER === 'pglite' ? null : await startThrowawayPostgres(['shared_buffers=512MB']);
try {
  const tenant = smallTenant('demo', 1, 50);
  const test = await startTestCenter(pg ? { databaseUrl: pg.url } : {}, [tenant]);
  const db = test.center.db as any;
  const times = new Map<string, { n: number; ms: number }>();
  const wrap = (q: any) => {
    const orig = q.query.bind(q);
    q.query = async (sql: string, params?: unknown[]) => {
      const t0 = performance.now();
      try { return await orig(sql, params); } finally {
        const k = sql.replace(/\s+/g, ' ').slice(0, 60);
        const e = times.get(k) ?? { n: 0, ms: 0 }; e.n++; e.ms += performance.now() - t0; times.set(k, e);
      }
    };
    return q;
  };
  const origTx = db.tx.bind(db);
  db.tx = (fn: any, opts: any) => origTx((q: any) => fn(wrap(q)), opts);
  wrap(db);
  const customers = tenant.customers.map((c) => c.customer.id);
  const d = await desktop(test.center.url, 'demo', 'agent1');
  const notes = Array.from({ length: 10000 }, (_, i) => ({ id: randomUUID(), customerId: customers[i % customers.length]!, interactionId: null, text: `bench note ${i} `.padEnd(200, 'x'), revision: 1 }));
  const muts = d.mutations(1, notes.map((args) => ({ name: 'note.save', args })));
  times.clear();
  const t0 = performance.now();
  for (let i = 0; i < muts.length; i += 200) ok(await d.call(EVENTS.push, { schemaVersion: SCHEMA_VERSION, clientId: d.clientId, mutations: muts.slice(i, i + 200) }));
  console.log('total', (performance.now() - t0).toFixed(0), 'ms');
  for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms)) console.log(v.ms.toFixed(0).padStart(6), String(v.n).padStart(5), k);
  d.close();
  await test.stop();
} finally { await pg?.stop(); }
