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
/** The paced run: one pop every 20 ms (50/s, a floor of 1,000 agents each popping a caller every 20 s). */
const PACED_LOOKUPS = 1_000;
const PACE_MS = 20;

/** Sorted milliseconds of `n` awaited calls after `warmup` untimed ones; `paceMs` apart when given. */
async function timeManyAsync(n: number, warmup: number, fn: (i: number) => Promise<void>, paceMs = 0): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(n + i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    out.push(ms);
    if (paceMs > ms) await new Promise((r) => setTimeout(r, paceMs - ms));
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
    const callers = Array.from({ length: LOOKUPS + WARMUP + PACED_LOOKUPS }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return syntheticPhone(1 + (seed % customers));
    });
    const baseline = await timeManyAsync(LOOKUPS, WARMUP, async (i) => {
      const rows = await db.query("SELECT customer_id FROM customer_identities WHERE tenant_id = 'demo' AND kind = 'phone' AND value = $1", [callers[i]]);
      if (rows.length !== 1) throw new Error('a synthetic caller was not found');
    });
    const d = await desktop(test.center.url, 'demo', 'agent1');
    const popOf = (value: string) => async () => {
      const pop = ok(await d.call<{ history: unknown[] } | null>(EVENTS.lookup, { by: 'phone', value, reason: 'screen_pop' }));
      if (!pop || pop.history.length !== INTERACTIONS_PER_CUSTOMER) throw new Error('screen pop came back without the caller and their history');
    };
    // Back to back: each pop's working-set grant (its snapshot) is still being written during the next.
    const pops = await timeManyAsync(LOOKUPS, WARMUP, (i) => popOf(callers[i]!)());
    // Paced, other callers (each also new to this agent).
    const paced = await timeManyAsync(PACED_LOOKUPS, 0, (i) => popOf(callers[LOOKUPS + WARMUP + i]!)(), PACE_MS);
    d.close();
    const label = driver === 'pg' ? `PostgreSQL ${customers / 1e6}M customers / ${(customers * INTERACTIONS_PER_CUSTOMER) / 1e6}M interactions` : `PGlite ${customers / 1000}k / ${(customers * INTERACTIONS_PER_CUSTOMER) / 1e6}M`;
    const p95 = percentile(pops, 95);
    return [
      { figure: `center screen pop p50, back to back [${label}]`, unit: 'ms', value: percentile(pops, 50), baseline: percentile(baseline, 50) },
      { figure: `center screen pop p95, back to back [${label}]`, unit: 'ms', value: p95, baseline: percentile(baseline, 95), goal: { text: 'p95 ≤ 5 ms', met: p95 <= 5 } },
      { figure: `center screen pop p95, one per ${PACE_MS} ms [${label}]`, unit: 'ms', value: percentile(paced, 95), baseline: percentile(baseline, 95) },
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
