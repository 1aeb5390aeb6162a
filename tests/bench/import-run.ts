// One measured import, in its own process so that its peak RSS is its own (the kernel's high-water
// mark for this process alone). center-import.bench.ts bundles it (as the center's CLI is bundled)
// and runs `node import-run.mjs JOB`, where JOB is JSON
// { url, kind: 'customers' | 'purchases' | 'values', file, tenant, plain }. Prints one JSON line.
import type { Db } from '../../server/src/db/db';
import { openDb } from '../../server/src/db/open';
import { importCustomers } from '../../server/src/import/customers';
import { importPurchases } from '../../server/src/import/purchases';
import { recomputeCustomerValues } from '../../server/src/value/customer-values';

interface Job {
  url: string;
  kind: 'customers' | 'purchases' | 'values';
  file: string;
  tenant: string;
  /** Take the plain INSERT … jsonb_to_recordset path: the same import on transactions without copyRows. */
  plain: boolean;
}

const withoutCopy = (db: Db): Db => ({
  ...db,
  driver: db.driver,
  query: (sql, params) => db.query(sql, params),
  exec: (sql) => db.exec(sql),
  tx: (fn, opts) => db.tx((q) => fn({ query: q.query, exec: q.exec }), opts),
  close: () => db.close(),
});

const job = JSON.parse(process.argv[2] ?? '{}') as Job;
const db = await openDb({ databaseUrl: job.url });
try {
  const target = job.plain ? withoutCopy(db) : db;
  const rssBefore = process.memoryUsage().rss;
  const t0 = process.hrtime.bigint();
  let rows = 0;
  let imported = 0;
  if (job.kind === 'customers') {
    const r = await importCustomers(target, job.tenant, job.file);
    [rows, imported] = [r.rows, r.imported];
  } else if (job.kind === 'purchases') {
    const r = await importPurchases(target, job.tenant, job.file);
    [rows, imported] = [r.rows, r.imported];
  } else {
    imported = (await recomputeCustomerValues(db, job.tenant)).changed;
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // maxRSS is in kilobytes: the most this process ever held, sampled by the kernel, not by us.
  console.log(JSON.stringify({ rows, imported, seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, startRssMb: rssBefore / 2 ** 20 }));
} finally {
  await db.close();
}
