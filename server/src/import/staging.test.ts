// Stages awkward text through COPY (both drivers) and through the plain jsonb path, and reads it back.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDriver } from '../../../tests/support/postgres';
import { CsvRowsBuilder, type Db, type Queryable } from '../db/db';
import { openDb } from '../db/open';
import { stageRows, type StageColumn } from './staging';

const COLUMNS: readonly StageColumn[] = [
  ['n', 'text'],
  ['name', 'text'],
  ['doc', 'jsonb'],
];
const ROWS: Array<[string, string | null, string | null]> = [
  ['1', 'Smith, John', '{"a":1}'],
  ['2', 'She said "hi"', null],
  ['3', 'line one\r\nline two\n\\.', '{"k":"김"}'],
  ['4', '김민지', '{}'],
  ['5', null, null],
  ['6', '', '[]'],
];

forEachDriver('stageRows', ({ freshDatabase }) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(await freshDatabase());
  });
  afterAll(async () => {
    await db.close();
  });

  const readBack = (useCopy: boolean) =>
    db.tx(async (q) => {
      const handle: Queryable = useCopy ? q : { query: q.query, exec: q.exec };
      expect(Boolean(handle.copyRows)).toBe(useCopy);
      await stageRows(handle, 'stage_test', COLUMNS, ROWS);
      return handle.query<{ n: string; name: string | null; doc: unknown }>('SELECT n, name, doc FROM stage_test ORDER BY n');
    });

  it.each([true, false])('keeps commas, quotes, line breaks, Korean, NULL and empty text (copy: %s)', async (useCopy) => {
    const rows = await readBack(useCopy);
    expect(rows).toEqual(ROWS.map(([n, name, doc]) => ({ n, name, doc: doc === null ? null : JSON.parse(doc) })));
  });

  it('empties the staging table when a batch is staged again in the same transaction, and knows its size', async () => {
    const seen = await db.tx(async (q) => {
      await stageRows(q, 'stage_test', COLUMNS, ROWS);
      await stageRows(q, 'stage_test', COLUMNS, ROWS.slice(0, 2));
      const [stats] = await q.query<{ n: number; planned: number }>(
        `SELECT (SELECT count(*) FROM stage_test)::int AS n, (SELECT reltuples FROM pg_class WHERE oid = 'stage_test'::regclass)::int AS planned`,
      );
      return stats;
    });
    expect(seen).toEqual({ n: 2, planned: 2 });
  });

  it('COPYs rows encoded beforehand by CsvRowsBuilder as it COPYs values, growing past the size it was told', async () => {
    const many = Array.from({ length: 500 }, (_, i) => ROWS[i % ROWS.length]!.map((v, c) => (c === 0 ? String(i) : v)));
    const encoded = new CsvRowsBuilder(COLUMNS.length, 8);
    for (const row of many) for (const v of row) encoded.add(v);
    const rows = await db.tx(async (q) => {
      await q.exec('CREATE TEMP TABLE encoded_test (n int, name text, doc jsonb) ON COMMIT DROP');
      await q.copyRows?.('encoded_test', COLUMNS.map(([n]) => n), encoded.done());
      return q.query<{ n: number; name: string | null; doc: unknown }>('SELECT n, name, doc FROM encoded_test ORDER BY n');
    });
    expect(rows).toEqual(many.map(([n, name, doc]) => ({ n: Number(n), name, doc: doc === null ? null : JSON.parse(doc!) })));
    expect(() => new CsvRowsBuilder(3).add('a').done()).toThrow(/1 values for 3 columns/);
  });

  it('drops the staging table at commit, so the next batch can stage again', async () => {
    await readBack(true);
    await readBack(true);
    const left = await db.query(`SELECT 1 FROM pg_class WHERE relname = 'stage_test'`);
    expect(left).toEqual([]);
  });
});
