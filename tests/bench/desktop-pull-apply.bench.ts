// Applying pulled pages (customers with their history) to the local SQLite through applyPullPage, against
// a raw transaction per page of the same inserts with no parsing or bookkeeping.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyPullPage, openLocalDatabase, type Db } from '../../main/db/index';
import { withRelaxedSync } from '../../main/db/pull-apply';
import type { Customer, Interaction } from '../../shared/domain/entities';
import type { Change } from '../../shared/protocol/index';
import { INTERACTIONS_PER_CUSTOMER, localPhone } from './desktop-screen-pop-1m.bench';
import type { Benchmark } from './harness';
import { benchCustomer } from './fixtures';

const CUSTOMERS = Number(process.env.BENCH_PULL_APPLY_CUSTOMERS ?? 10_000);
const PAGE = 500; // the desktop sync engine's default pull page
const ROUNDS = Number(process.env.BENCH_PULL_APPLY_ROUNDS ?? 3);

const customerId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const customer = (n: number): Customer => benchCustomer(n, customerId(n), localPhone(n));

function interaction(n: number, k: number): Interaction {
  return {
    id: `${n.toString(16).padStart(8, '0')}-${k.toString(16).padStart(4, '0')}-4000-9000-000000000000`,
    customerId: customerId(n),
    channel: (['call', 'email', 'chat'] as const)[k % 3]!,
    direction: 'inbound',
    queue: 'general',
    agent: 'agent1',
    startedAt: new Date(Date.UTC(2026, 0, 1 + k, 9, 0, n % 3600)).toISOString(),
    answeredAt: null,
    endedAt: null,
    ani: null,
    dnis: null,
    disposition: 'resolved',
    subject: null,
  };
}

/** The bootstrap stream as the center sends it: each customer, then its history, in pages. */
function pages(): Array<{ changes: Change[]; cursor: string; reset: boolean }> {
  const all: Change[] = [];
  for (let n = 1; n <= CUSTOMERS; n++) {
    all.push({ version: String(all.length + 1), entity: 'customer', id: customerId(n), op: 'upsert', data: customer(n) });
    for (let k = 0; k < INTERACTIONS_PER_CUSTOMER; k++) {
      const i = interaction(n, k);
      all.push({ version: String(all.length + 1), entity: 'interaction', id: i.id, op: 'upsert', data: i });
    }
  }
  const out = [];
  for (let i = 0; i < all.length; i += PAGE) {
    const changes = all.slice(i, i + PAGE);
    out.push({ changes, cursor: changes[changes.length - 1]!.version, reset: false });
  }
  return out;
}

/**
 * The same rows written by prepared INSERTs in one transaction per page: nothing validated, nothing
 * tracked; committed with the same durability as a pull page (synchronous = NORMAL).
 */
function rawApply(db: Db, list: ReturnType<typeof pages>): void {
  const c = db.prepare('INSERT INTO customers (id, display_name, provisional, updated_at, data, touched_at) VALUES (?, ?, 0, ?, ?, 0)');
  const idn = db.prepare('INSERT INTO identities (customer_id, kind, value) VALUES (?, ?, ?)');
  const i = db.prepare('INSERT INTO interactions (id, customer_id, started_at, data) VALUES (?, ?, ?, ?)');
  for (const page of list) {
    withRelaxedSync(db, () => db.transaction(() => {
      for (const ch of page.changes) {
        if (ch.entity === 'customer') {
          const cu = ch.data as Customer;
          c.run(cu.id, cu.displayName, cu.updatedAt, JSON.stringify(cu));
          for (const id of cu.identities) idn.run(cu.id, id.kind, id.value);
        } else {
          const it = ch.data as Interaction;
          i.run(it.id, it.customerId, it.startedAt, JSON.stringify(it));
        }
      }
    })());
  }
}

/** Rows per second of `apply` over every page, on a fresh database file. */
function rateOf(file: string, list: ReturnType<typeof pages>, rows: number, apply: (db: Db, list: ReturnType<typeof pages>) => number): number {
  const { db } = openLocalDatabase(file);
  try {
    const t0 = process.hrtime.bigint();
    const applied = apply(db, list);
    const rate = rows / (Number(process.hrtime.bigint() - t0) / 1e9);
    const stored = (db.prepare('SELECT (SELECT count(*) FROM customers) + (SELECT count(*) FROM interactions) AS n').get() as { n: number }).n;
    if (applied !== rows || stored !== rows) throw new Error(`applied ${applied} and stored ${stored} of ${rows} pulled rows`);
    return rate;
  } finally {
    db.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const bench: Benchmark = {
  name: 'desktop-pull-apply',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-pullapply-'));
    try {
      const list = pages();
      const rows = list.reduce((s, p) => s + p.changes.length, 0);
      // Raw and real runs alternate on fresh files, so a burst of load from a neighbour on this shared
      // machine does not land on one side only; each side reports its median.
      const raw: number[] = [];
      const real: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        raw.push(
          rateOf(path.join(dir, `raw-${round}.db`), list, rows, (db, l) => {
            rawApply(db, l);
            return rows;
          }),
        );
        real.push(
          rateOf(path.join(dir, `real-${round}.db`), list, rows, (db, l) => {
            let applied = 0;
            for (const page of l) applied += applyPullPage(db, page).applied;
            return applied;
          }),
        );
      }
      const rate = median(real);
      return [
        {
          figure: `apply pulled pages of ${PAGE} (${CUSTOMERS / 1000}k customers + ${(CUSTOMERS * INTERACTIONS_PER_CUSTOMER) / 1000}k interactions; median of ${ROUNDS})`,
          unit: 'rows/s',
          value: rate,
          baseline: median(raw),
          goal: { text: '≥ 50,000 rows/s', met: rate >= 50_000 },
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
