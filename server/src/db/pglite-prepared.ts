// Prepared statements on PGlite. Its query() parses, describes and plans every statement afresh, and
// planning the sync path's statements costs more than running them (the screen pop: 2.8 ms a call,
// 0.9 ms prepared, measured at 20k customers). PGlite is one session, so SQL-level PREPARE holds for
// its whole life; EXECUTE is a utility statement and cannot take bind parameters, so the values go
// in as quoted literals of unknown type, which PostgreSQL coerces to each parameter's type exactly
// as it would a text-format bind value.
import { statementName, type QueryOptions } from './db';

/** Distinct statement texts kept prepared; beyond this, statements simply run unprepared. */
const MAX_PREPARED = 500;

/** `value` as an SQL literal of unknown type (a quoted string), NULL for null/undefined. */
export function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return quote(textOf(value));
}

/** The text form a bind parameter would carry. */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (Array.isArray(value)) return arrayText(value);
  return JSON.stringify(value);
}

/** PostgreSQL's array input form: every element double-quoted (backslash and quote escaped), NULL bare. */
function arrayText(values: readonly unknown[]): string {
  const parts = values.map((v) => {
    if (v === null || v === undefined) return 'NULL';
    if (Array.isArray(v)) return arrayText(v);
    return `"${textOf(v).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return `{${parts.join(',')}}`;
}

/** A standard string literal; E'' with doubled backslashes when there are any. */
function quote(text: string): string {
  if (text.includes('\0')) throw new Error('A text value holds a NUL character, which PostgreSQL cannot store.');
  const body = text.replace(/'/g, "''");
  return text.includes('\\') ? ` E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** Runs one statement on the instance or on the transaction in progress; rows back. */
export type Run = (sql: string, params?: unknown[]) => Promise<unknown[]>;

/**
 * The query function of one PGlite handle (the instance, or a transaction on it): statements marked
 * `prepare` run from a plan made once for the instance's life, the rest as they come. Prepared
 * statements are not undone by a rollback, so one prepared inside a transaction that later fails is
 * still there; a PREPARE that itself fails is not recorded, and its error is the query's own.
 */
export function preparedStatements(): (run: Run) => <T>(sql: string, params?: readonly unknown[], opts?: QueryOptions) => Promise<T[]> {
  const names = new Map<string, string>(); // statement text -> its prepared name
  // Texts whose PREPARE is on its way: a second caller meanwhile runs its statement unprepared (a
  // second PREPARE would fail, "already exists"; waiting for the first could wait on a transaction
  // that waits for it).
  const preparing = new Set<string>();
  return (run) =>
    async <T>(sql: string, params?: readonly unknown[], opts?: QueryOptions): Promise<T[]> => {
      let name = opts?.prepare ? names.get(sql) : undefined;
      if (!name) {
        if (!opts?.prepare || names.size >= MAX_PREPARED || preparing.has(sql)) return (await run(sql, params ? [...params] : undefined)) as T[];
        name = statementName(sql);
        preparing.add(sql);
        try {
          await run(`PREPARE ${name} AS ${sql}`);
        } finally {
          preparing.delete(sql);
        }
        names.set(sql, name);
      }
      return (await run(params && params.length > 0 ? `EXECUTE ${name}(${params.map(literal).join(', ')})` : `EXECUTE ${name}`)) as T[];
    };
}
