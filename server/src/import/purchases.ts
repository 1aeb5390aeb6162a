// Imports purchases (the transactions customer value is computed from) from a CSV file into one
// tenant, upserted by purchase id a batch at a time. `npm run center -- import purchases` runs it and
// then recomputes customer value (value/customer-values.ts).
//
// Bad rows (a broken row, a bad amount or date, an unknown customer) are row errors with their line:
// by default the good rows apply and the bad ones are listed, as an administrator fixing a file
// expects; each row applies whole or not at all, and importing the fixed file again is safe (rows are
// upserted by purchase id, and a row that has not changed is not written again). With `allOrNothing`
// the whole file is one transaction: one bad row and nothing applies, the bad rows still listed.
import { isRealDateTime } from '../../../shared/domain/index';
import type { Db, Queryable } from '../db/db';
import { stageRows, type StageColumn } from './staging';
import { cellsOf, readHeader, runCsvImport, tidyAfterImport, type CsvImportSpec, type ImportProgress, type ImportResult, type Rejection } from './csv-import';

/**
 * Columns (case-insensitive, any order; unknown columns are ignored), all required:
 *   purchase_id   the purchase's id in the source system; rows are upserted by it
 *   external_id   the customer's external id, as in the customer import (import customers first)
 *   at            when: ISO-8601 date or date-time (`2026-03-01` or `2026-03-01T14:05:00+09:00`);
 *                 a date-time without an offset is read as UTC
 *   amount        decimal with up to 2 places, e.g. `15900` or `12.50`; negative for a refund
 */
export const PURCHASE_COLUMNS = ['purchase_id', 'external_id', 'at', 'amount'] as const;
type PurchaseColumn = (typeof PURCHASE_COLUMNS)[number];
type PurchaseHeader = Map<PurchaseColumn, number>;

interface PurchaseValue {
  purchase_id: string;
  external_id: string;
  /** ISO-8601 UTC. */
  at: string;
  /** Kept as text: the database reads it as numeric(14, 2), exactly, with no binary fraction on the way. */
  amount: string;
}

const AT = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const AMOUNT = /^-?\d{1,12}(\.\d{1,2})?$/;
const ID_MAX = 64;

/**
 * One row's cells checked column by column, in the order the columns are documented; the first fault
 * is the row's reason. Checked by hand, not by a schema object: a file has millions of rows, and the
 * zod object this replaced (same rules, same words) and its two passes over the date were the largest
 * part of the import's own time per row (issue 22).
 */
function purchaseOf(cells: Record<string, string>): { ok: true; value: PurchaseValue } | { ok: false; reason: string } {
  const fault = (column: PurchaseColumn, what: string) => ({ ok: false as const, reason: `Column ${column} ${what}.` });
  const purchaseId = (cells.purchase_id ?? '').trim();
  if (purchaseId === '') return fault('purchase_id', 'is empty');
  if (purchaseId.length > ID_MAX) return fault('purchase_id', `is longer than ${ID_MAX} characters`);
  const externalId = (cells.external_id ?? '').trim();
  if (externalId === '') return fault('external_id', 'is empty');
  if (externalId.length > ID_MAX) return fault('external_id', `is longer than ${ID_MAX} characters`);
  const at = instantOf((cells.at ?? '').trim());
  if (at === null) return fault('at', 'is not a date such as 2026-03-01 or 2026-03-01T14:05:00+09:00');
  const amount = (cells.amount ?? '').trim();
  if (!AMOUNT.test(amount)) return fault('amount', 'is not an amount such as 15900 or 12.50');
  return { ok: true, value: { purchase_id: purchaseId, external_id: externalId, at, amount } };
}

/**
 * A real date or date-time as ISO-8601 UTC, or null: not one JavaScript would roll over (2026-02-30 to
 * March 2) or PostgreSQL refuse (year 0). Date-only and offset-less values are UTC; a space between
 * date and time is accepted.
 */
function instantOf(v: string): string | null {
  if (!AT.test(v) || !isRealDateTime(v)) return null;
  const t = v.replace(' ', 'T');
  const ms = Date.parse(!t.includes('T') ? `${t}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

const PURCHASE_STAGE: readonly StageColumn[] = [
  ['line', 'int'],
  ['id', 'text'],
  ['external_id', 'text'],
  ['at', 'timestamptz'],
  ['amount', 'numeric'],
];

/**
 * Purchases per transaction: nothing else waits on the rows a batch writes, so batches twice the
 * customer import's spread the per-batch cost (staging, planning) over more rows. Three batches are in
 * memory at once (applying, staging, being read). Measured at 1M rows, with two then: 10,000 held the
 * import at 178 MB peak RSS, 50,000 took it to 287 MB (past the 250 MB goal) for about a tenth more
 * speed; with three, 20,000 peaked at 214–256 MB over five runs and 15,000 at 212–229 MB. Most of the
 * peak is garbage the heap lets grow (live data after a full collection stays near 35 MB).
 */
const PURCHASE_BATCH_ROWS = 20_000;

export interface PurchaseImportOptions {
  /** One transaction for the whole file: any rejected row and nothing is applied. */
  allOrNothing?: boolean;
}

export interface PurchaseImportResult extends ImportResult {
  /** Valid rows not applied because the import was all-or-nothing and some row was rejected. */
  discarded: number;
}

export async function importPurchases(
  db: Db,
  tenantId: string,
  filePath: string,
  onProgress?: (p: ImportProgress) => void,
  opts: PurchaseImportOptions = {},
): Promise<PurchaseImportResult> {
  const writer: PurchaseWriter = { upsert: false };
  type Write = (rows: Array<{ line: number; value: PurchaseValue }>, turn: Promise<void>) => Promise<{ imported: number; rejected: Rejection[] }>;
  const spec = (write: Write): CsvImportSpec<PurchaseHeader, PurchaseValue> => ({
    parseHeader: (fields) => readHeader<PurchaseColumn>(fields, PURCHASE_COLUMNS, []),
    parseRow: (header, fields, width) => {
      const cells = cellsOf(header, fields, width);
      if (typeof cells === 'string') return { ok: false, reason: cells };
      return purchaseOf(cells);
    },
    keyOf: (row) => row.purchase_id,
    writeBatch: (_header, rows, turn) => write(rows, turn),
    batchRows: PURCHASE_BATCH_ROWS,
    emptyFileMessage: `The CSV file is empty. Its first row must name the columns ${PURCHASE_COLUMNS.join(', ')}.`,
  });

  if (!opts.allOrNothing) {
    // Each batch in its own transaction, on its own connection: staged while the batch before it applies.
    const result = await runCsvImport(
      filePath,
      spec((rows, turn) =>
        db.tx(async (q) => {
          await stagePurchases(q, rows);
          await turn;
          return writePurchases(q, tenantId, rows.length, writer);
        }),
      ),
      onProgress,
    );
    if (result.imported > 0) await tidyAfterImport(db, ['purchases']);
    return { ...result, discarded: 0 };
  }
  // Rejections throw out of the transaction, which rolls it back, carrying the report with them.
  try {
    const applied = await db.tx(async (q) => {
      // One connection: a batch is staged only once the one before it is written.
      const result = await runCsvImport(
        filePath,
        spec(async (rows, turn) => {
          await turn;
          await stagePurchases(q, rows);
          return writePurchases(q, tenantId, rows.length, writer);
        }),
        onProgress,
      );
      if (result.rejected.length > 0) throw new RolledBack(result);
      return result;
    });
    if (applied.imported > 0) await tidyAfterImport(db, ['purchases']);
    return { ...applied, discarded: 0 };
  } catch (err) {
    if (!(err instanceof RolledBack)) throw err;
    return { ...err.result, imported: 0, discarded: err.result.imported };
  }
}

class RolledBack extends Error {
  constructor(readonly result: ImportResult) {
    super('rejected rows: nothing applied');
  }
}

/**
 * How an import writes its batches. It starts with plain inserts, the usual case (a first load, or
 * new purchases only): an upsert costs a third more per row than an insert, for the conflict check and
 * the speculative insertion it needs (measured at 1M rows, issue 22). The first batch that meets a
 * purchase already stored is rolled back to its savepoint and upserted, and so is every batch after it.
 */
interface PurchaseWriter {
  upsert: boolean;
}

/** PostgreSQL's unique_violation, as both drivers report it. */
const UNIQUE_VIOLATION = '23505';

/** A batch into the transaction's staging table, by COPY. */
const stagePurchases = (q: Queryable, rows: Array<{ line: number; value: PurchaseValue }>): Promise<void> =>
  stageRows(
    q,
    'import_purchase_rows',
    PURCHASE_STAGE,
    rows.map(({ line, value }) => [String(line), value.purchase_id, value.external_id, value.at, value.amount]),
  );

/**
 * One staged batch (stagePurchases), set-based: one statement finds each row's customer by external id
 * within the tenant (a key lookup per row), writes the purchases whose customer exists and returns the
 * lines of those whose customer does not. That lookup is what keeps every purchase's customer real and
 * of its own tenant: the table has no foreign keys since migration 0026 (checking them row by row was
 * half a large import's time). Purchases are not replicated to desktops (only the value computed from
 * them is), so no change is logged here; the value recompute logs the customers whose value changes.
 */
async function writePurchases(q: Queryable, tenantId: string, staged: number, writer: PurchaseWriter): Promise<{ imported: number; rejected: Rejection[] }> {
  let unknown: Array<{ line: number }> | null = null;
  if (!writer.upsert) {
    await q.exec('SAVEPOINT purchases_insert');
    try {
      unknown = await q.query<{ line: number }>(writeStatement(''), [tenantId]);
      await q.exec('RELEASE SAVEPOINT purchases_insert');
    } catch (err) {
      if ((err as { code?: unknown }).code !== UNIQUE_VIOLATION) throw err;
      await q.exec('ROLLBACK TO SAVEPOINT purchases_insert');
      writer.upsert = true;
    }
  }
  unknown ??= await q.query<{ line: number }>(
    writeStatement(
      `ON CONFLICT (tenant_id, id) DO UPDATE SET customer_id = EXCLUDED.customer_id, at = EXCLUDED.at, amount = EXCLUDED.amount
        WHERE (purchases.customer_id, purchases.at, purchases.amount) IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.at, EXCLUDED.amount)`,
    ),
    [tenantId],
  );
  const rejected = unknown.map(({ line }) => ({ line, reason: 'No customer has this external_id. Import the customer first, then this purchase.' }));
  return { imported: staged - rejected.length, rejected };
}

/** The staged batch written into purchases (`onConflict` empty: a plain insert); returns the lines whose customer is unknown. */
const writeStatement = (onConflict: string): string =>
  `WITH resolved AS MATERIALIZED (
     SELECT v.line, v.id, v.at, v.amount,
            (SELECT c.id FROM customers c WHERE c.tenant_id = $1 AND c.external_id = v.external_id) AS customer_id
       FROM import_purchase_rows v),
   stored AS (
     INSERT INTO purchases (id, tenant_id, customer_id, at, amount)
     SELECT r.id, $1, r.customer_id, r.at, r.amount FROM resolved r WHERE r.customer_id IS NOT NULL
     ${onConflict})
   SELECT line FROM resolved WHERE customer_id IS NULL ORDER BY line`;
