// 10,000 note.save mutations from one desktop pushed over socket.io in the desktop's batches, on
// PostgreSQL and PGlite, against a plain batched INSERT of the same rows. Also holds the bench-only
// helpers the other center benches share (a throw-away PostgreSQL without vitest, a timed loop).
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { SCHEMA_VERSION, EVENTS, PushResponse } from '../../shared/protocol/index';
import type { Db } from '../../server/src/db/db';
import { desktop, ok, smallTenant, startTestCenter } from '../../server/src/testing/center-client';
import type { Benchmark, BenchRow } from './harness';

const MUTATIONS = Number(process.env.BENCH_PUSH_MUTATIONS ?? 10_000);
const BATCH = 200; // the desktop sync engine's default push batch

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface BenchPostgres {
  url: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A throw-away PostgreSQL 15 on 127.0.0.1 for benches (tests/support/postgres.ts imports vitest, which
 * cannot load outside a vitest run). Bench settings: fsync off, enough memory for the big scales.
 */
export async function startBenchPostgres(): Promise<BenchPostgres> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-pg-'));
  const dataDir = path.join(dir, 'data');
  const asPostgres = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args], { cwd: dir }) : run(cmd, args, { cwd: dir });
  if (asRoot) {
    const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    chownSync(dir, uid, gid);
  }
  await asPostgres(path.join(PG_BIN, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const opts =
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off ` +
    `-c shared_buffers=2GB -c maintenance_work_mem=1GB -c work_mem=64MB -c max_wal_size=8GB`;
  await asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      const pidFile = path.join(dataDir, 'postmaster.pid');
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
      await asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {
        if (pid > 0) process.kill(pid, 'SIGQUIT');
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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
