// Stages one batch of import rows inside a transaction: COPY into a TEMP table where the driver can,
// else a single jsonb parameter, so the upsert that follows reads `FROM <source> AS v` either way.
import type { Queryable } from '../db/db';

/** A staged column: its name and SQL type (`uuid`, `text`, `jsonb`, `timestamptz`, `numeric`). */
export type StageColumn = readonly [name: string, type: string];

export interface StagedRows {
  /** A FROM item aliased `v`, with the staged columns under their names and types. */
  from: string;
  /** Parameters the FROM item needs, numbered from the `firstParam` given to `stageRows`. */
  params: unknown[];
}

/**
 * `rows` hold each column's text form (jsonb as JSON text), `null` for SQL NULL. With COPY the rows go
 * to a TEMP table dropped at commit, so the batch never exists twice in the statement text or memory.
 */
export async function stageRows(
  q: Queryable,
  table: string,
  columns: readonly StageColumn[],
  rows: ReadonlyArray<ReadonlyArray<string | null>>,
  firstParam: number,
): Promise<StagedRows> {
  if (q.copyRows) {
    await q.exec(`CREATE TEMP TABLE ${table} (${columns.map(([n, t]) => `${n} ${t}`).join(', ')}) ON COMMIT DROP`);
    await q.copyRows(table, columns.map(([n]) => n), rows);
    return { from: `${table} AS v`, params: [] };
  }
  const records = rows.map((row) => Object.fromEntries(columns.map(([n], i) => [n, row[i] ?? null])));
  return {
    from:
      `(SELECT ${columns.map(([n, t]) => `r.${n}::${t} AS ${n}`).join(', ')} ` +
      `FROM jsonb_to_recordset($${firstParam}::jsonb) AS r(${columns.map(([n]) => `${n} text`).join(', ')})) AS v`,
    params: [JSON.stringify(records)],
  };
}
