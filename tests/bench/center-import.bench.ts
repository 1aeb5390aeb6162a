// `npm run center -- import customers` on PostgreSQL: a 200k-row customers CSV loaded through COPY into a
// staging table, against the plain INSERT … jsonb_to_recordset path (the same import without copyRows).
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../../server/src/db/db';
import { openDb } from '../../server/src/db/open';
import { importCustomers } from '../../server/src/import/customers';
import { seconds, startBenchPostgres } from './center-push-drain.bench';
import type { Benchmark, BenchRow } from './harness';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);

/** Streams the file out so the bench itself never holds all rows. */
async function writeCustomersCsv(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('external_id,display_name,phone,email,language,segment,consent_phone\n');
  for (let n = 1; n <= rows; n++) {
    const line = `C-${n},"Customer ${n}, 고객",0101${String(n).padStart(7, '0')},c${n}@example.com,ko,retail,yes\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** The same Db whose transactions offer no copyRows, so the import takes its plain INSERT path. */
const withoutCopy = (db: Db): Db => ({
  ...db,
  driver: db.driver,
  query: (sql, params) => db.query(sql, params),
  exec: (sql) => db.exec(sql),
  tx: (fn, opts) => db.tx((q) => fn({ query: q.query, exec: q.exec }), opts),
  close: () => db.close(),
});

async function measure(url: string, file: string, tenant: string, plain: boolean): Promise<{ rowsPerSecond: number; peakRssMb: number }> {
  const db = await openDb({ databaseUrl: url });
  try {
    await db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Import bench')`, [tenant]);
    let peak = process.memoryUsage().rss;
    const t0 = process.hrtime.bigint();
    const result = await importCustomers(plain ? withoutCopy(db) : db, tenant, file, () => {
      peak = Math.max(peak, process.memoryUsage().rss);
    });
    const s = seconds(t0);
    if (result.imported + result.rejected.length !== ROWS) throw new Error(`import accounted for ${result.imported} + ${result.rejected.length} of ${ROWS} rows`);
    return { rowsPerSecond: result.imported / s, peakRssMb: peak / 2 ** 20 };
  } finally {
    await db.close();
  }
}

const bench: Benchmark = {
  name: 'center-import',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-import-'));
    const pg = await startBenchPostgres();
    try {
      const file = path.join(dir, 'customers.csv');
      await writeCustomersCsv(file, ROWS);
      // Separate tenants, so both runs insert every row rather than the second updating the first's.
      const insert = await measure(pg.url, file, 'bench-insert', true);
      const copy = await measure(pg.url, file, 'bench-copy', false);
      return [
        { figure: `pg import ${ROWS} customers, COPY`, unit: 'rows/s', value: copy.rowsPerSecond, baseline: insert.rowsPerSecond },
        { figure: `pg import ${ROWS} customers, peak RSS`, unit: 'MB', value: copy.peakRssMb, baseline: insert.peakRssMb },
      ];
    } finally {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
