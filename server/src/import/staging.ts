// Stages one batch of import rows inside a transaction: into a TEMP table through COPY where the
// driver can (PostgreSQL, and PGlite through its blob), else through one INSERT … jsonb_to_recordset.
// Either way the set-based statements that follow read the same table, several times if they need to.
import type { Queryable } from '../db/db';

/** A staged column: its name and SQL type (`int`, `uuid`, `text`, `jsonb`, `timestamptz`, `numeric`). */
export type StageColumn = readonly [name: string, type: string];

/**
 * `rows` hold each column's text form (jsonb as JSON text), `null` for SQL NULL. The table lives until
 * the transaction ends (ON COMMIT DROP); staging it again in the same transaction empties it first, so
 * an import that runs all its batches in one transaction (all-or-nothing) stages each batch afresh.
 * It is analysed after loading, so the planner joins it knowing its size (a fresh TEMP table has no
 * statistics, and a nested loop over 10,000 rows it took for 10 is what made the old path slow).
 */
export async function stageRows(
  q: Queryable,
  table: string,
  columns: readonly StageColumn[],
  rows: ReadonlyArray<ReadonlyArray<string | null>>,
): Promise<void> {
  await q.exec(
    `CREATE TEMP TABLE IF NOT EXISTS ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')}) ON COMMIT DROP; TRUNCATE ${table}`,
  );
  if (rows.length === 0) return;
  await insertRows(q, table, columns, rows);
  await q.exec(`ANALYZE ${table}`);
}

/**
 * Appends `rows` (as for stageRows) to a table as they are: by COPY where the driver can, else by one
 * INSERT … SELECT from jsonb_to_recordset. Columns left out take their defaults.
 */
export async function insertRows(
  q: Queryable,
  table: string,
  columns: readonly StageColumn[],
  rows: ReadonlyArray<ReadonlyArray<string | null>>,
): Promise<void> {
  if (rows.length === 0) return;
  if (q.copyRows) {
    await q.copyRows(table, columns.map(([n]) => n), rows);
    return;
  }
  const records = rows.map((row) => Object.fromEntries(columns.map(([n], i) => [n, row[i] ?? null])));
  await q.query(
    `INSERT INTO ${table} (${columns.map(([n]) => n).join(', ')})
     SELECT ${columns.map(([n, t]) => `r.${n}::${t}`).join(', ')}
       FROM jsonb_to_recordset($1::jsonb) AS r(${columns.map(([n]) => `${n} text`).join(', ')})`,
    [JSON.stringify(records)],
  );
}
