// Imports purchases (the transactions customer value is computed from) from a CSV file into one
// tenant, upserted by purchase id a batch at a time. Run the customer value job afterwards.
import { z } from 'zod';
import { isRealDateTime } from '../../../shared/domain/index';
import type { Db } from '../db/db';
import { stageRows } from './staging';
import { cellsOf, readHeader, runCsvImport, tidyAfterImport, type ImportProgress, type ImportResult, type Rejection } from './csv-import';

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

const PurchaseRow = z.object({
  purchase_id: z.string().trim().min(1, 'is empty').max(64, 'is longer than 64 characters'),
  external_id: z.string().trim().min(1, 'is empty').max(64, 'is longer than 64 characters'),
  at: z
    .string()
    .trim()
    // A real date, not one JavaScript would roll over (2026-02-30 to March 2) or PostgreSQL refuse (year 0).
    .refine((v) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && isRealDateTime(v) && Number.isFinite(Date.parse(isoish(v))), {
      message: 'is not a date such as 2026-03-01 or 2026-03-01T14:05:00+09:00',
    })
    .transform((v) => new Date(Date.parse(isoish(v))).toISOString()),
  amount: z
    .string()
    .trim()
    .regex(/^-?\d{1,12}(\.\d{1,2})?$/, 'is not an amount such as 15900 or 12.50')
    .transform(Number),
});
type PurchaseValue = z.infer<typeof PurchaseRow>;

/** Date-only and offset-less values are UTC; a space between date and time is accepted. */
function isoish(v: string): string {
  const t = v.replace(' ', 'T');
  if (!t.includes('T')) return `${t}T00:00:00Z`;
  return /(Z|[+-]\d{2}:?\d{2})$/.test(t) ? t : `${t}Z`;
}

export async function importPurchases(
  db: Db,
  tenantId: string,
  filePath: string,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportResult> {
  return runCsvImport<PurchaseHeader, PurchaseValue>(
    filePath,
    {
      parseHeader: (fields) => readHeader<PurchaseColumn>(fields, PURCHASE_COLUMNS, []),
      parseRow: (header, fields, width) => {
        const cells = cellsOf(header, fields, width);
        if (typeof cells === 'string') return { ok: false, reason: cells };
        const parsed = PurchaseRow.safeParse(cells);
        if (parsed.success) return { ok: true, value: parsed.data };
        const issue = parsed.error.issues[0];
        return { ok: false, reason: `Column ${String(issue?.path[0] ?? '?')} ${issue?.message ?? 'is not valid'}.` };
      },
      keyOf: (row) => row.purchase_id,
      writeBatch: (_header, rows) => writePurchases(db, tenantId, rows),
      emptyFileMessage: `The CSV file is empty. Its first row must name the columns ${PURCHASE_COLUMNS.join(', ')}.`,
      afterImport: () => tidyAfterImport(db, ['purchases']),
    },
    onProgress,
  );
}

/**
 * Purchases are not replicated to desktops (only the value computed from them is), so no change is
 * logged here; the customer value job logs the customers whose value changes.
 */
async function writePurchases(
  db: Db,
  tenantId: string,
  rows: Array<{ line: number; value: PurchaseValue }>,
): Promise<{ imported: number; rejected: Rejection[] }> {
  return db.tx(async (q) => {
    const customers = await q.query<{ id: string; external_id: string }>(
      'SELECT id, external_id FROM customers WHERE tenant_id = $1 AND external_id = ANY($2::text[])',
      [tenantId, [...new Set(rows.map((r) => r.value.external_id))]],
    );
    const idOf = new Map(customers.map((c) => [c.external_id, c.id]));
    const rejected: Rejection[] = [];
    const accepted: Array<{ id: string; customer_id: string; at: string; amount: number }> = [];
    for (const { line, value } of rows) {
      const customerId = idOf.get(value.external_id);
      if (!customerId) rejected.push({ line, reason: 'No customer has this external_id. Import the customer first, then this purchase.' });
      else accepted.push({ id: value.purchase_id, customer_id: customerId, at: value.at, amount: value.amount });
    }
    if (accepted.length > 0) {
      const staged = await stageRows(
        q,
        'import_purchase_rows',
        [['id', 'text'], ['customer_id', 'uuid'], ['at', 'timestamptz'], ['amount', 'numeric']],
        accepted.map((p) => [p.id, p.customer_id, p.at, String(p.amount)]),
        2,
      );
      await q.query(
        `INSERT INTO purchases (id, tenant_id, customer_id, at, amount)
         SELECT v.id, $1, v.customer_id, v.at, v.amount FROM ${staged.from}
         ON CONFLICT (tenant_id, id) DO UPDATE SET customer_id = EXCLUDED.customer_id, at = EXCLUDED.at, amount = EXCLUDED.amount`,
        [tenantId, ...staged.params],
      );
    }
    return { imported: accepted.length, rejected };
  });
}
