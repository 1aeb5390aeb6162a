// The center's screen pop (customer:lookup by phone over socket.io: profile, open VOC, last 50 contacts,
// audit, working-set grant) at 1M customers / 10M interactions, against a bare indexed SELECT by phone.
import { EVENTS } from '../../shared/protocol/index';
import { desktop, ok, smallTenant, startTestCenter } from '../../server/src/testing/center-client';
import { loadSyntheticCustomers, syntheticPhone } from './center-bootstrap-pull.bench';
import { onBothDrivers } from './center-push-drain.bench';
import { percentile, type Benchmark, type BenchRow } from './harness';

const CUSTOMERS = Number(process.env.BENCH_CENTER_POP_CUSTOMERS ?? 1_000_000);
const PGLITE_CUSTOMERS = Number(process.env.BENCH_CENTER_POP_PGLITE_CUSTOMERS ?? 100_000);
const INTERACTIONS_PER_CUSTOMER = 10;
const LOOKUPS = 2_000;
const WARMUP = 200;

/** Sorted milliseconds of `n` awaited calls after `warmup` untimed ones. */
async function timeManyAsync(n: number, warmup: number, fn: (i: number) => Promise<void>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(n + i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return out.sort((a, b) => a - b);
}

async function measure(driver: 'pg' | 'pglite', dbOpts: { databaseUrl?: string }): Promise<BenchRow[]> {
  const customers = driver === 'pg' ? CUSTOMERS : PGLITE_CUSTOMERS;
  const test = await startTestCenter(dbOpts, [smallTenant('demo', 1, 10)]);
  try {
    const db = test.center.db;
    const l0 = Date.now();
    await loadSyntheticCustomers(db, 'demo', customers, INTERACTIONS_PER_CUSTOMER);
    process.stderr.write(`[${driver}: loaded ${customers} customers in ${((Date.now() - l0) / 1000).toFixed(0)} s] `);
    // Random callers, the same sequence for every measurement; warm-up callers are distinct.
    let seed = 7;
    const callers = Array.from({ length: LOOKUPS + WARMUP }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return syntheticPhone(1 + (seed % customers));
    });
    const baseline = await timeManyAsync(LOOKUPS, WARMUP, async (i) => {
      const rows = await db.query("SELECT customer_id FROM customer_identities WHERE tenant_id = 'demo' AND kind = 'phone' AND value = $1", [callers[i]]);
      if (rows.length !== 1) throw new Error('a synthetic caller was not found');
    });
    const d = await desktop(test.center.url, 'demo', 'agent1');
    const pops = await timeManyAsync(LOOKUPS, WARMUP, async (i) => {
      const pop = ok(await d.call<{ history: unknown[] } | null>(EVENTS.lookup, { by: 'phone', value: callers[i], reason: 'screen_pop' }));
      if (!pop || pop.history.length !== INTERACTIONS_PER_CUSTOMER) throw new Error('screen pop came back without the caller and their history');
    });
    d.close();
    const label = driver === 'pg' ? `PostgreSQL ${customers / 1e6}M customers / ${(customers * INTERACTIONS_PER_CUSTOMER) / 1e6}M interactions` : `PGlite ${customers / 1000}k / ${(customers * INTERACTIONS_PER_CUSTOMER) / 1e6}M`;
    const p95 = percentile(pops, 95);
    return [
      { figure: `center screen pop p50 [${label}]`, unit: 'ms', value: percentile(pops, 50), baseline: percentile(baseline, 50) },
      { figure: `center screen pop p95 [${label}]`, unit: 'ms', value: p95, baseline: percentile(baseline, 95), goal: { text: 'p95 ≤ 5 ms', met: p95 <= 5 } },
    ];
  } finally {
    await test.stop();
  }
}

const bench: Benchmark = {
  name: 'center-screen-pop',
  async run() {
    return (await onBothDrivers(measure)).flat();
  },
};
export default bench;
