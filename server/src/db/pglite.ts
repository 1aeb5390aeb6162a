// PGlite driver: the embedded PostgreSQL used by `npm start`, the demo and tests (dir on disk or memory).
import { PGlite } from '@electric-sql/pglite';
import { acquireDirLock, type DirLock } from '@earshot/dir-lock';
import { channelName, copyCsv, InFlight, withSerializationRetry, type Db, type Queryable, type TxOptions } from './db';
import { preparedStatements } from './pglite-prepared';

/** PGlite's Db, which can also dump itself (see template.ts). */
export interface PgliteDb extends Db {
  dump(compression?: 'none' | 'gzip'): Promise<Blob>;
  /** The data directory's lock, held until `close()` (null in memory). */
  readonly lock: DirLock | null;
}

/** Who holds a PGlite directory: written into its lock file (`<dir>/earshot.lock`). */
export const CENTER_LOCK_APP = 'earshot-center';

/**
 * `template`: a dump to start an in-memory database from (instead of an empty one). A data directory
 * is locked for the instance's life: PGlite has no lock of its own, and two processes on one
 * directory destroy it (issue #20).
 */
export async function openPglite(dataDir?: string, template?: Blob): Promise<PgliteDb> {
  const lock = dataDir ? lockDataDir(dataDir) : null;
  let pg: PGlite;
  try {
    pg = dataDir ? new PGlite(dataDir) : new PGlite(template ? { loadDataDir: template } : {});
    await pg.waitReady;
  } catch (err) {
    lock?.release();
    throw dataDir ? unopenable(dataDir, err) : err;
  }
  const inFlight = new InFlight();
  let closing: Promise<void> | null = null;
  // PGlite is one connection: transactions are serialised by its own lock, so isolation is moot
  // but still set, to keep one code path with PostgreSQL.
  // Statements marked `prepare` are planned once for the instance's life (pglite-prepared.ts).
  const queryOn = preparedStatements();
  const query = queryOn(async (sql, params) => (await pg.query(sql, params)).rows);
  const exec = async (sql: string): Promise<void> => {
    await pg.exec(sql);
  };
  return {
    driver: 'pglite',
    query: (sql, params, opts) => inFlight.run(() => query(sql, params, opts)),
    exec: (sql) => inFlight.run(() => exec(sql)),
    tx: <T>(fn: (q: Queryable) => Promise<T>, opts: TxOptions = {}) =>
      inFlight.run(() =>
        withSerializationRetry(opts.attempts ?? 10, () =>
          pg.transaction(async (t) => {
            // By the simple protocol: one message, where query() sends six (parse, describe, bind, ...).
            if (opts.isolation) await t.exec(`SET TRANSACTION ISOLATION LEVEL ${opts.isolation.toUpperCase()}`);
            const q: Queryable = {
              query: queryOn(async (sql, params) => (await t.query(sql, params)).rows),
              exec: async (sql: string) => {
                await t.exec(sql);
              },
              // PGlite reads COPY input from the blob handed to the query as the file '/dev/blob'.
              copyRows: async (table, columns, rows) => {
                const { sql, body } = copyCsv(table, columns, rows, `'/dev/blob'`);
                if (body.length === 0) return;
                await t.query(sql, [], { blob: new Blob([body]) });
              },
            };
            return fn(q);
          }),
        ),
      ),
    // One embedded instance: its notifications cannot be lost, so `onLost` is never called.
    listen: async (channel, onNotify) => {
      const stop = await pg.listen(channelName(channel), onNotify);
      return async () => {
        if (!pg.closed) await stop();
      };
    },
    dump: (compression = 'none') => inFlight.run(() => pg.dumpDataDir(compression)),
    lock,
    close: () =>
      (closing ??= (async () => {
        await inFlight.drain();
        try {
          await pg.close();
        } finally {
          lock?.release();
        }
      })()),
  };
}

/** Takes the directory's lock, or refuses naming the center (or command) that holds it. */
export function lockDataDir(dataDir: string): DirLock {
  return acquireDirLock(dataDir, {
    app: CENTER_LOCK_APP,
    explain: (heldBy) =>
      `The center's data directory ${dataDir} is in use by ${heldBy}. ` +
      'Only one center (or center command) may use a data directory at a time: use the running one, or stop it first.',
  });
}

/** PGlite could not start on the directory: say what that means and what to do, never a bare "Aborted()". */
function unopenable(dataDir: string, err: unknown): Error {
  const said = err instanceof Error ? err.message : String(err);
  return new Error(
    `The center's database in ${dataDir} could not be opened (PGlite said: ${said.split('\n')[0]}). Its files are damaged, ` +
      'as happens when two processes used the directory at once. Restore your last backup into it with ' +
      `"npm run center -- restore --data-dir ${dataDir} BACKUP-FILE" (README, "Back up and restore the center"); ` +
      'the damaged directory is kept beside it, never deleted.',
    { cause: err },
  );
}
