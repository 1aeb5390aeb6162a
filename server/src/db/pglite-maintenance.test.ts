// The embedded center's stand-in for autovacuum (pglite-maintenance.ts): a grown table is analysed
// (and a plan made while it was small is replaced), growth is noticed after a restart lost PGlite's
// counters, dead rows are vacuumed, quiet tables are left alone; PostgreSQL is left to autovacuum.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import { statementName, type Db } from './db';
import { migrate } from './migrate';
import { startCenter } from '../index';
import { startTestCenter } from '../testing/center-client';
import { openDb } from './open';
import { openPglite } from './pglite';
import { startPgliteMaintenance, type PgliteMaintenance } from './pglite-maintenance';

/** No check of its own within a test: each check is the test's own tick(). */
const QUIET = { intervalMs: 3_600_000, checkNow: false };

const customerId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Customers `from`..`to` of tenant t1, ten contacts each, written as a center's calls would (no ANALYZE). */
async function grow(db: Db, from: number, to: number): Promise<void> {
  const id = `('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid`;
  await db.query(
    `INSERT INTO customers (id, tenant_id, display_name) SELECT ${id}, 't1', 'Customer ' || g FROM generate_series($1::int, $2::int) g`,
    [from, to],
  );
  await db.query(
    `INSERT INTO interactions (id, tenant_id, customer_id, channel, direction, queue, agent, started_at)
     SELECT gen_random_uuid(), 't1', ${id}, 'call', 'inbound', 'general', 'agent1', timestamptz '2026-01-01' + (k || ' days')::interval
       FROM generate_series($1::int, $2::int) g, generate_series(0, 9) k`,
    [from, to],
  );
}

/** Tables with pages on disk and no statistics (never analysed or vacuumed). */
const unanalysed = async (db: Db) =>
  (
    await db.query<{ relname: string }>(
      `SELECT c.relname FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE pg_relation_size(c.oid) > 0 AND c.reltuples < 0`,
    )
  ).map((r) => r.relname);

async function statsOf(db: Db, table: string) {
  const [row] = await db.query<{ reltuples: number; n_dead_tup: number; n_mod_since_analyze: number; n_ins_since_vacuum: number }>(
    `SELECT c.reltuples::float AS reltuples, s.n_dead_tup::int AS n_dead_tup, s.n_mod_since_analyze::int AS n_mod_since_analyze,
            s.n_ins_since_vacuum::int AS n_ins_since_vacuum
       FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = $1`,
    [table],
  );
  return row!;
}

/** PGlite publishes a transaction's counters a second or so later; waits until `ok` holds (5 s at most). */
async function untilStats(db: Db, table: string, ok: (s: Awaited<ReturnType<typeof statsOf>>) => boolean) {
  for (let i = 0; i < 50; i++) {
    if (ok(await statsOf(db, table))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${table}: counters never showed the change: ${JSON.stringify(await statsOf(db, table))}`);
}

describe('PGlite maintenance', () => {
  const open: Array<{ db: Db; m?: PgliteMaintenance; dir?: string }> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.m?.stop();
      await o.db.close();
      if (o.dir) rmSync(o.dir, { recursive: true, force: true });
    }
  });
  async function fresh(dir?: string) {
    const db = await openPglite(dir);
    const entry: (typeof open)[number] = { db, dir };
    open.push(entry);
    await migrate(db);
    await db.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'T1') ON CONFLICT DO NOTHING`);
    const maintenance = () => (entry.m = startPgliteMaintenance(db, {}, QUIET));
    return { db, maintenance };
  }

  it('analyses a table that grew, and a plan made while it was small gives way to one for its size', async () => {
    const { db, maintenance } = await fresh();
    await grow(db, 1, 30);
    const m = maintenance();
    await m.tick();
    // A screen pop's history read, prepared and run while the table is small: PostgreSQL settles on
    // one generic plan for it.
    const HISTORY = 'SELECT id FROM interactions WHERE tenant_id = $1 AND customer_id = $2 ORDER BY started_at DESC LIMIT 50';
    for (let i = 0; i < 8; i++) await db.query(HISTORY, ['t1', customerId(1 + i)], { prepare: true });
    const plan = async () =>
      (await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE ${statementName(HISTORY)}('t1', '${customerId(7)}')`)).map((r) => r['QUERY PLAN']).join('\n');
    expect(await plan()).toMatch(/Seq Scan on interactions/); // right for 300 rows

    await grow(db, 31, 3_000);
    expect(await plan()).toMatch(/Seq Scan on interactions/); // 30,000 rows now, and still the same plan
    const runs = await m.tick();
    expect(runs.map((r) => r.table)).toEqual(expect.arrayContaining(['customers', 'interactions']));
    expect((await statsOf(db, 'interactions')).reltuples).toBe(30_000);
    const after = await plan();
    expect(after).toMatch(/Index Scan on interactions_customer/); // one customer's contacts
    expect(after).not.toMatch(/Seq Scan/);
  });

  it('notices growth after a restart, when PGlite has forgotten its counters', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'earshot-maint-'));
    const before = await openPglite(dir);
    try {
      await migrate(before);
      await before.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'T1')`);
      await grow(before, 1, 100);
      const m = startPgliteMaintenance(before, {}, QUIET);
      await m.tick();
      await m.stop();
      await grow(before, 101, 1_000); // the center stops before its next check
    } finally {
      await before.close();
    }

    const { db, maintenance } = await fresh(dir);
    expect(await statsOf(db, 'interactions')).toMatchObject({ reltuples: 1_000, n_mod_since_analyze: 0 });
    const runs = await maintenance().tick();
    expect(runs.map((r) => r.table)).toContain('interactions');
    expect((await statsOf(db, 'interactions')).reltuples).toBe(10_000);
  });

  it('vacuums dead rows, and the next check finds nothing to do', async () => {
    const { db, maintenance } = await fresh();
    await grow(db, 1, 1_000);
    // Once the inserts are counted, the first check vacuums them as well as analysing them.
    await untilStats(db, 'interactions', (s) => s.n_ins_since_vacuum >= 10_000);
    const m = maintenance();
    await m.tick();

    await db.query(`UPDATE customers SET display_name = display_name || '.' WHERE tenant_id = 't1'`);
    await untilStats(db, 'customers', (s) => s.n_dead_tup >= 1_000);
    const runs = await m.tick();
    expect(runs.filter((r) => r.table === 'customers')).toEqual([expect.objectContaining({ action: 'vacuum analyze' })]);
    expect(runs.map((r) => r.table)).not.toContain('interactions'); // untouched since the last check
    await untilStats(db, 'customers', (s) => s.n_dead_tup === 0);
    expect(await m.tick()).toEqual([]);
  });

  it('stop waits for the check in progress, and later checks do nothing', async () => {
    const { db, maintenance } = await fresh();
    await grow(db, 1, 500);
    const m = maintenance();
    let settled = false;
    const inProgress = m.tick().finally(() => (settled = true));
    await m.stop();
    expect(settled).toBe(true);
    const done = await inProgress;
    expect(done.length).toBeLessThanOrEqual(1); // the table being maintained when stop came, at most
    expect(await m.tick()).toEqual([]);
    expect((await statsOf(db, 'interactions')).reltuples).toBeLessThan(0); // never analysed
  });
});

/** A center started on a PGlite directory whose tables were filled after the last start-up check. */
async function centerRestartedOnPglite(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'earshot-maint-center-'));
  try {
    // Seeded after the first center's start-up check, so its tables are left unanalysed.
    const first = await startTestCenter({ dataDir });
    expect(await unanalysed(first.center.db)).toContain('customers');
    await first.stop();

    const center = await startCenter({ dataDir, port: 0, logLevel: 'silent' });
    try {
      let tables = await unanalysed(center.db);
      for (let i = 0; i < 50 && tables.length > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        tables = await unanalysed(center.db);
      }
      expect(tables).toEqual([]);
      expect((await statsOf(center.db, 'customers')).reltuples).toBeGreaterThan(0);
    } finally {
      await center.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

forEachDriver('center database maintenance', ({ driver, freshDatabase }) => {
  it(driver === 'pg' ? 'leaves PostgreSQL to its autovacuum' : 'gives every table with rows its statistics when a center starts on PGlite', async () => {
    if (driver === 'pglite') return centerRestartedOnPglite();
    const db = await openDb(await freshDatabase());
    try {
      expect(() => startPgliteMaintenance(db)).toThrow(/autovacuum/);
      expect((await db.query<{ on: string }>('SELECT current_setting($1) AS on', ['autovacuum']))[0]!.on).toBe('on');
    } finally {
      await db.close();
    }
  });
});
