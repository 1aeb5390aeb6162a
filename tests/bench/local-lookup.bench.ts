// Local screen-pop lookup by phone number with 100,000 customers cached in SQLite: the desktop's
// path (identity -> customer -> profile + last 50 contacts) against a bare indexed SELECT by phone.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findCustomerIdByIdentity, openLocalDatabase, readScreenPop, touchCustomer, upsertCustomer, upsertInteraction } from '../../main/db/index';
import type { Customer, Interaction } from '../../shared/domain/entities';
import { percentile, timeMany, type Benchmark } from './harness';
import { benchCustomer } from './fixtures';

const CUSTOMERS = 100_000;
const INTERACTIONS_PER_CUSTOMER = 3;
const LOOKUPS = 20_000;

const uuid = (n: number, kind: number) => `00000000-0000-4000-8${kind}00-${n.toString(16).padStart(12, '0')}`;
const phone = (n: number) => `+8210${(10_000_000 + n).toString().padStart(8, '0')}`;

const customer = (n: number): Customer => benchCustomer(n, uuid(n, 1), phone(n));
function interaction(n: number, k: number): Interaction {
  return {
    id: uuid(n * INTERACTIONS_PER_CUSTOMER + k, 2),
    customerId: uuid(n, 1),
    channel: (['call', 'email', 'chat'] as const)[k % 3]!,
    direction: 'inbound',
    queue: 'general',
    agent: 'agent1',
    startedAt: new Date(Date.UTC(2026, 9, 1 + k, 9, 0, 0)).toISOString(),
    answeredAt: null,
    endedAt: null,
    ani: null,
    dnis: null,
    disposition: 'resolved',
    subject: null,
  };
}

const bench: Benchmark = {
  name: 'local-lookup',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-bench-lookup-'));
    try {
      const { db } = openLocalDatabase(path.join(dir, 'earshot.db'));
      db.transaction(() => {
        for (let n = 0; n < CUSTOMERS; n++) {
          upsertCustomer(db, customer(n), n);
          for (let k = 0; k < INTERACTIONS_PER_CUSTOMER; k++) upsertInteraction(db, interaction(n, k));
        }
      })();
      db.pragma('optimize');
      // Random callers, the same sequence for every measurement.
      let seed = 7;
      const callers = Array.from({ length: LOOKUPS }, () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return phone(seed % CUSTOMERS);
      });
      const bare = db.prepare("SELECT customer_id FROM identities WHERE kind = 'phone' AND value = ?");
      const baseline = timeMany(LOOKUPS, (i) => bare.get(callers[i]));
      const idOnly = timeMany(LOOKUPS, (i) => findCustomerIdByIdentity(db, 'phone', callers[i]!));
      const full = timeMany(LOOKUPS, (i) => {
        const id = findCustomerIdByIdentity(db, 'phone', callers[i]!);
        if (id) touchCustomer(db, id);
        if (!id || !readScreenPop(db, id)) throw new Error('a cached caller was not found');
      });
      db.close();
      const b50 = percentile(baseline, 50);
      const b95 = percentile(baseline, 95);
      return [
        { figure: `find caller by phone p50 (${CUSTOMERS / 1000}k customers)`, unit: 'ms', value: percentile(idOnly, 50), baseline: b50 },
        { figure: `find caller by phone p95 (${CUSTOMERS / 1000}k customers)`, unit: 'ms', value: percentile(idOnly, 95), baseline: b95 },
        { figure: 'full local screen pop p50 (profile + history)', unit: 'ms', value: percentile(full, 50), baseline: b50 },
        { figure: 'full local screen pop p95 (profile + history)', unit: 'ms', value: percentile(full, 95), baseline: b95 },
        { figure: 'full local screen pop p99 (profile + history)', unit: 'ms', value: percentile(full, 99), baseline: percentile(baseline, 99) },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
