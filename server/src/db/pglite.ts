// PGlite driver: the embedded PostgreSQL used by `npm start`, the demo and tests (dir on disk or memory).
import { PGlite } from '@electric-sql/pglite';
import { channelName, copyCsv, InFlight, withSerializationRetry, type Db, type Queryable, type TxOptions } from './db';
import { preparedStatements } from './pglite-prepared';

/** PGlite's Db, which can also dump itself (see template.ts). */
export interface PgliteDb extends Db {
  dump(): Promise<Blob>;
}

/** `template`: a dump to start an in-memory database from (instead of an empty one). */
export async function openPglite(dataDir?: string, template?: Blob): Promise<PgliteDb> {
  const pg = dataDir ? new PGlite(dataDir) : new PGlite(template ? { loadDataDir: template } : {});
  await pg.waitReady;
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
            if (opts.isolation) await t.query(`SET TRANSACTION ISOLATION LEVEL ${opts.isolation.toUpperCase()}`);
            const q: Queryable = {
              query: queryOn(async (sql, params) => (await t.query(sql, params)).rows),
              exec: async (sql: string) => {
                await t.exec(sql);
              },
              // PGlite reads COPY input from the blob handed to the query as the file '/dev/blob'.
              copyRows: async (table, columns, rows) => {
                if (rows.length === 0) return;
                const { sql, body } = copyCsv(table, columns, rows, `'/dev/blob'`);
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
    dump: () => inFlight.run(() => pg.dumpDataDir('none')),
    close: () =>
      (closing ??= (async () => {
        await inFlight.drain();
        await pg.close();
      })()),
  };
}
