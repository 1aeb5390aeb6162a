// The center's database seam: one small interface over PGlite (embedded) and PostgreSQL (`pg`).
import { createHash } from 'node:crypto';

/** A prepared statement's name: the same text gets the same name on every connection, on both drivers. */
export const statementName = (sql: string) => `earshot_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;

export type Row = Record<string, unknown>;

/** Anything SQL can be sent to: the database itself or an open transaction. */
export interface Queryable {
  /** One statement with `$1`-style parameters; returns its rows. */
  query<T = Row>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<T[]>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Bulk-loads rows with `COPY table (columns) FROM STDIN` in CSV form; `null` is SQL NULL. Present on
   * a transaction handle of both drivers; callers keep a plain INSERT path for handles without it.
   */
  copyRows?(table: string, columns: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | null>> | CsvRows): Promise<void>;
}

/**
 * Rows already encoded as COPY's CSV body (`csvRows`): a bulk writer encodes a batch before its
 * transaction begins, while the batch before it is still being written, rather than inside it.
 */
export interface CsvRows {
  readonly csv: Uint8Array<ArrayBuffer>;
  readonly width: number;
}

export interface QueryOptions {
  /**
   * Keep the statement prepared on each pooled connection (PostgreSQL), so it is parsed and planned
   * once rather than on every call. Only for hot statements whose text comes from a small fixed set:
   * each distinct text stays prepared for the connection's life. On PGlite, SQL PREPARE / EXECUTE
   * does the same for the instance's one session (pglite-prepared.ts).
   * `'pglite'`: prepared on PGlite only, for a statement whose planning there costs several times its
   * run but whose generic plan could go stale on PostgreSQL. PostgreSQL re-plans a prepared statement
   * once ANALYZE has updated its tables' statistics, and on PGlite the center's maintenance runs that
   * ANALYZE within a minute of a table changing by a tenth (pglite-maintenance.ts).
   */
  prepare?: boolean | 'pglite';
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable';

export interface TxOptions {
  /** Default 'read committed'. Sync runs at 'repeatable read' (SYNC.md, Isolation). */
  isolation?: Isolation;
  /** Serialization failures (40001, 40P01) re-run `fn` this many times in all; default 10. */
  attempts?: number;
}

export interface Db extends Queryable {
  readonly driver: 'pglite' | 'pg';
  /**
   * Runs `fn` in one transaction. `fn` may be run again from the start when PostgreSQL reports a
   * serialization failure, so it must keep its side effects inside the transaction (or idempotent).
   */
  tx<T>(fn: (q: Queryable) => Promise<T>, opts?: TxOptions): Promise<T>;
  /**
   * LISTENs on `channel`: `onNotify` gets each payload NOTIFYed there (by any connection, any node).
   * `onLost` is called once if the listening connection fails; notifications may have been missed,
   * and the caller listens again. Resolves, once listening, with a function that stops.
   */
  listen(channel: string, onNotify: (payload: string) => void, onLost: (err: unknown) => void): Promise<() => Promise<void>>;
  /** Waits for running queries and transactions to finish, then closes. Later calls fail. */
  close(): Promise<void>;
}

/** A channel name as LISTEN takes it: a plain lower-case identifier. */
export function channelName(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  return channel;
}

/** The SQLSTATE of a driver error (both drivers carry `code`), if any. */
export function sqlState(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof (err as { code: unknown }).code === 'string') {
    return (err as { code: string }).code;
  }
  return undefined;
}

export const isSerializationFailure = (err: unknown): boolean => {
  const code = sqlState(err);
  return code === '40001' || code === '40P01';
};

/** Integrity violations (class 23): the data can never be written as asked. */
export const isIntegrityViolation = (err: unknown): boolean => sqlState(err)?.startsWith('23') ?? false;

/**
 * Errors in what was written rather than in the database: data exceptions (class 22: a NUL or an
 * invalid byte sequence 22021/22P05, invalid input syntax 22P02, an impossible date 22007/22008, a
 * number out of range 22003, a string too long 22001), integrity violations (class 23), and a value
 * too large for its index or tsvector (54000). Sending the same data again fails the same way, so a
 * writer sets the one piece of data aside; anything else (connection 08, serialization 40, resources
 * 53, shutdown 57, errors that are not SQL) is the database's, and a retry may succeed.
 */
export function isDataError(err: unknown): boolean {
  const code = sqlState(err);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) && (code.startsWith('22') || code.startsWith('23') || code === '54000');
}

/**
 * What a data error (isDataError) says about the data, in words a person can act on. Never the
 * database's own message: it may quote the value (a customer's name, a note).
 */
export function dataErrorWhat(err: unknown): string {
  const code = sqlState(err) ?? '';
  if (code === '22021' || code === '22P05') return 'a character the center cannot store (an invisible control character such as NUL)';
  if (code === '22007' || code === '22008') return 'a date or time that does not exist (such as February 30 or year 0)';
  if (code === '22001') return 'a text longer than the center stores';
  if (code === '22003') return 'a number outside the range the center stores';
  if (code === '54000') return 'a value too large for the center to store';
  if (code.startsWith('23')) return 'data that conflicts with what the center already holds';
  return 'a value in a form the center cannot store (such as a broken character)';
}

/** Timestamps come back as Date from both drivers; the wire wants ISO-8601 UTC strings. */
export function iso(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  throw new TypeError(`expected a timestamp, got ${typeof value}`);
}
export const isoOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : iso(value));

/**
 * Tracks queries and transactions in flight so `close()` can let them finish (graceful stop)
 * and refuse new ones. Shared by both drivers.
 */
export class InFlight {
  private active = 0;
  private closing = false;
  private drained: Array<() => void> = [];

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closing) throw new Error('The center database is shutting down; retry against a running center.');
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      if (this.active === 0) for (const done of this.drained.splice(0)) done();
    }
  }

  /** Refuses new work and resolves when the work already running has finished. */
  drain(): Promise<void> {
    this.closing = true;
    if (this.active === 0) return Promise.resolve();
    return new Promise((resolve) => this.drained.push(resolve));
  }
}

/** Bounded retry of a whole transaction on serialization failure, with a little jitter. */
export async function withSerializationRetry<T>(attempts: number, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (err) {
      if (!isSerializationFailure(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 5 * attempt)));
    }
  }
}

export const beginSql = (isolation: Isolation = 'read committed'): string =>
  `BEGIN ISOLATION LEVEL ${isolation.toUpperCase()}`;

/**
 * The COPY statement and CSV body for `copyRows`. Every value is quoted (so commas, quotes and line
 * breaks survive) and NULL is the one unquoted empty field, so an empty string stays an empty string.
 */
export function copyCsv(
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | null>> | CsvRows,
  source: string,
): { sql: string; body: string | Uint8Array<ArrayBuffer> } {
  const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const sql = `COPY ${ident(table)} (${columns.map(ident).join(', ')}) FROM ${source} WITH (FORMAT csv)`;
  if ('csv' in rows) {
    if (rows.width !== columns.length) throw new Error(`copyRows: rows of ${rows.width} values for ${columns.length} columns`);
    return { sql, body: rows.csv };
  }
  return { sql, body: csvText(columns.length, rows) };
}

/**
 * Encodes rows for copyRows value by value, straight into one growing buffer: a bulk writer encodes
 * hundreds of thousands of values this way without an array per row or a string per field (issue 22).
 * Values as for copyRows: text, `null` for SQL NULL; a row ends after `width` values.
 */
export class CsvRowsBuilder {
  private buf: Buffer;
  private at = 0;
  private column = 0;
  /** `bytes`: what the rows are expected to take, so the buffer seldom has to grow. */
  constructor(
    readonly width: number,
    bytes = 1 << 16,
  ) {
    this.buf = Buffer.allocUnsafe(bytes);
  }

  add(value: string | null): this {
    // A UTF-16 unit is at most 3 bytes of UTF-8; every value may double its quotes, plus delimiters.
    if (value !== null && value.includes('"')) value = value.replace(/"/g, '""');
    const room = (value === null ? 0 : value.length * 3) + 4;
    if (this.at + room > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + room));
      this.buf.copy(grown, 0, 0, this.at);
      this.buf = grown;
    }
    if (this.column > 0) this.buf[this.at++] = 0x2c;
    if (value !== null) {
      this.buf[this.at++] = 0x22;
      this.at += this.buf.write(value, this.at, 'utf8');
      this.buf[this.at++] = 0x22;
    }
    if (++this.column === this.width) {
      this.buf[this.at++] = 0x0a;
      this.column = 0;
    }
    return this;
  }

  done(): CsvRows {
    if (this.column !== 0) throw new Error(`copyRows: the last row has ${this.column} values for ${this.width} columns`);
    return { csv: this.buf.subarray(0, this.at) as Uint8Array<ArrayBuffer>, width: this.width };
  }
}

function csvText(width: number, rows: ReadonlyArray<ReadonlyArray<string | null>>): Uint8Array<ArrayBuffer> {
  const csv = new CsvRowsBuilder(width);
  for (const row of rows) {
    if (row.length !== width) throw new Error(`copyRows: a row has ${row.length} values for ${width} columns`);
    for (const v of row) csv.add(v);
  }
  return csv.done().csv;
}
