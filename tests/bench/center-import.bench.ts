// `npm run center -- import customers` and `import purchases` on PostgreSQL: files streamed through COPY
// into staging and applied set-based, at 200k and 1M rows. Each import runs in its own process
// (import-run.ts, bundled like the center's CLI, so no TypeScript compiler sits in its memory), so its
// peak RSS is its own and not the high-water mark of a run before it.
// Baselines: the same import through the plain INSERT … jsonb_to_recordset path (no COPY) at 200k
// rows; for 1M rows, the same import at 200k (rows/s should hold, and memory should not grow).
import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startBenchPostgres } from './center-push-drain.bench';
import type { Benchmark, BenchRow } from './harness';

const SMALL = Number(process.env.BENCH_IMPORT_ROWS ?? 200_000);
const LARGE = Number(process.env.BENCH_IMPORT_LARGE_ROWS ?? 1_000_000);
const RATE_GOAL = 50_000;
const RSS_GOAL_MB = 250;

/** Streams the file out so the bench itself never holds all rows. */
async function writeCsv(file: string, header: string, rows: number, line: (n: number) => string): Promise<void> {
  const out = createWriteStream(file);
  out.write(`${header}\n`);
  for (let n = 1; n <= rows; n++) {
    if (!out.write(line(n))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}
const customerLine = (n: number) => `C-${n},"Customer ${n}, 고객",0101${String(n).padStart(7, '0')},c${n}@example.com,ko,retail,yes\n`;
/** Purchases spread over `customers` customers and two years, amounts with and without decimals. */
const purchaseLine = (customers: number) => (n: number) =>
  `P-${n},C-${((n * 7919) % customers) + 1},${new Date(Date.UTC(2025, 0, 1) + (n % 730) * 86_400_000 + (n % 86_400) * 1000).toISOString()},${(n % 500) * 100 + (n % 3 === 0 ? 0.5 : 0)}\n`;

interface Measured {
  rows: number;
  imported: number;
  seconds: number;
  peakRssMb: number;
}

const root = path.resolve(import.meta.dirname, '../..');
/** Where the bundled worker goes: inside the repository, so its npm packages resolve from node_modules. */
const worker = path.join(root, 'node_modules/.cache/earshot-bench/import-run.mjs');

async function measure(url: string, kind: 'customers' | 'purchases' | 'values', file: string, tenant: string, plain = false): Promise<Measured> {
  const { stdout } = await promisify(execFile)(process.execPath, [worker, JSON.stringify({ url, kind, file, tenant, plain })], {
    cwd: root,
    maxBuffer: 1 << 20,
  });
  const m = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Measured;
  if (kind !== 'values' && m.imported !== m.rows) throw new Error(`${kind} import kept ${m.imported} of ${m.rows} rows`);
  return m;
}

/**
 * The speed of COPY itself on this machine now: the same purchases, their customers resolved beforehand,
 * COPYed straight into the purchases table (its primary key the only index) in one transaction, with
 * no validation, no staging and no upsert. What the import can at best approach.
 */
async function rawCopyRate(url: string, file: string, customersOf: string, tenant: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const ids = new Map((await client.query<{ external_id: string; id: string }>('SELECT external_id, id FROM customers WHERE tenant_id = $1', [customersOf])).rows.map((r) => [r.external_id, r.id]));
    const t0 = process.hrtime.bigint();
    await client.query('BEGIN');
    const copy = client.query(copyFrom('COPY purchases (id, tenant_id, customer_id, at, amount) FROM STDIN WITH (FORMAT csv)'));
    const done = new Promise<void>((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    let rows = 0;
    let header = true;
    for await (const line of createInterface({ input: createReadStream(file) })) {
      if (header || line === '') {
        header = false;
        continue;
      }
      const [id, externalId, at, amount] = line.split(',');
      rows += 1;
      if (!copy.write(`${id},${tenant},${ids.get(externalId!)},${at},${amount}\n`)) await once(copy, 'drain');
    }
    copy.end();
    await done;
    await client.query('COMMIT');
    return rows / (Number(process.hrtime.bigint() - t0) / 1e9);
  } finally {
    await client.end();
  }
}

const bench: Benchmark = {
  name: 'center-import',
  async run(): Promise<BenchRow[]> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-import-'));
    await build({
      entryPoints: [path.join(import.meta.dirname, 'import-run.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      outfile: worker,
      logLevel: 'warning',
    });
    const server = await startBenchPostgres();
    try {
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      // Migrate once, then give each measurement its own tenant so every run inserts every row.
      await (await import('../../server/src/db/open')).openDb({ databaseUrl: server.url }).then((db) => db.close());
      await admin.query(`INSERT INTO tenants (id, name) VALUES ('plain', 'Plain'), ('small', 'Small'), ('large', 'Large'), ('raw', 'Raw COPY')`);
      await admin.end();

      const customersSmall = path.join(dir, 'customers-small.csv');
      const customersLarge = path.join(dir, 'customers-large.csv');
      const purchasesSmall = path.join(dir, 'purchases-small.csv');
      const purchasesLarge = path.join(dir, 'purchases-large.csv');
      const header = 'external_id,display_name,phone,email,language,segment,consent_phone';
      await writeCsv(customersSmall, header, SMALL, customerLine);
      await writeCsv(customersLarge, header, LARGE, customerLine);
      // Purchases of 100k customers (the small tenant's first 100k; the large tenant has them too).
      const buyers = Math.min(SMALL, 100_000);
      await writeCsv(purchasesSmall, 'purchase_id,external_id,at,amount', SMALL, purchaseLine(buyers));
      await writeCsv(purchasesLarge, 'purchase_id,external_id,at,amount', LARGE, purchaseLine(buyers));

      const plainCustomers = await measure(server.url, 'customers', customersSmall, 'plain', true);
      const smallCustomers = await measure(server.url, 'customers', customersSmall, 'small');
      const largeCustomers = await measure(server.url, 'customers', customersLarge, 'large');
      const plainPurchases = await measure(server.url, 'purchases', purchasesSmall, 'plain', true);
      const smallPurchases = await measure(server.url, 'purchases', purchasesSmall, 'small');
      const largePurchases = await measure(server.url, 'purchases', purchasesLarge, 'large');
      const rawCopy = await rawCopyRate(server.url, purchasesLarge, 'large', 'raw');
      const smallValues = await measure(server.url, 'values', '', 'small');
      const largeValues = await measure(server.url, 'values', '', 'large');

      const rate = (m: Measured) => m.imported / m.seconds;
      const rateGoal = (m: Measured) => ({ text: `≥ ${RATE_GOAL.toLocaleString('en')} rows/s`, met: rate(m) >= RATE_GOAL });
      const rssGoal = (m: Measured) => ({ text: `≤ ${RSS_GOAL_MB} MB`, met: m.peakRssMb <= RSS_GOAL_MB });
      const k = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : `${n / 1000}k`);
      return [
        { figure: `pg import ${k(SMALL)} customers, COPY (baseline: plain INSERT)`, unit: 'rows/s', value: rate(smallCustomers), baseline: rate(plainCustomers), goal: rateGoal(smallCustomers) },
        { figure: `pg import ${k(SMALL)} customers, peak RSS (baseline: plain INSERT)`, unit: 'MB', value: smallCustomers.peakRssMb, baseline: plainCustomers.peakRssMb, goal: rssGoal(smallCustomers) },
        { figure: `pg import ${k(LARGE)} customers, COPY (baseline: ${k(SMALL)})`, unit: 'rows/s', value: rate(largeCustomers), baseline: rate(smallCustomers), goal: rateGoal(largeCustomers) },
        { figure: `pg import ${k(LARGE)} customers, peak RSS (baseline: ${k(SMALL)})`, unit: 'MB', value: largeCustomers.peakRssMb, baseline: smallCustomers.peakRssMb, goal: rssGoal(largeCustomers) },
        { figure: `pg import ${k(SMALL)} purchases, COPY (baseline: plain INSERT)`, unit: 'rows/s', value: rate(smallPurchases), baseline: rate(plainPurchases), goal: rateGoal(smallPurchases) },
        { figure: `pg import ${k(SMALL)} purchases, peak RSS (baseline: plain INSERT)`, unit: 'MB', value: smallPurchases.peakRssMb, baseline: plainPurchases.peakRssMb, goal: rssGoal(smallPurchases) },
        { figure: `pg import ${k(LARGE)} purchases, COPY (baseline: ${k(SMALL)})`, unit: 'rows/s', value: rate(largePurchases), baseline: rate(smallPurchases), goal: rateGoal(largePurchases) },
        { figure: `pg import ${k(LARGE)} purchases, COPY (baseline: raw COPY into purchases, no checks)`, unit: 'rows/s', value: rate(largePurchases), baseline: rawCopy },
        { figure: `pg import ${k(LARGE)} purchases, peak RSS (baseline: ${k(SMALL)})`, unit: 'MB', value: largePurchases.peakRssMb, baseline: smallPurchases.peakRssMb, goal: rssGoal(largePurchases) },
        { figure: `pg value recompute, ${k(buyers)} customers / ${k(LARGE)} purchases (baseline: ${k(SMALL)} purchases)`, unit: 's', value: largeValues.seconds, baseline: smallValues.seconds },
      ];
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
