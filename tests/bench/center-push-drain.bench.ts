// 10,000 note.save mutations from one desktop pushed over socket.io in the desktop's batches, on
// PostgreSQL and PGlite, against a plain batched INSERT of the same rows. Also holds the bench-only
// helpers the other center benches share (a throw-away PostgreSQL without vitest, a timed loop).
import { randomUUID } from 'node:crypto';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres-server';
import { SCHEMA_VERSION, EVENTS, PushResponse } from '../../shared/protocol/index';
import type { Db } from '../../server/src/db/db';
import { DEFAULT_PUSH_BATCH } from '../../main/services/sync/engine';
import { desktop, ok, smallTenant, startTestCenter } from '../../server/src/testing/center-client';
import type { Benchmark, BenchRow } from './harness';

const MUTATIONS = Number(process.env.BENCH_PUSH_MUTATIONS ?? 10_000);
const BATCH = DEFAULT_PUSH_BATCH; // the desktop sync engine's, for the push and the baseline alike

export type BenchPostgres = ThrowawayPostgres;

/** A throw-away PostgreSQL for benches: the tests' server, with enough memory for the big scales. */
export const startBenchPostgres = (): Promise<BenchPostgres> =>
  startThrowawayPostgres(['shared_buffers=2GB', 'maintenance_work_mem=1GB', 'work_mem=64MB', 'max_wal_size=8GB']);

/** Runs `body` once against PostgreSQL (`{ databaseUrl }`) and once against in-memory PGlite (`{}`). */
export async function onBothDrivers<T>(body: (driver: 'pg' | 'pglite', db: { databaseUrl?: string }) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  const pg = await startBenchPostgres();
  try {
    out.push(await body('pg', { databaseUrl: pg.url }));
  } finally {
    await pg.stop();
  }
  out.push(await body('pglite', {}));
  return out;
}

export const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function measure(driver: 'pg' | 'pglite', dbOpts: { databaseUrl?: string }): Promise<BenchRow[]> {
  const tenant = smallTenant('demo', 1, 50);
  const test = await startTestCenter(dbOpts, [tenant]);
  try {
    const customers = tenant.customers.map((c) => c.customer.id);
    const d = await desktop(test.center.url, 'demo', 'agent1');
    const notes = Array.from({ length: MUTATIONS }, (_, i) => ({
      id: randomUUID(),
      customerId: customers[i % customers.length]!,
      interactionId: null,
      text: `bench note ${i} `.padEnd(200, 'x'),
      revision: 1,
    }));
    const mutations = d.mutations(1, notes.map((args) => ({ name: 'note.save', args })));
    const t0 = process.hrtime.bigint();
    let lastSeq = 0;
    for (let i = 0; i < mutations.length; i += BATCH) {
      const res = PushResponse.parse(ok(await d.call(EVENTS.push, { schemaVersion: SCHEMA_VERSION, clientId: d.clientId, mutations: mutations.slice(i, i + BATCH) })));
      if (res.rejected.length) throw new Error(`push rejected ${res.rejected.length} mutations: ${res.rejected[0]!.reason}`);
      lastSeq = res.lastSeq;
    }
    const push = seconds(t0);
    d.close();
    if (lastSeq !== MUTATIONS) throw new Error(`the center acknowledged up to ${lastSeq}, not ${MUTATIONS}`);
    const stored = await test.center.db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes WHERE author = $1', ['agent1']);
    if ((stored[0]?.n ?? 0) < MUTATIONS) throw new Error('not every pushed note was stored');
    const baseline = await plainInsert(test.center.db, notes);
    const label = driver === 'pg' ? 'PostgreSQL' : 'PGlite';
    return [
      {
        figure: `push drain ${MUTATIONS / 1000}k note.save, batches of ${BATCH} [${label}]`,
        unit: 's',
        value: push,
        baseline,
        goal: driver === 'pg' ? { text: '≤ 5 s', met: push <= 5 } : undefined,
      },
      {
        figure: `baseline_time / push_time [${label}]`,
        unit: 'ratio',
        value: baseline / push,
        baseline: null,
        goal: { text: '≥ 0.25', met: baseline / push >= 0.25 },
      },
    ];
  } finally {
    await test.stop();
  }
}

/** The simplest thing that stores the same rows: one multi-row INSERT per batch into a bare table. */
async function plainInsert(db: Db, notes: Array<{ id: string; customerId: string; text: string; revision: number }>): Promise<number> {
  await db.exec('CREATE TABLE bench_plain_notes (id uuid PRIMARY KEY, customer_id uuid NOT NULL, text text NOT NULL, revision int NOT NULL)');
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < notes.length; i += BATCH) {
    const b = notes.slice(i, i + BATCH);
    await db.query('INSERT INTO bench_plain_notes SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[])', [
      b.map((n) => n.id),
      b.map((n) => n.customerId),
      b.map((n) => n.text),
      b.map((n) => n.revision),
    ]);
  }
  return seconds(t0);
}

const bench: Benchmark = {
  name: 'center-push-drain',
  async run() {
    return (await onBothDrivers(measure)).flat();
  },
};
export default bench;
