// The local SQLite file's size per 100k customers with their history (10 contacts each), against the
// bytes of the JSON the rows carry (what any store would have to keep).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openLocalDatabase } from '../../main/db/index';
import { INTERACTIONS_PER_CUSTOMER, loadLocalCustomers } from './desktop-screen-pop-1m.bench';
import type { Benchmark } from './harness';

const CUSTOMERS = Number(process.env.BENCH_DB_SIZE_CUSTOMERS ?? 100_000);
const MB = 1024 * 1024;

const bench: Benchmark = {
  name: 'desktop-db-size',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-dbsize-'));
    try {
      const file = path.join(dir, 'earshot.db');
      const { db } = openLocalDatabase(file);
      loadLocalCustomers(db, CUSTOMERS);
      const payload = (
        db.prepare('SELECT (SELECT sum(length(data)) FROM customers) + (SELECT sum(length(data)) FROM interactions) AS bytes').get() as { bytes: number }
      ).bytes;
      // The WAL is folded into the file, as it is after any idle checkpoint.
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
      const per100k = 100_000 / CUSTOMERS;
      return [
        {
          figure: `local database per 100k customers with ${INTERACTIONS_PER_CUSTOMER} contacts each (loaded ${CUSTOMERS / 1000}k)`,
          unit: 'MB',
          value: (statSync(file).size / MB) * per100k,
          baseline: (payload / MB) * per100k,
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
