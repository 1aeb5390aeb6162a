// Test harness for PostgreSQL: a throw-away server from Debian's binaries, one fresh database per
// suite, and `forEachDriver` to run a suite on PGlite and on PostgreSQL.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, inject } from 'vitest';

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
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

/** initdb + pg_ctl as the `postgres` user (we run as root) on 127.0.0.1 and a free port. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  if (!existsSync(path.join(PG_BIN, 'initdb'))) throw new Error(`${PG_BIN}/initdb not found`);
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-pg-'));
  const dataDir = path.join(dir, 'data');
  const asPostgres = (cmd: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', cmd, ...args], { cwd: dir }) : run(cmd, args, { cwd: dir });
  try {
    if (asRoot) {
      const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
      const gids = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
      chownSync(dir, Number(ids.stdout.trim()), Number(gids.stdout.trim()));
    }
    await asPostgres(path.join(PG_BIN, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
    const port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
    await asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']);
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    return {
      url,
      stop: async () => {
        // pg_ctl stops the postmaster by the PID in postmaster.pid; fall back to that PID ourselves.
        const pidFile = path.join(dataDir, 'postmaster.pid');
        const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
        await asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']).catch(() => {
          if (pid > 0) process.kill(pid, 'SIGQUIT');
        });
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    const log = existsSync(path.join(dir, 'log')) ? readFileSync(path.join(dir, 'log'), 'utf8').slice(-500) : '';
    rmSync(dir, { recursive: true, force: true });
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`could not start PostgreSQL (${message.split('\n')[0]})${log ? `: ${log}` : ''}`, { cause: err });
  }
}

/** The admin URL provided by globalSetup, or null (suites needing it are skipped). */
export const pgAdminUrl = (): string | null => inject('pgAdminUrl');
export const pgSkipReason = (): string => inject('pgSkipReason');

/** A fresh, empty database on the test server; dropped by `drop()`. */
export async function createTestDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `earshot_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export type DriverName = 'pglite' | 'pg';
export interface DriverContext {
  driver: DriverName;
  /** Options for a fresh, empty center database: `{}` (in-memory PGlite) or `{ databaseUrl }`. */
  freshDatabase(): Promise<{ databaseUrl?: string }>;
}

/**
 * Declares the suite twice: on in-memory PGlite, and on PostgreSQL when the harness has one
 * (otherwise that copy is skipped, its name saying why). Databases are dropped after the suite.
 */
export function forEachDriver(name: string, fn: (ctx: DriverContext) => void): void {
  describe(`${name} [pglite]`, () => fn({ driver: 'pglite', freshDatabase: async () => ({}) }));
  const adminUrl = pgAdminUrl();
  const label = adminUrl ? `${name} [postgres]` : `${name} [postgres] (skipped: ${pgSkipReason()})`;
  describe.skipIf(!adminUrl)(label, () => {
    const created: Array<{ drop(): Promise<void> }> = [];
    afterAll(async () => {
      for (const d of created) await d.drop().catch(() => undefined);
    });
    fn({
      driver: 'pg',
      freshDatabase: async () => {
        const d = await createTestDatabase(adminUrl as string);
        created.push(d);
        return { databaseUrl: d.url };
      },
    });
  });
}
