// Prepared statements on PGlite (SQL PREPARE / EXECUTE with literal values) give exactly what the
// unprepared protocol path gives, for every kind of value the center binds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from './db';
import { openPglite } from './pglite';
import { literal } from './pglite-prepared';

const PREPARED = { prepare: true } as const;

describe('literal', () => {
  it('quotes text, doubling quotes and escaping backslashes, and leaves NULL bare', () => {
    expect(literal(null)).toBe('NULL');
    expect(literal(undefined)).toBe('NULL');
    expect(literal("O'Brien")).toBe("'O''Brien'");
    expect(literal('a\\b')).toBe(" E'a\\\\b'");
    expect(literal(42)).toBe("'42'");
    expect(literal(false)).toBe("'false'");
    expect(literal(new Date('2026-12-05T01:02:03.004Z'))).toBe("'2026-12-05T01:02:03.004Z'");
    expect(literal(['a', null, 'b"c', 'd,e}'])).toBe(String.raw` E'{"a",NULL,"b\\"c","d,e}"}'`);
    expect(literal([[1, 2], [3, null]])).toBe(`'{{"1","2"},{"3",NULL}}'`);
    expect(() => literal('nul\0')).toThrow(/NUL/);
  });
});

describe('PGlite prepared statements', () => {
  let db: Db;
  beforeAll(async () => {
    db = await openPglite();
    await db.exec(`CREATE TABLE t (
      id int PRIMARY KEY, name text, ids uuid[], tags text[], doc jsonb, at timestamptz, ok bool, n numeric, big bigint)`);
  });
  afterAll(async () => {
    await db.close();
  });

  const INSERT = `INSERT INTO t (id, name, ids, tags, doc, at, ok, n, big)
    SELECT $1, $2, $3::uuid[], $4::text[], $5::jsonb, $6, $7, $8, $9 RETURNING *`;
  const tricky = (id: number) => [
    id,
    `O'Brien \\ "quoted" 김민지 ${id}`,
    ['7ee143c6-5521-4d35-b497-0b125d260b04', null],
    ['plain', 'with,comma', 'with}brace', 'with"quote', 'back\\slash', '', null, "it's"],
    JSON.stringify({ text: "a 'b' \\ c", n: [1, 2] }),
    new Date('2026-12-05T06:00:00.123Z'),
    true,
    12.5,
    '9007199254740993',
  ];

  it('stores and returns the same values as the unprepared path, and prepares each text once', async () => {
    const viaProtocol = await db.query(INSERT, tricky(1));
    const viaPrepared = await db.query(INSERT, tricky(2), PREPARED);
    const again = await db.query(INSERT, tricky(3), PREPARED);
    const strip = (rows: Array<Record<string, unknown>>) => rows.map(({ id: _id, name, ...rest }) => ({ ...rest, name: String(name).replace(/\d+$/, '') }));
    expect(strip(viaPrepared as Array<Record<string, unknown>>)).toEqual(strip(viaProtocol as Array<Record<string, unknown>>));
    expect(strip(again as Array<Record<string, unknown>>)).toEqual(strip(viaProtocol as Array<Record<string, unknown>>));
    const read = await db.query<{ name: string; tags: string[] }>('SELECT name, tags FROM t WHERE id = $1', [2], PREPARED);
    expect(read).toEqual([{ name: `O'Brien \\ "quoted" 김민지 2`, tags: ['plain', 'with,comma', 'with}brace', 'with"quote', 'back\\slash', '', null, "it's"] }]);
    const statements = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%INSERT INTO t (id, name%'`);
    expect(statements[0]?.n).toBe(1);
  });

  it('keeps a statement prepared inside a transaction that rolled back, and inside one that commits', async () => {
    const SELECT = 'SELECT count(*)::int AS n FROM t WHERE id > $1';
    await expect(
      db.tx(async (q) => {
        await q.query(SELECT, [0], PREPARED);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.query(SELECT, [0], PREPARED)).toEqual([{ n: 3 }]);
    expect(await db.tx((q) => q.query(SELECT, [1], PREPARED))).toEqual([{ n: 2 }]);
  });

  it('runs the same new text from callers at once: one prepares it, the others run it meanwhile (no "already exists")', async () => {
    const sql = 'SELECT count(*)::int AS n FROM t WHERE id <> $1';
    const all = await Promise.all([1, 2, 3, 4].map((id) => db.query<{ n: number }>(sql, [id], PREPARED)));
    expect(all.map((rows) => rows.length)).toEqual([1, 1, 1, 1]);
    expect(await db.query<{ name: string }>('SELECT name FROM pg_prepared_statements WHERE statement LIKE $1', ['%FROM t WHERE id <> $1%'])).toHaveLength(1);
  });

  it('gives a statement that cannot be prepared its own error every time, and runs on', async () => {
    const bad = 'SELECT nope FROM t WHERE id = $1';
    await expect(db.query(bad, [1], PREPARED)).rejects.toThrow(/column "nope" does not exist/);
    await expect(db.query(bad, [1], PREPARED)).rejects.toThrow(/column "nope" does not exist/);
    expect(await db.query('SELECT name FROM t WHERE id = $1', [3], PREPARED)).toHaveLength(1);
  });
});
