// Prepared statements cached once per connection: preparing costs as much as running a small
// statement, and the hot paths (screen pop, pull apply, push acks) run the same few over and over.
import type { Statement } from 'better-sqlite3';
import type { Db } from './connection';

/** How rows come back: objects (default), the first column only ('pluck'), or arrays ('raw'). */
export type RowMode = 'object' | 'pluck' | 'raw';

const perConnection = new WeakMap<Db, Map<string, Statement>>();

/**
 * The statement for `sql` on `db` in row mode `mode`, prepared on first use. Only for fixed SQL
 * text (never build the text from values: every distinct text stays cached for the connection's life).
 * Do not change the mode of the returned statement (`.pluck()`, `.raw()`): others share it.
 */
export function cached<P extends unknown[] | object = unknown[], R = unknown>(db: Db, sql: string, mode: RowMode = 'object'): Statement<P, R> {
  let statements = perConnection.get(db);
  if (!statements) {
    statements = new Map();
    perConnection.set(db, statements);
  }
  const key = mode === 'object' ? sql : `${mode}:${sql}`;
  let stmt = statements.get(key);
  if (!stmt) {
    stmt = db.prepare(sql);
    if (mode === 'pluck') stmt.pluck();
    else if (mode === 'raw') stmt.raw();
    statements.set(key, stmt);
  }
  return stmt as unknown as Statement<P, R>;
}
