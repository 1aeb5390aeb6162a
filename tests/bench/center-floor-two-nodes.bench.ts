// Issue 5, two nodes: the floor of center-floor-load (1,000 agent sockets, 20 supervisor sockets, 350 CTI
// events/s for BENCH_FLOOR_SECONDS) spread over two center processes on one PostgreSQL and one Redis: each
// node has half the agents and half the supervisors, and the webhook events go to the nodes in turn (a PBX
// behind a load balancer). Only the CTI owner holds the floor, so the other node relays its half through
// Redis. Baseline, in the same run: the one-node center phase of center-floor-load, so the ratio column is
// two nodes / one node. The phases, their clients and their measures are center-floor-load's own.
import os from 'node:os';
import pg from 'pg';
import { startThrowawayRedis, type ThrowawayRedis } from '../support/redis';
import type { BenchPostgres } from './center-push-drain.bench';
import { AGENTS, DURATION_S, RATE, SUPERVISORS, centerPhase, type Phase } from './center-floor-load.bench';
import type { Benchmark, BenchRow } from './harness';
import { percentile } from './harness';

const OWNER_WAIT_MS = 60_000;
/** The leadership connection names itself so (server/src/index.ts); its port says which node holds the lock. */
const OWNER_APPLICATION = 'earshot-center cti-owner :';

/**
 * Waits until one node holds the CTI owner's advisory lock, then gives it a moment to restore the floor
 * (it takes the floor right after the lock). Returns the owner's index in `urls`.
 */
async function waitForOwner(databaseUrl: string, urls: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + OWNER_WAIT_MS;
    for (;;) {
      const { rows } = await client.query<{ application_name: string }>(
        `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
          WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE $1`,
        [`${OWNER_APPLICATION}%`],
      );
      const port = rows[0]?.application_name.slice(OWNER_APPLICATION.length);
      const owner = urls.findIndex((u) => new URL(u).port === port);
      if (owner >= 0) {
        await new Promise((r) => setTimeout(r, 1000));
        return owner;
      }
      if (Date.now() > deadline) throw new Error(`no center node took the CTI owner's lock within ${OWNER_WAIT_MS} ms; is the leadership loop running?`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.end();
  }
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const kb = (m: { heap: number; external: number }) => m.heap + m.external;

const bench: Benchmark = {
  name: 'center-floor-two-nodes',
  async run(): Promise<BenchRow[]> {
    const loadBefore = load();
    const { startBenchPostgres } = await import('./center-push-drain.bench');
    // Each phase on a fresh server: the tenant's rows are set up by the phase's first node.
    const pgOne = await startBenchPostgres();
    let one: Phase;
    try {
      one = await centerPhase(pgOne.url);
    } finally {
      await pgOne.stop();
    }
    let owner = -1;
    let two: Phase;
    let pgTwo: BenchPostgres | null = null;
    let redis: ThrowawayRedis | null = null;
    try {
      pgTwo = await startBenchPostgres();
      redis = await startThrowawayRedis();
      const databaseUrl = pgTwo.url;
      two = await centerPhase(databaseUrl, {
        nodes: 2,
        redisUrl: redis.url,
        beforeClients: async (urls) => {
          owner = await waitForOwner(databaseUrl, urls);
        },
      });
    } finally {
      await redis?.stop();
      await pgTwo?.stop();
    }
    const loadAfter = load();

    const p = (xs: number[], q: number) => percentile(xs, q);
    const scale = `${AGENTS} agents + ${SUPERVISORS} supervisors, ${RATE} ev/s × ${DURATION_S} s, ${two.driver} + Redis`;
    const applied = (ph: Phase) => (ph.feed.sent - ph.feed.failed) / ph.seconds;
    const letter = (k: number) => String.fromCharCode(65 + k);
    const nodeName = (k: number) => `node ${letter(k)} (${k === owner ? 'CTI owner' : 'relays to the owner'})`;
    const stateP99 = p(two.agentStateMs, 99);
    const deliveryP99 = p(two.deliveryMs, 99);
    process.stderr.write(
      `\n  center-floor-two-nodes: ${scale}; machine load (1/5/15 min) before ${loadBefore}, after ${loadAfter}, ${os.cpus().length} cores\n` +
        `  CTI owner: ${owner >= 0 ? `node ${letter(owner)}` : 'none found'}\n` +
        `  feed: two nodes ${two.feed.sent} sent in ${two.seconds.toFixed(1)} s, ${two.feed.failed} not applied${two.feed.firstError ? ` (first: ${two.feed.firstError})` : ''}; ` +
        `one node ${one.feed.sent} in ${one.seconds.toFixed(1)} s, ${one.feed.failed} not applied${one.feed.firstError ? ` (first: ${one.feed.firstError})` : ''}\n` +
        `  webhook response p50/p99: two nodes ${p(two.feed.responseMs, 50).toFixed(1)}/${p(two.feed.responseMs, 99).toFixed(1)} ms, one node ${p(one.feed.responseMs, 50).toFixed(1)}/${p(one.feed.responseMs, 99).toFixed(1)} ms\n` +
        two.nodes
          .map(
            (n, k) =>
              `  ${nodeName(k)}: ${n.agents} agent sockets, heap + external ${kb(n.memPerAgentKb).toFixed(1)} KiB and RSS ${n.memPerAgentKb.rss.toFixed(1)} KiB per agent socket; ` +
              `database during the feed: ${n.db.tx.calls} transactions run ${n.db.tx.attempts} times, ${(n.db.tx.ms / Math.max(1, n.db.tx.calls)).toFixed(1)} ms mean, ${n.db.tx.maxMs.toFixed(0)} ms max\n`,
          )
          .join('') +
        `  one node: heap + external ${kb(one.memPerAgentKb).toFixed(1)} KiB and RSS ${one.memPerAgentKb.rss.toFixed(1)} KiB per agent socket; ` +
        `database during the feed: ${one.db.tx.calls} transactions run ${one.db.tx.attempts} times, ${(one.db.tx.ms / Math.max(1, one.db.tx.calls)).toFixed(1)} ms mean, ${one.db.tx.maxMs.toFixed(0)} ms max\n` +
        `  matched: two nodes agent:state ${two.matched.agentState}/${two.matched.agentStateExpected}, queue:metrics ${two.matched.metrics}/${two.matched.metricsExpected}; ` +
        `one node agent:state ${one.matched.agentState}/${one.matched.agentStateExpected}, queue:metrics ${one.matched.metrics}/${one.matched.metricsExpected}\n`,
    );

    const rows: BenchRow[] = [
      { figure: `two nodes: event → supervisors' agent:state p50 (baseline: one node) [${scale}]`, unit: 'ms', value: p(two.agentStateMs, 50), baseline: p(one.agentStateMs, 50) },
      { figure: `two nodes: event → supervisors' agent:state p99 (baseline: one node)`, unit: 'ms', value: stateP99, baseline: p(one.agentStateMs, 99), goal: { text: 'p99 ≤ 100 ms', met: stateP99 <= 100 } },
      { figure: `two nodes: queue:metrics snapshot instant → supervisors p99 (baseline: one node)`, unit: 'ms', value: deliveryP99, baseline: p(one.deliveryMs, 99), goal: { text: 'p99 ≤ 100 ms', met: deliveryP99 <= 100 } },
      {
        figure: `two nodes: events applied per second (offered ${RATE}/s; baseline: one node)`,
        unit: 'ev/s',
        value: applied(two),
        baseline: applied(one),
        goal: { text: `≥ ${Math.round(RATE * 0.95)} ev/s`, met: applied(two) >= RATE * 0.95 },
      },
      { figure: `two nodes: webhook POST /cti/events response p99 (baseline: one node)`, unit: 'ms', value: p(two.feed.responseMs, 99), baseline: p(one.feed.responseMs, 99) },
    ];
    two.nodes.forEach((n, k) => {
      rows.push({ figure: `${nodeName(k)}: heap + external per agent socket (after GC; baseline: one node)`, unit: 'KiB', value: kb(n.memPerAgentKb), baseline: kb(one.memPerAgentKb) });
      // RSS moves with what the allocator keeps or gives back after a GC: indicative only.
      rows.push({ figure: `${nodeName(k)}: RSS per agent socket (indicative; baseline: one node)`, unit: 'KiB', value: n.memPerAgentKb.rss, baseline: one.memPerAgentKb.rss });
    });
    return rows;
  },
};
export default bench;
