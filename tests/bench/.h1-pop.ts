import { smallTenant, startTestCenter, desktop, ok } from '/work/main/server/src/testing/center-client';
import { loadSyntheticCustomers, syntheticPhone } from './center-bootstrap-pull.bench';
import { startThrowawayPostgres } from '/work/main/tests/support/postgres-server';
import { EVENTS } from '/work/main/shared/protocol/index';
const N = Number(process.env.N ?? 20000);
const pg = await startThrowawayPostgres(['shared_buffers=1GB']);
const test = await startTestCenter({ databaseUrl: pg.url }, [smallTenant('demo', 1, 10)]);
const db = test.center.db as any;
await loadSyntheticCustomers(db, 'demo', N, 10);
const times = new Map<string, { n: number; ms: number; all: number[] }>();
const wrap = (q: any) => { const orig = q.query.bind(q); q.query = async (sql: string, params?: unknown[]) => { const t0 = performance.now(); try { return await orig(sql, params); } finally { const k = sql.replace(/\s+/g, ' ').slice(0, 60); const e = times.get(k) ?? { n: 0, ms: 0, all: [] }; const dt = performance.now() - t0; e.n++; e.ms += dt; e.all.push(dt); times.set(k, e); } }; return q; };
const origTx = db.tx.bind(db); db.tx = (fn: any, o: any) => origTx((q: any) => fn(wrap(q)), o); wrap(db);
const d = await desktop(test.center.url, 'demo', 'agent1');
let seed = 7; const all: number[] = [];
for (let i = 0; i < 600; i++) { seed = (seed * 1103515245 + 12345) % 2 ** 31; const t0 = performance.now(); const pop = ok(await d.call<any>(EVENTS.lookup, { by: 'phone', value: syntheticPhone(1 + (seed % N)), reason: 'screen_pop' })); if (i >= 100) all.push(performance.now() - t0); if (!pop) throw new Error('miss'); }
all.sort((a, b) => a - b);
console.log('p50', all[250]!.toFixed(2), 'p95', all[475]!.toFixed(2));
for (const [k, v] of [...times].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) { v.all.sort((a, b) => a - b); console.log(v.ms.toFixed(0).padStart(6), String(v.n).padStart(5), 'p50', v.all[Math.floor(v.n / 2)]!.toFixed(2), k); }
d.close(); await test.stop(); await pg.stop();
