// A throw-away PostgreSQL server from Debian's binaries, for tests (through postgres.ts) and for
// benches, which run outside vitest and so cannot import postgres.ts.
import { execFile, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const run = promisify(execFile);
const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface ThrowawayPostgres {
  url: string;
  stop(): Promise<void>;
}

/**
 * initdb + pg_ctl as the `postgres` user (we run as root) on 127.0.0.1 and a free port. `settings`
 * adds `-c name=value` server settings (benches give it more memory).
 */
export async function startThrowawayPostgres(settings: string[] = []): Promise<ThrowawayPostgres> {
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
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300${settings.map((s) => ` -c ${s}`).join('')}`;
    await asPostgres(path.join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-o', opts, '-l', path.join(dir, 'log'), '-w', '-t', '60', 'start']);
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

