// PostgreSQL driver (`pg` pool): production and the CI database, several center nodes at once.
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { beginSql, channelName, copyCsv, InFlight, statementName, withSerializationRetry, type Db, type Queryable, type QueryOptions, type TxOptions } from './db';

/**
 * Connections per center node: `EARSHOT_DB_POOL_SIZE` (1-1000), else 20. At 10, a floor of 1,000 agents
 * at 350 CTI events a second queued every event's statements about 55 ms behind one another for a free
 * connection (center-floor-load); at 20 they ran in 3 ms. Four nodes at 20 fit PostgreSQL's default
 * max_connections of 100.
 */
export function dbPoolSize(env: Record<string, string | undefined> = process.env): number {
  const raw = env.EARSHOT_DB_POOL_SIZE;
  if (raw === undefined || raw.trim() === '') return 20;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw new Error(`EARSHOT_DB_POOL_SIZE must be a whole number from 1 to 1000 (connections per center node); it is "${raw}".`);
  }
  return n;
}

/**
 * Every connection of a center (and of its command line) says so in pg_stat_activity, which is how a
 * restore sees that a center still uses the database (backup.ts).
 */
export const CENTER_APPLICATION_NAME = 'earshot-center';

export async function openPostgres(databaseUrl: string, poolSize = dbPoolSize()): Promise<Db> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, application_name: CENTER_APPLICATION_NAME });
  // An idle client losing its server must not crash the center; the next query reconnects.
  pool.on('error', () => undefined);
  const inFlight = new InFlight();
  let closing: Promise<void> | null = null;
  const asQueryable = (c: pg.Pool | pg.PoolClient): Queryable => ({
    query: async <T>(sql: string, params?: readonly unknown[], opts?: QueryOptions) =>
      (opts?.prepare === true
        ? await c.query({ name: statementName(sql), text: sql, values: params ? [...params] : undefined })
        : await c.query(sql, params ? [...params] : undefined)
      ).rows as T[],
    exec: async (sql: string) => {
      await c.query(sql);
    },
  });
  // COPY needs one connection for the whole stream, so only a transaction's client offers it.
  const copyRows =
    (client: pg.PoolClient): NonNullable<Queryable['copyRows']> =>
    async (table, columns, rows) => {
      const { sql, body } = copyCsv(table, columns, rows, 'STDIN');
      await pipeline([typeof body === 'string' ? Buffer.from(body, 'utf8') : body], client.query(copyFrom(sql)));
    };
  const direct = asQueryable(pool);
  await direct.query('SELECT 1'); // fail fast with the driver's message when the URL is wrong
  return {
    driver: 'pg',
    query: (sql, params, opts) => inFlight.run(() => direct.query(sql, params, opts)),
    exec: (sql) => inFlight.run(() => direct.exec(sql)),
    tx: <T>(fn: (q: Queryable) => Promise<T>, opts: TxOptions = {}) =>
      inFlight.run(() =>
        withSerializationRetry(opts.attempts ?? 10, async () => {
          const client = await pool.connect();
          try {
            await client.query(beginSql(opts.isolation));
            const result = await fn({ ...asQueryable(client), copyRows: copyRows(client) });
            await client.query('COMMIT');
            return result;
          } catch (err) {
            await client.query('ROLLBACK').catch(() => undefined);
            throw err;
          } finally {
            client.release();
          }
        }),
      ),
    listen: async (channel, onNotify, onLost) => {
      // Its own connection, outside the pool: a LISTEN lasts as long as the connection.
      const client = new pg.Client({ connectionString: databaseUrl, application_name: `${CENTER_APPLICATION_NAME} listen` });
      let open = true;
      const lost = (err: unknown) => {
        if (!open) return;
        open = false;
        client.end().catch(() => undefined);
        onLost(err);
      };
      client.on('notification', (m) => {
        if (open && m.channel === channel) onNotify(m.payload ?? '');
      });
      client.on('error', lost);
      client.on('end', () => lost(new Error('the listening connection closed')));
      try {
        await client.connect();
        await client.query(`LISTEN ${channelName(channel)}`);
      } catch (err) {
        open = false;
        await client.end().catch(() => undefined);
        throw err;
      }
      return async () => {
        if (!open) return;
        open = false;
        await client.end().catch(() => undefined);
      };
    },
    close: () =>
      (closing ??= (async () => {
        await inFlight.drain();
        await pool.end();
      })()),
  };
}
