// Imports real CSV files from a temp dir into a real database (PGlite always; PostgreSQL when the harness has one).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import type { Db } from '../db/db';
import { openDb } from '../db/open';
import { loadCustomers } from '../db/records';
import { CUSTOMER_BATCH_ROWS, importCustomers, type ImportProgress } from './customers';
import { currentVersion } from '../sync/change-log';

const dir = mkdtempSync(join(tmpdir(), 'earshot-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const csvFile = (content: string | Buffer): string => {
  const path = join(dir, `customers-${++fileNo}.csv`);
  writeFileSync(path, content);
  return path;
};

forEachDriver('importCustomers', ({ freshDatabase }) => {
  let db: Db;
  const tenant = 'imp';
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
    await db.query(`INSERT INTO tenants (id, name) VALUES ($1, 'Import test'), ('other', 'Other tenant')`, [tenant]);
  });
  afterAll(async () => {
    await db.close();
  });

  const byExternalId = async (externalId: string, t = tenant) => {
    const rows = await db.query<{ id: string }>('SELECT id FROM customers WHERE tenant_id = $1 AND external_id = $2', [t, externalId]);
    const [customer] = await loadCustomers(db, t, rows.map((r) => r.id));
    return customer;
  };

  it('imports good rows, reports bad ones by line and reason, and keeps going', async () => {
    const file = csvFile(
      '\ufeffexternal_id,display_name,phone,email,language,segment,consent_phone\r\n' +
        'K-1,김민지,010-1234-5678,MinJi@Example.com,ko,retail,yes\r\n' +
        'K-2,"Smith, John","+1 202 555 0123; 02-3456-7890",,en,,no\r\n' +
        'K-3,Bad Phone,12,,ko,,\r\n' +
        'K-4,"Multi\r\nline name",,,,,\r\n' +
        'K-5,Missing cells\r\n' +
        ',No id,,,,,\r\n',
    );
    const progress: ImportProgress[] = [];
    const result = await importCustomers(db, tenant, file, (p) => progress.push(p));
    expect(result).toEqual({
      rows: 6,
      imported: 3,
      rejected: [
        { line: 4, reason: expect.stringMatching(/Column phone/) },
        { line: 7, reason: expect.stringMatching(/2 fields but the header has 7/) },
        { line: 8, reason: expect.stringMatching(/external_id is empty/) },
      ],
    });
    expect(progress.at(-1)).toEqual({ rows: 6, imported: 3, rejected: 3 });
    const minji = await byExternalId('K-1');
    expect(minji).toMatchObject({
      displayName: '김민지',
      language: 'ko',
      segment: 'retail',
      consent: { phone: true, email: false, sms: false },
      value: null,
      provisional: false,
      identities: [
        { kind: 'email', value: 'minji@example.com' },
        { kind: 'phone', value: '+821012345678' },
      ],
    });
    const john = await byExternalId('K-2');
    expect(john?.identities.map((i) => i.value).sort()).toEqual(['+12025550123', '+82234567890']);
    expect(john?.segment).toBeNull();
    expect((await byExternalId('K-4'))?.displayName).toBe('Multi\r\nline name');
  });


  it('reports a row holding a NUL (which the database cannot store) by its line, and imports the rest', async () => {
    const file = csvFile('external_id,display_name,segment\n' + 'N-1,Kim,retail\n' + 'N-2,"Lee\u0000 Sooyoung",retail\n' + 'N-3,Park,vip\u0007\n' + 'N-4,Choi,\n');
    const result = await importCustomers(db, tenant, file);
    expect(result).toEqual({
      rows: 4,
      imported: 2,
      rejected: [
        { line: 3, reason: expect.stringMatching(/Column display_name holds an invisible control character \(U\+0000\)/) },
        { line: 4, reason: expect.stringMatching(/Column segment holds an invisible control character \(U\+0007\)/) },
      ],
    });
    expect((await byExternalId('N-1'))?.displayName).toBe('Kim');
    expect((await byExternalId('N-4'))?.displayName).toBe('Choi');
    expect(await byExternalId('N-2')).toBeUndefined();
  });
  it('leaves the planner knowing every imported row (VACUUM ANALYZE after the last batch)', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `S-${i},Stats ${i},010-5555-${String(1000 + i)}`).join('\n');
    expect((await importCustomers(db, tenant, csvFile(`external_id,display_name,phone\n${rows}\n`))).imported).toBe(40);
    for (const table of ['customers', 'customer_identities']) {
      const [stats] = await db.query<{ planned: number; actual: number }>(
        `SELECT (SELECT reltuples FROM pg_class WHERE oid = $1::regclass)::int AS planned, (SELECT count(*) FROM ${table})::int AS actual`,
        [table],
      );
      expect(stats?.planned).toBe(stats?.actual);
    }
  });

  it('upserts by external id: listed columns change, absent columns and identities stay', async () => {
    const before = await byExternalId('K-1');
    const file = csvFile('external_id,display_name,consent_sms,phone\nK-1,김민지 (VIP),true,010-9999-0000\n');
    const result = await importCustomers(db, tenant, file);
    expect(result).toEqual({ rows: 1, imported: 1, rejected: [] });
    const after = await byExternalId('K-1');
    expect(after?.id).toBe(before?.id);
    expect(after).toMatchObject({ displayName: '김민지 (VIP)', language: 'ko', segment: 'retail', consent: { phone: true, email: false, sms: true } });
    expect(after?.identities.map((i) => i.value).sort()).toEqual(['+821012345678', '+821099990000', 'minji@example.com']);
  });

  it('refuses an identity that belongs to another customer, in the database or earlier in the file', async () => {
    const file = csvFile(
      'external_id,display_name,phone\n' +
        'K-9,Thief,010-1234-5678\n' + // K-1's number
        'K-10,First,010-5555-0001\n' +
        'K-11,Second,010-5555-0001\n',
    );
    const result = await importCustomers(db, tenant, file);
    expect(result.imported).toBe(1);
    expect(result.rejected).toEqual([
      { line: 2, reason: expect.stringMatching(/phone in this row already belongs to another customer/) },
      { line: 4, reason: expect.stringMatching(/already belongs to another customer/) },
    ]);
    expect(await byExternalId('K-9')).toBeUndefined();
    expect((await byExternalId('K-10'))?.identities).toEqual([{ kind: 'phone', value: '+821055550001' }]);
  });

  it('lets a later row for the same external id win, across and within batches, and keeps tenants apart', async () => {
    const lines = ['external_id,display_name'];
    for (let i = 0; i < CUSTOMER_BATCH_ROWS + 20; i++) lines.push(`B-${i % 300},Name ${i}`);
    const progress: ImportProgress[] = [];
    const result = await importCustomers(db, tenant, csvFile(`${lines.join('\n')}\n`), (p) => progress.push(p));
    expect(result).toEqual({ rows: CUSTOMER_BATCH_ROWS + 20, imported: CUSTOMER_BATCH_ROWS + 20, rejected: [] });
    expect(progress.length).toBeGreaterThan(2);
    // The last row of the file for each external id wins: i = the largest below the row count with i % 300 = k.
    const lastFor = (k: number) => Math.floor((CUSTOMER_BATCH_ROWS + 20 - 1 - k) / 300) * 300 + k;
    expect((await byExternalId('B-0'))?.displayName).toBe(`Name ${lastFor(0)}`);
    expect((await byExternalId('B-299'))?.displayName).toBe(`Name ${lastFor(299)}`);
    const count = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM customers WHERE tenant_id = $1 AND external_id LIKE 'B-%'", [tenant]);
    expect(count[0]?.n).toBe(300);
    await importCustomers(db, 'other', csvFile('external_id,display_name\nB-0,Other tenant customer\n'));
    expect((await byExternalId('B-0'))?.displayName).toBe(`Name ${lastFor(0)}`);
    expect((await byExternalId('B-0', 'other'))?.displayName).toBe('Other tenant customer');
  });

  it('logs a change for an updated customer someone holds in a working set, and none for the rest', async () => {
    const k1 = await byExternalId('K-1');
    const [user] = await db.query<{ id: string }>(
      `INSERT INTO users (id, tenant_id, username, display_name, role, password_hash)
       VALUES (gen_random_uuid(), $1, 'agent1', 'Agent 1', 'agent', 'x') RETURNING id`,
      [tenant],
    );
    await db.query(`INSERT INTO working_set (tenant_id, user_id, customer_id, reason) VALUES ($1, $2, $3, 'screen_pop')`, [tenant, user?.id, k1?.id]);
    const before = await currentVersion(db);
    await importCustomers(db, tenant, csvFile('external_id,display_name\nK-1,Minji Kim\nK-2,John Smith\nNEW-1,New Person\n'));
    const logged = await db.query<{ entity: string; entity_id: string; data: { displayName: string } }>(
      'SELECT entity, entity_id, data FROM change_log WHERE version > $1::bigint ORDER BY version',
      [before],
    );
    expect(logged.map((c) => [c.entity, c.entity_id, c.data.displayName])).toEqual([['customer', k1?.id, 'Minji Kim']]);
  });

  it('writes a first load by COPY, and from the first batch meeting a stored identity on upserts, keeping every other row', async () => {
    await db.query(`INSERT INTO tenants (id, name) VALUES ('fresh', 'Fresh tenant')`);
    // A caller's provisional profile made before the import holds one number of the file (as customer.createProvisional writes it).
    const provisional = '00000000-0000-4000-8000-000000000027';
    await db.query(`INSERT INTO customers (id, tenant_id, display_name, provisional) VALUES ($1, 'fresh', 'Unknown caller', true)`, [provisional]);
    await db.query(`INSERT INTO customer_identities (tenant_id, customer_id, kind, value) VALUES ('fresh', $1, 'phone', '+821077770500')`, [provisional]);
    const total = CUSTOMER_BATCH_ROWS + 10;
    const held = CUSTOMER_BATCH_ROWS + 5; // in the second batch
    const lines = ['external_id,display_name,phone,email'];
    for (let i = 0; i < total; i++) lines.push(`F-${i},Fresh ${i},${i === held ? '010-7777-0500' : `010-6${String(i).padStart(6, '0')}`},f${i}@example.com`);
    const file = csvFile(`${lines.join('\n')}\n`);
    const rejected = [{ line: held + 2, reason: expect.stringMatching(/phone in this row already belongs to another customer/) }];
    expect(await importCustomers(db, 'fresh', file)).toEqual({ rows: total, imported: total - 1, rejected });
    const counts = async () =>
      (
        await db.query<{ customers: number; identities: number }>(
          `SELECT (SELECT count(*) FROM customers WHERE tenant_id = 'fresh' AND NOT provisional)::int AS customers,
                  (SELECT count(*) FROM customer_identities WHERE tenant_id = 'fresh')::int AS identities`,
        )
      )[0];
    expect(await counts()).toEqual({ customers: total - 1, identities: 2 * (total - 1) + 1 });
    const [owner] = await db.query<{ customer_id: string }>(`SELECT customer_id FROM customer_identities WHERE tenant_id = 'fresh' AND value = '+821077770500'`);
    expect(owner?.customer_id).toBe(provisional);
    expect((await byExternalId(`F-${held + 1}`, 'fresh'))?.identities).toEqual([
      { kind: 'email', value: `f${held + 1}@example.com` },
      { kind: 'phone', value: `+82106${String(held + 1).padStart(6, '0')}` },
    ]);
    // The same file again: every customer is stored, so every batch is upserted, and nothing doubles.
    expect(await importCustomers(db, 'fresh', file)).toEqual({ rows: total, imported: total - 1, rejected });
    expect(await counts()).toEqual({ customers: total - 1, identities: 2 * (total - 1) + 1 });
  });

  it('keeps what the dropped foreign keys kept (migration 0027): no import into a missing tenant, no identity without its customer', async () => {
    await expect(importCustomers(db, 'nowhere', csvFile('external_id,display_name,phone\nX-1,Nobody,010-7777-0001\n'))).rejects.toThrow(/no tenant "nowhere"/);
    const [none] = await db.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM customers WHERE tenant_id = 'nowhere') + (SELECT count(*) FROM customer_identities WHERE tenant_id = 'nowhere'))::int AS n`,
    );
    expect(none?.n).toBe(0);
    // Every identity the imports above wrote (by COPY and by upsert) names a customer of its own tenant.
    const [check] = await db.query<{ identities: number; orphans: number }>(
      `SELECT count(*)::int AS identities, count(*) FILTER (WHERE c.id IS NULL)::int AS orphans
         FROM customer_identities i LEFT JOIN customers c ON c.id = i.customer_id AND c.tenant_id = i.tenant_id`,
    );
    expect(check?.identities).toBeGreaterThan(CUSTOMER_BATCH_ROWS);
    expect(check?.orphans).toBe(0);
    const [strays] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM customers c WHERE NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = c.tenant_id)');
    expect(strays?.n).toBe(0);
  });

  it('refuses a file without the required header, and an empty file, saying what to do', async () => {
    await expect(importCustomers(db, tenant, csvFile('name,phone\nx,1\n'))).rejects.toThrow(/no external_id and no display_name column/);
    await expect(importCustomers(db, tenant, csvFile(''))).rejects.toThrow(/empty/);
    await expect(importCustomers(db, tenant, join(dir, 'missing.csv'))).rejects.toThrow(/ENOENT/);
  });

  it('reports a row that is not UTF-8 and imports the rest of the file', async () => {
    const file = csvFile(Buffer.concat([Buffer.from('external_id,display_name\nU-1,'), Buffer.from([0xb1, 0xe8]), Buffer.from('\nU-2,Fine\n')]));
    const result = await importCustomers(db, tenant, file);
    expect(result).toEqual({ rows: 2, imported: 1, rejected: [{ line: 2, reason: expect.stringMatching(/not valid UTF-8/) }] });
  });
});
