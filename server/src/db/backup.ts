// Backing up and restoring the center database, embedded (PGlite) and PostgreSQL alike. A restore
// renews the database's identity in the same step that puts the backup in place (so desktops notice,
// README "Back up and restore the center"), refuses while a center uses the database, and never leaves half a
// database: PGlite is restored into a directory beside the old one and swapped in whole; PostgreSQL
// in one transaction that rolls back on any error.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { mkdtemp, open, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PGlite } from '@electric-sql/pglite';
import { LOCK_FILE } from '@earshot/dir-lock';
import pg from 'pg';
import type { Queryable } from './db';
import { readCenterIdentity, RENEW_IDENTITY_SQL, type CenterIdentity } from './identity';
import { migrate } from './migrate';
import { CENTER_APPLICATION_NAME } from './pg';
import { lockDataDir, openPglite } from './pglite';

/** Which database: a PGlite directory, or a PostgreSQL URL. */
export type BackupTarget = { dataDir: string; databaseUrl?: undefined } | { databaseUrl: string; dataDir?: undefined };

export interface BackupDone {
  file: string;
  bytes: number;
  identity: CenterIdentity;
}
export interface RestoreDone {
  identity: CenterIdentity;
  /** The identity the backup carried, which no desktop will be served again. */
  previousIdentity: string;
  /** PGlite: where the database that was replaced now lives (kept, never deleted). */
  replacedBy?: string;
}

/** A refusal that changed nothing: said as it is, exit code 1. */
export class BackupRefused extends Error {}

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

/** Writes `data` to `file` whole or not at all: beside it, synced, then renamed into place. */
async function writeWhole(file: string, data: Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}-${Date.now()}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
}

export async function backupCenter(target: BackupTarget, file: string): Promise<BackupDone> {
  const out = path.resolve(file);
  if (target.dataDir !== undefined) {
    if (!existsSync(path.join(target.dataDir, 'PG_VERSION'))) throw new BackupRefused(`${target.dataDir} holds no center database: nothing to back up.`);
    // The directory's lock: PGlite cannot be read while a center has it open (it would be damaged).
    const db = await openPglite(target.dataDir);
    try {
      const identity = await readCenterIdentity(db);
      const data = new Uint8Array(await (await db.dump('gzip')).arrayBuffer());
      await writeWhole(out, data);
      return { file: out, bytes: data.byteLength, identity };
    } finally {
      await db.close();
    }
  }
  // pg_dump reads one consistent snapshot while centers keep running.
  const conn = connection(target.databaseUrl);
  const identity = await withClient(target.databaseUrl, readCenterIdentity);
  const tmp = `${out}.${process.pid}-${Date.now()}.tmp`;
  try {
    await runTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${tmp}`, `--dbname=${conn.dbname}`], conn.env);
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, out);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  const bytes = (await readFile(out)).byteLength;
  return { file: out, bytes, identity };
}

export async function restoreCenter(target: BackupTarget, file: string): Promise<RestoreDone> {
  const backup = await readFile(path.resolve(file)).catch((err: NodeJS.ErrnoException) => {
    throw new BackupRefused(`Cannot read the backup ${file}: ${err.code ?? err.message}.`);
  });
  const kind = backup.subarray(0, 5).toString('latin1') === 'PGDMP' ? 'pg' : backup[0] === 0x1f && backup[1] === 0x8b ? 'pglite' : null;
  if (kind === null) throw new BackupRefused(`${file} is not a center backup (neither an embedded center's .tar.gz nor a pg_dump archive).`);
  if (target.dataDir !== undefined) {
    if (kind !== 'pglite') throw new BackupRefused(`${file} is a PostgreSQL backup: restore it with DATABASE_URL set, not --data-dir.`);
    return restorePglite(target.dataDir, backup);
  }
  if (kind !== 'pg') throw new BackupRefused(`${file} is an embedded (PGlite) center's backup: restore it with --data-dir, not DATABASE_URL.`);
  return restorePostgres(target.databaseUrl, path.resolve(file));
}

/**
 * Loads the backup into `<dataDir>.restoring-…`, migrates it and renews its identity there, then
 * swaps it in: the old directory moves to `<dataDir>.replaced-…`. The lock on `dataDir` is held
 * throughout, so no center starts on either half.
 */
async function restorePglite(dataDir: string, backup: Buffer): Promise<RestoreDone> {
  const lock = lockDataDir(dataDir);
  const staging = `${dataDir}.restoring-${stamp()}`;
  try {
    // gzip's own check first: PGlite's loader fails on a damaged archive outside any promise we hold.
    let tar: Buffer;
    try {
      tar = gunzipSync(backup);
    } catch (err) {
      throw new BackupRefused(`The backup could not be loaded: it is damaged or incomplete (${(err as NodeJS.ErrnoException).code ?? 'gzip error'}); nothing was changed.`);
    }
    const loaded = new PGlite(staging, { loadDataDir: new Blob([new Uint8Array(tar)]) });
    try {
      await loaded.waitReady;
    } catch (err) {
      throw new BackupRefused(`The backup could not be loaded (${err instanceof Error ? err.message : String(err)}); nothing was changed.`);
    } finally {
      await loaded.close().catch(() => undefined);
    }
    // The backup holds the lock file of the process that made it: not ours to keep.
    rmSync(path.join(staging, LOCK_FILE), { force: true });
    const db = await openPglite(staging);
    let identity: CenterIdentity;
    let previousIdentity: string;
    try {
      await migrate(db);
      previousIdentity = (await readCenterIdentity(db)).id;
      await db.exec(RENEW_IDENTITY_SQL);
      identity = await readCenterIdentity(db);
    } finally {
      await db.close();
    }
    const holdsDatabase = readdirSync(dataDir).some((f) => f !== LOCK_FILE);
    const replacedBy = holdsDatabase ? `${dataDir}.replaced-${stamp()}` : undefined;
    if (replacedBy) renameSync(dataDir, replacedBy);
    else {
      lock.release();
      rmSync(dataDir, { recursive: true, force: true });
    }
    try {
      renameSync(staging, dataDir);
    } catch (err) {
      // Put the old database back where it was; the restored one stays in `staging` for a retry.
      if (replacedBy && !existsSync(dataDir)) renameSync(replacedBy, dataDir);
      throw new BackupRefused(`The restored database could not be moved into ${dataDir} (${(err as NodeJS.ErrnoException).code ?? 'error'}); it is in ${staging}, and ${dataDir} is as it was.`);
    }
    lock.release(replacedBy);
    return { identity, previousIdentity, replacedBy };
  } catch (err) {
    lock.release();
    if (!(err instanceof BackupRefused && err.message.includes(staging))) rmSync(staging, { recursive: true, force: true });
    throw err;
  }
}

/**
 * pg_restore writes the backup as an SQL script; psql runs it in ONE transaction after emptying the
 * schema and before renewing the identity: any error rolls all of it back, leaving the database as it was.
 */
async function restorePostgres(databaseUrl: string, file: string): Promise<RestoreDone> {
  const users = await withClient(databaseUrl, (c) =>
    c.query<{ pid: number; application_name: string; client_addr: string | null; backend_start: Date }>(
      `SELECT pid, application_name, client_addr::text AS client_addr, backend_start FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE $1`,
      [`${CENTER_APPLICATION_NAME}%`],
    ),
  );
  const first = users[0];
  if (first) {
    throw new BackupRefused(
      `A center is using this database (${first.application_name} from ${first.client_addr ?? 'this computer'}, connected since ${first.backend_start.toISOString()}` +
        `${users.length > 1 ? `, and ${users.length - 1} more connection(s)` : ''}). Stop every center node and center command first, then restore.`,
    );
  }
  const conn = connection(databaseUrl);
  // The whole script first: were pg_restore piped into psql and failed half way, psql would commit
  // the half it had read. The script holds every row: it lives in a directory only we can read.
  const work = await mkdtemp(path.join(os.tmpdir(), 'earshot-restore-'));
  try {
    const script = path.join(work, 'restore.sql');
    await runTool('pg_restore', ['--no-owner', '--no-privileges', `--file=${script}`, file], conn.env);
    await runTool(
      'psql',
      [
        '--no-psqlrc',
        '--quiet',
        '--single-transaction',
        '--set=ON_ERROR_STOP=1',
        '--command=DROP SCHEMA public CASCADE; CREATE SCHEMA public;',
        `--file=${script}`,
        `--command=${RENEW_IDENTITY_SQL}`,
        `--dbname=${conn.dbname}`,
      ],
      conn.env,
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return withClient(databaseUrl, async (c) => {
    const [row] = await c.query<{ restored_from: string }>('SELECT restored_from::text AS restored_from FROM center_identity ORDER BY n DESC LIMIT 1');
    return { identity: await readCenterIdentity(c), previousIdentity: row?.restored_from ?? 'none' };
  });
}

/** The URL for the PostgreSQL tools without its password, which goes in their environment instead (not on a command line others can read). */
function connection(databaseUrl: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { dbname: url.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}), PGAPPNAME: `${CENTER_APPLICATION_NAME} backup` } };
}

/** One plain connection (not a center's: its application name is not the center's). */
async function withClient<T>(databaseUrl: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'earshot restore' });
  await client.connect();
  try {
    return await fn({
      query: async <R>(sql: string, params?: readonly unknown[]) => (await client.query(sql, params ? [...params] : undefined)).rows as R[],
      exec: async (sql: string) => {
        await client.query(sql);
      },
    });
  } finally {
    await client.end();
  }
}

/** Runs one PostgreSQL tool; rejects with its own words. */
function runTool(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const said: string[] = [];
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.on('data', (d) => said.push(String(d).trim()));
    child.once('error', (err: NodeJS.ErrnoException) =>
      reject(new BackupRefused(err.code === 'ENOENT' ? `${cmd} was not found: install PostgreSQL's client tools (Debian: postgresql-client). Nothing was changed.` : err.message)),
    );
    child.once('close', (code) => {
      if (code === 0) resolve();
      else reject(new BackupRefused(`${cmd}: ${said.join('\n') || `exit code ${code}`}\nNothing was changed.`));
    });
  });
}
