// `earshot-center import customers` then `import purchases` on a PGlite directory and on PostgreSQL:
// progress, rejected lines with their numbers, exit codes, all-or-nothing, and customer value
// recomputed from the imported purchases.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CustomerValue } from '../../../shared/domain';
import { forEachDriver } from '../../../tests/support/postgres';
import { openDb } from '../db/open';
import { runCli } from '../testing/cli';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'earshot-import-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let fileNo = 0;
const csv = (content: string): string => {
  const file = path.join(scratch, `f-${++fileNo}.csv`);
  writeFileSync(file, content);
  return file;
};

forEachDriver('import commands', ({ driver, freshDatabase }) => {
  let target: { dataDir?: string; databaseUrl?: string } = {};

  const cli = (...args: string[]) => runCli(target, args);

  async function values(): Promise<Map<string, CustomerValue | null>> {
    const db = await openDb(target);
    try {
      const rows = await db.query<{ external_id: string; value: CustomerValue | null }>(`SELECT external_id, value FROM customers WHERE tenant_id = 'shop'`);
      return new Map(rows.map((r) => [r.external_id, r.value]));
    } finally {
      await db.close();
    }
  }

  beforeAll(async () => {
    target = driver === 'pg' ? await freshDatabase() : { dataDir: path.join(mkdtempSync(path.join(scratch, 'dir-')), 'center') };
    const db = await openDb(target);
    await db.query(`INSERT INTO tenants (id, name) VALUES ('shop', 'Shop')`);
    await db.close();
  });

  it('imports customers, then their purchases, and recomputes customer value from them', async () => {
    const customers = await cli('import', 'customers', csv('external_id,display_name\nC-1,Kim\nC-2,Lee\n'), '--tenant', 'shop');
    expect([customers.code, customers.out]).toEqual([0, 'Imported 2 of 2 rows; 0 rejected.\n']);
    const now = Date.now();
    const day = (n: number) => new Date(now - n * 86_400_000).toISOString().slice(0, 10);
    const r = await cli(
      'import',
      'purchases',
      csv(`purchase_id,external_id,at,amount\nP-1,C-1,${day(200)},100\nP-2,C-1,${day(150)},50.5\nP-3,C-2,${day(10)},20\nP-4,C-3,${day(10)},20\nP-5,C-2,soon,20\n`),
      '--tenant',
      'shop',
    );
    expect(r.code).toBe(2);
    expect(r.out).toBe(
      'Imported 3 of 5 rows; 2 rejected.\nCustomer value recomputed: 2 customers changed.\n' +
        '  line 5: No customer has this external_id. Import the customer first, then this purchase.\n' +
        '  line 6: Column at is not a date such as 2026-03-01 or 2026-03-01T14:05:00+09:00.\n',
    );
    expect(r.err).toMatch(/\r5 rows, 3 imported, 2 rejected/);
    expect(r.err).toMatch(/Recomputing customer value/);
    const v = await values();
    // Two customers: C-1 bought more, more often, but not lately.
    expect(v.get('C-1')).toEqual({ recency: 2, frequency: 4, monetary: 4, lifetimeValue: 150.5, tier: 'at_risk' });
    expect(v.get('C-2')).toEqual({ recency: 4, frequency: 2, monetary: 2, lifetimeValue: 20, tier: 'new' });
  });

  it('with --all-or-nothing, one bad row keeps every row out and says so', async () => {
    const bad = await cli('import', 'purchases', csv('purchase_id,external_id,at,amount\nP-6,C-2,2026-01-01,1000\nP-7,C-2,2026-01-01,ten\n'), '--tenant', 'shop', '--all-or-nothing');
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/^Imported nothing: 1 of 2 rows were rejected and --all-or-nothing was given\./);
    expect(bad.out).toMatch(/line 3: Column amount is not an amount/);
    expect(bad.out).not.toMatch(/recomputed/);
    expect((await values()).get('C-2')).toMatchObject({ lifetimeValue: 20 });
    const good = await cli('import', 'purchases', csv('purchase_id,external_id,at,amount\nP-6,C-2,2026-01-01,1000\n'), '--tenant', 'shop', '--all-or-nothing');
    expect([good.code, good.out]).toEqual([0, 'Imported 1 of 1 rows; 0 rejected.\nCustomer value recomputed: 2 customers changed.\n']);
    expect((await values()).get('C-2')).toMatchObject({ lifetimeValue: 1020 });
  });

  it('refuses an empty file, a wrong header and a missing --tenant with what to do', async () => {
    const empty = await cli('import', 'purchases', csv(''), '--tenant', 'shop');
    expect([empty.code, empty.err]).toEqual([1, expect.stringMatching(/The CSV file is empty\. Its first row must name the columns purchase_id, external_id, at, amount/)]);
    const header = await cli('import', 'purchases', csv('id,amount\n1,2\n'), '--tenant', 'shop');
    expect([header.code, header.err]).toEqual([1, expect.stringMatching(/no purchase_id and no external_id and no at column/)]);
    const noTenant = await cli('import', 'purchases', csv('purchase_id,external_id,at,amount\n'));
    expect([noTenant.code, noTenant.err]).toEqual([64, expect.stringMatching(/Missing --tenant/)]);
  });
});
