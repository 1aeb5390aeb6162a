// Imports a real purchases CSV after a customer import, on PGlite (and PostgreSQL when the harness has one).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { importCustomers } from './customers';
import { importPurchases } from './purchases';

const dir = mkdtempSync(join(tmpdir(), 'earshot-purchases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

forEachDriver('importPurchases', ({ freshDatabase }) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await db.query(`INSERT INTO tenants (id, name) VALUES ('p', 'Purchases test')`);
    await importCustomers(db, 'p', file('c.csv', 'external_id,display_name\nC-1,Kim\nC-2,Lee\n'));
  });
  afterAll(async () => {
    await db.close();
  });

  const stored = () =>
    db.query<{ id: string; external_id: string; at: Date; amount: string }>(
      `SELECT p.id, c.external_id, p.at, p.amount::text AS amount
         FROM purchases p JOIN customers c ON c.id = p.customer_id WHERE p.tenant_id = 'p' ORDER BY p.id`,
    );

  it('stores valid purchases against their customers and reports the rest by line', async () => {
    const result = await importPurchases(
      db,
      'p',
      file(
        'p1.csv',
        'Amount,at,external_id,purchase_id\n' +
          '15900,2026-03-01,C-1,P-1\n' +
          '-2000.5,2026-03-02T14:05:00+09:00,C-1,P-2\n' +
          '100,2026-03-03 10:00,C-2,P-3\n' +
          '100,yesterday,C-2,P-4\n' +
          '1e5,2026-03-04,C-2,P-5\n' +
          '100,2026-03-05,NOBODY,P-6\n',
      ),
    );
    expect(result).toEqual({
      rows: 6,
      imported: 3,
      discarded: 0,
      rejected: [
        { line: 5, reason: expect.stringMatching(/Column at is not a date/) },
        { line: 6, reason: expect.stringMatching(/Column amount is not an amount/) },
        { line: 7, reason: expect.stringMatching(/No customer has this external_id/) },
      ],
    });
    const rows = await stored();
    expect(rows.map((r) => [r.id, r.external_id, new Date(r.at).toISOString(), r.amount])).toEqual([
      ['P-1', 'C-1', '2026-03-01T00:00:00.000Z', '15900.00'],
      ['P-2', 'C-1', '2026-03-02T05:05:00.000Z', '-2000.50'],
      ['P-3', 'C-2', '2026-03-03T10:00:00.000Z', '100.00'],
    ]);
  });

  it('refuses dates that do not exist and control characters as row errors, and keeps the good rows', async () => {
    const result = await importPurchases(
      db,
      'p',
      file(
        'p3.csv',
        'purchase_id,external_id,at,amount\n' +
          'P-10,C-1,2026-02-30,100\n' +
          'P-11,C-1,0000-01-01,100\n' +
          'P-12,C-1,2026-03-01T24:00:00Z,100\n' +
          'P-13\u0000,C-1,2026-03-01,100\n' +
          'P-14,C-1,2024-02-29,100\n',
      ),
    );
    expect([result.rows, result.imported, result.rejected.map((r) => r.line)]).toEqual([5, 1, [2, 3, 4, 5]]);
    for (const r of result.rejected.slice(0, 3)) expect(r.reason).toMatch(/Column at is not a date/);
    expect(result.rejected[3]!.reason).toMatch(/Column purchase_id holds an invisible control character \(U\+0000\) at character 5/);
    expect((await stored()).filter((r) => r.id.startsWith('P-1') && r.id.length === 4).map((r) => [r.id, new Date(r.at).toISOString()])).toEqual([
      ['P-14', '2024-02-29T00:00:00.000Z'],
    ]);
  });

  it('upserts by purchase id', async () => {
    const result = await importPurchases(db, 'p', file('p2.csv', 'purchase_id,external_id,at,amount\nP-3,C-1,2026-03-03,250\n'));
    expect(result).toEqual({ rows: 1, imported: 1, discarded: 0, rejected: [] });
    const p3 = (await stored()).find((r) => r.id === 'P-3');
    expect([p3?.external_id, p3?.amount]).toEqual(['C-1', '250.00']);
    expect(await stored()).toHaveLength(4);
  });

  it('inserts until a row meets a stored purchase, then upserts the rest: a later row wins, an unchanged row is not written again', async () => {
    // D-1 twice: the second starts a batch of its own (one statement cannot write a row twice), whose
    // plain insert meets the first and is rolled back to its savepoint and upserted with its batch.
    const twice = file('d.csv', 'purchase_id,external_id,at,amount\nD-1,C-1,2026-06-01,10\nD-2,C-2,2026-06-02,20\nD-1,C-2,2026-06-03,30\nD-3,NOBODY,2026-06-03,5\n');
    const first = await importPurchases(db, 'p', twice);
    expect([first.rows, first.imported, first.rejected.map((r) => r.line)]).toEqual([4, 3, [5]]);
    const ds = async () =>
      db.query<{ id: string; external_id: string; amount: string; version: string }>(
        `SELECT p.id, c.external_id, p.amount::text AS amount, p.xmin::text AS version
           FROM purchases p JOIN customers c ON c.id = p.customer_id WHERE p.tenant_id = 'p' AND p.id LIKE 'D-%' ORDER BY p.id`,
      );
    const after = await ds();
    expect(after.map((r) => [r.id, r.external_id, r.amount])).toEqual([
      ['D-1', 'C-2', '30.00'],
      ['D-2', 'C-2', '20.00'],
    ]);
    // The same file again: every row meets itself. D-2 is unchanged, so its row version is too; D-1 is
    // written twice again (back to its first row, then to its second) and ends as it was.
    const again = await importPurchases(db, 'p', twice);
    expect([again.imported, again.rejected.map((r) => r.line)]).toEqual([3, [5]]);
    const reimported = await ds();
    expect(reimported[1]).toEqual(after[1]);
    expect(reimported.map((r) => [r.id, r.external_id, r.amount])).toEqual(after.map((r) => [r.id, r.external_id, r.amount]));
  });

  it('reports broken rows, bad amounts and unknown customers by line in a batch of good ones, applying the good rows whole', async () => {
    const good = Array.from({ length: 30 }, (_, i) => `B-${i},C-${(i % 2) + 1},2026-04-0${(i % 9) + 1},${i}.5`);
    const result = await importPurchases(
      db,
      'p',
      file(
        'p4.csv',
        ['purchase_id,external_id,at,amount', ...good.slice(0, 10), 'B-X1,C-1,2026-04-01', 'B-X2,C-1,2026-04-01,12.345', 'B-X3,C-1,2026-04-01,"1,000"',
          'B-X4,C-9,2026-04-01,5', ...good.slice(10), 'B-X5,C-1,"2026-04-01,5'].join('\n') + '\n',
      ),
    );
    expect([result.rows, result.imported]).toEqual([35, 30]);
    expect(result.rejected.map((r) => r.line)).toEqual([12, 13, 14, 15, 36]);
    expect(result.rejected[0]!.reason).toMatch(/3 fields but the header has 4/);
    expect(result.rejected[1]!.reason).toMatch(/Column amount is not an amount/);
    expect(result.rejected[2]!.reason).toMatch(/Column amount is not an amount/);
    expect(result.rejected[3]!.reason).toMatch(/No customer has this external_id/);
    expect(result.rejected[4]!.reason).toMatch(/quoted field is never closed/);
    const [count] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM purchases WHERE tenant_id = 'p' AND id LIKE 'B-%'`);
    expect(count?.n).toBe(30);
  });

  it('all or nothing: one bad row and no row applies, the bad rows listed; a clean file applies whole', async () => {
    const bad = file('p5.csv', 'purchase_id,external_id,at,amount\nA-1,C-1,2026-05-01,10\nA-2,NOBODY,2026-05-01,10\nA-3,C-2,2026-05-32,10\n');
    const refused = await importPurchases(db, 'p', bad, undefined, { allOrNothing: true });
    expect(refused).toEqual({
      rows: 3,
      imported: 0,
      discarded: 1,
      rejected: [
        { line: 3, reason: expect.stringMatching(/No customer has this external_id/) },
        { line: 4, reason: expect.stringMatching(/Column at is not a date/) },
      ],
    });
    expect((await stored()).filter((r) => r.id.startsWith('A-'))).toEqual([]);
    const clean = file('p6.csv', 'purchase_id,external_id,at,amount\nA-1,C-1,2026-05-01,10\nA-2,C-2,2026-05-02,20\n');
    expect(await importPurchases(db, 'p', clean, undefined, { allOrNothing: true })).toEqual({ rows: 2, imported: 2, discarded: 0, rejected: [] });
    expect((await stored()).filter((r) => r.id.startsWith('A-')).map((r) => [r.id, r.amount])).toEqual([
      ['A-1', '10.00'],
      ['A-2', '20.00'],
    ]);
  });

  it('refuses an empty file and a wrong header, saying what to do, and applies nothing', async () => {
    await expect(importPurchases(db, 'p', file('e.csv', ''))).rejects.toThrow(/empty\. Its first row must name the columns purchase_id, external_id, at, amount/);
    await expect(importPurchases(db, 'p', file('h.csv', 'id,customer,date,total\nP-9,C-1,2026-01-01,1\n'))).rejects.toThrow(
      /no purchase_id and no external_id and no at and no amount column/,
    );
    await expect(importPurchases(db, 'p', file('h2.csv', 'purchase_id,external_id,at\nP-9,C-1,2026-01-01\n'))).rejects.toThrow(/no amount column/);
    expect((await stored()).some((r) => r.id === 'P-9')).toBe(false);
  });

  it('keeps tenants apart: a purchase names a customer of its own tenant only', async () => {
    await db.query(`INSERT INTO tenants (id, name) VALUES ('q', 'Other')`);
    const result = await importPurchases(db, 'q', file('q.csv', 'purchase_id,external_id,at,amount\nP-1,C-1,2026-01-01,1\n'));
    expect(result.rejected).toEqual([{ line: 2, reason: expect.stringMatching(/No customer has this external_id/) }]);
  });

  it('writes no purchase whose customer is missing or of another tenant: the import keeps what the dropped keys kept (migration 0026)', async () => {
    const [keys] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_constraint WHERE conrelid = 'purchases'::regclass AND contype = 'f'`);
    expect(keys?.n).toBe(0);
    await db.query(`INSERT INTO tenants (id, name) VALUES ('r', 'Third')`);
    await importCustomers(db, 'r', file('rc.csv', 'external_id,display_name\nR-1,Park\n'));
    // R-1 is tenant r's customer: tenant p's purchase naming it is rejected, as is r's naming p's C-1.
    const intoP = await importPurchases(db, 'p', file('x1.csv', 'purchase_id,external_id,at,amount\nX-1,R-1,2026-01-01,1\nX-2,C-1,2026-01-01,2\n'));
    const intoR = await importPurchases(db, 'r', file('x2.csv', 'purchase_id,external_id,at,amount\nX-1,C-1,2026-01-01,1\nX-2,R-1,2026-01-01,2\n'));
    expect([intoP.imported, intoP.rejected.map((r) => r.line), intoR.imported, intoR.rejected.map((r) => r.line)]).toEqual([1, [2], 1, [2]]);
    const [all] = await db.query<{ n: number; orphans: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE c.id IS NULL)::int AS orphans
         FROM purchases p LEFT JOIN customers c ON c.id = p.customer_id AND c.tenant_id = p.tenant_id`,
    );
    expect(all?.n).toBeGreaterThan(30);
    expect(all?.orphans).toBe(0);
  });
});
