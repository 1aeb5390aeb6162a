// 10,000 note.save mutations from one desktop pushed over socket.io in the desktop's batches, on
// PostgreSQL and PGlite. Baseline: a plain batched INSERT of the same rows (every column) into the
// notes table; the ratio against a bare 4-column table is printed beside it. Also holds the
// bench-only helpers the other center benches share (a throw-away PostgreSQL without vitest, a timer).
import { randomUUID } from 'node:crypto';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../support/postgres-server';
import { SCHEMA_VERSION, EVENTS, PushResponse } from '../../shared/protocol/index';
import type { Db } from '../../server/src/db/db';
import { DEFAULT_PUSH_BATCH } from '../../main/services/sync/engine';
import { desktop, ok, smallTenant, startTestCenter } from '../../server/src/testing/center-client';
import type { Benchmark, BenchRow } from './harness';

const MUTATIONS = Number(process.env.BENCH_PUSH_MUTATIONS ?? 10_000);
const ROUNDS = Number(process.env.BENCH_PUSH_ROUNDS ?? 5);
const BATCH = DEFAULT_PUSH_BATCH; // the desktop sync engine's, for the push and the baseline alike

export type BenchPostgres = ThrowawayPostgres;

/** A throw-away PostgreSQL for benches: the tests' server, with enough memory for the big scales. */
export const startBenchPostgres = (): Promise<BenchPostgres> =>
  startThrowawayPostgres(['shared_buffers=2GB', 'maintenance_work_mem=1GB', 'work_mem=64MB', 'max_wal_size=8GB']);

/**
 * Runs `body` once against PostgreSQL (`{ databaseUrl }`) and once against in-memory PGlite (`{}`).
 * `BENCH_DRIVERS=pglite` (or `pg`) runs one of them only, to look at one driver without the other's wait.
 */
export async function onBothDrivers<T>(body: (driver: 'pg' | 'pglite', db: { databaseUrl?: string }) => Promise<T>): Promise<T[]> {
  const only = new Set((process.env.BENCH_DRIVERS ?? 'pg,pglite').split(',').map((d) => d.trim()));
  const out: T[] = [];
  if (only.has('pg')) {
    const pg = await startBenchPostgres();
    try {
      out.push(await body('pg', { databaseUrl: pg.url }));
    } finally {
      await pg.stop();
    }
  }
  if (only.has('pglite')) out.push(await body('pglite', {}));
  return out;
}

export const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

type BenchNote = { id: string; customerId: string; interactionId: null; text: string; revision: number };

async function measure(driver: 'pg' | 'pglite', dbOpts: { databaseUrl?: string }): Promise<BenchRow[]> {
  const tenant = smallTenant('demo', 1, 50);
  const test = await startTestCenter(dbOpts, [tenant]);
  try {
    const db = test.center.db;
    const customers = tenant.customers.map((c) => c.customer.id);
    const d = await desktop(test.center.url, 'demo', 'agent1');
    const author = { name: 'agent1', userId: d.user.id };
    const batchOf = (count: number, round: number): BenchNote[] =>
      Array.from({ length: count }, (_, i) => ({
        id: randomUUID(),
        customerId: customers[i % customers.length]!,
        interactionId: null,
        text: `bench note ${round}/${i} `.padEnd(200, 'x'),
        revision: 1,
      }));
    const revised = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM notes n JOIN note_revisions r ON r.note_id = n.id WHERE n.author = $1', ['agent1']))[0]!.n;
    const before = await revised();
    let seq = 0;
    const push = async (notes: BenchNote[]): Promise<number> => {
      const mutations = d.mutations(seq + 1, notes.map((args) => ({ name: 'note.save', args })));
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < mutations.length; i += BATCH) {
        const res = PushResponse.parse(ok(await d.call(EVENTS.push, { schemaVersion: SCHEMA_VERSION, clientId: d.clientId, mutations: mutations.slice(i, i + BATCH) })));
        if (res.rejected.length) throw new Error(`push rejected ${res.rejected.length} mutations: ${res.rejected[0]!.reason}`);
        if (res.lastSeq !== mutations[Math.min(i + BATCH, mutations.length) - 1]!.seq) throw new Error(`the center acknowledged up to ${res.lastSeq}`);
      }
      const took = seconds(t0);
      seq += notes.length;
      return took;
    };
    await db.exec('CREATE TABLE bench_plain_notes (id uuid PRIMARY KEY, customer_id uuid NOT NULL, text text NOT NULL, revision int NOT NULL)');
    // One untimed batch of each first: plans, prepared statements and the JIT warm on every side alike.
    const warm = batchOf(BATCH, -1);
    await push(warm);
    await insertIntoNotes(db, author, warm);
    await insertBare(db, warm);
    // Then the three alternate round by round, so a burst of load from a neighbour on this shared
    // machine does not land on one side only; each reports its median.
    const pushed: number[] = [];
    const notesTable: number[] = [];
    const bare: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const notes = batchOf(MUTATIONS, round);
      pushed.push(await push(notes));
      notesTable.push(await insertIntoNotes(db, author, notes));
      bare.push(await insertBare(db, notes));
    }
    d.close();
    const stored = (await revised()) - before;
    if (stored !== seq) throw new Error(`${stored} pushed notes with a revision were stored, not ${seq}`);
    const label = driver === 'pg' ? 'PostgreSQL' : 'PGlite';
    const [p, n, b, slowest] = [median(pushed), median(notesTable), median(bare), Math.max(...pushed)];
    return [
      {
        figure: `push drain ${MUTATIONS / 1000}k note.save, batches of ${BATCH}, median of ${ROUNDS} [${label}]`,
        unit: 's',
        value: p,
        baseline: n,
        goal: driver === 'pg' ? { text: '≤ 5 s', met: p <= 5 } : undefined,
      },
      { figure: `push drain, slowest of ${ROUNDS} rounds [${label}]`, unit: 's', value: slowest, baseline: null, goal: driver === 'pg' ? { text: '≤ 5 s', met: slowest <= 5 } : undefined },
      {
        figure: `baseline_time / push_time, baseline = INSERT into notes [${label}]`,
        unit: 'ratio',
        value: n / p,
        baseline: null,
        goal: { text: '≥ 0.25', met: n / p >= 0.25 },
      },
      // For the record, against a bare 4-column table without constraints (what this bench used to take).
      { figure: `baseline_time / push_time, baseline = INSERT into a bare table [${label}]`, unit: 'ratio', value: b / p, baseline: null },
    ];
  } finally {
    await test.stop();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The baseline: the same rows as the push stores (every column, fresh ids) written by a plain
 * multi-row INSERT per batch into the notes table itself, with its keys, indexes and foreign keys,
 * and nothing else: no revision history, no change log, no idempotency, no socket.
 */
async function insertIntoNotes(db: Db, author: { name: string; userId: string }, notes: readonly BenchNote[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < notes.length; i += BATCH) {
    const b = notes.slice(i, i + BATCH);
    await db.query(
      `INSERT INTO notes (id, tenant_id, customer_id, interaction_id, author, author_user_id, text, revision, created_at, updated_at)
       SELECT u.id, 'demo', u.customer_id, u.interaction_id, $6, $7::uuid, u.text, u.revision, now(), now()
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::int[]) AS u(id, customer_id, interaction_id, text, revision)`,
      [b.map(() => randomUUID()), b.map((n) => n.customerId), b.map((n) => n.interactionId), b.map((n) => n.text), b.map((n) => n.revision), author.name, author.userId],
    );
  }
  return seconds(t0);
}

/** The same rows cut to four columns, into a table with nothing but a primary key. */
async function insertBare(db: Db, notes: readonly BenchNote[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < notes.length; i += BATCH) {
    const b = notes.slice(i, i + BATCH);
    await db.query('INSERT INTO bench_plain_notes SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[])', [
      b.map(() => randomUUID()),
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
