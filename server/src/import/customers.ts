// Imports customers from a CSV file into one tenant: streamed, validated row by row, upserted by
// external id a batch at a time. Bad rows are reported with their line and reason; good rows are kept.
import type { Identity } from '../../../shared/domain/index';
import type { Db } from '../db/db';
import { loadCustomers } from '../db/records';
import { changeTx } from '../sync/change-log';
import { runCsvImport, tidyAfterImport, type ImportProgress, type ImportResult, type Rejection } from './csv-import';
import { stageRows, type StageColumn } from './staging';
import { parseCustomerHeader, parseCustomerRow, type CustomerHeader, type CustomerRowValue } from './customer-row';

export { IMPORT_BATCH_ROWS, MAX_REJECTIONS_LISTED, type ImportProgress, type ImportResult } from './csv-import';

interface PendingRow {
  line: number;
  value: CustomerRowValue;
}

const CUSTOMER_STAGE: readonly StageColumn[] = [
  ['line', 'int'],
  ['external_id', 'text'],
  ['display_name', 'text'],
  ['language', 'text'],
  ['segment', 'text'],
  ['consent', 'jsonb'],
];
const IDENTITY_STAGE: readonly StageColumn[] = [
  ['line', 'int'],
  ['external_id', 'text'],
  ['kind', 'text'],
  ['value', 'text'],
];

/**
 * Columns are documented in customer-row.ts. Each batch is one change-logged transaction: the
 * validated rows and their identities are COPYed into TEMP staging tables (staging.ts), identities
 * another customer already holds are found by one query, and the rest is applied by one set-based
 * statement (INSERT … SELECT … ON CONFLICT for customers, and in it for their identities). The same SQL runs on
 * PGlite and PostgreSQL.
 */
export async function importCustomers(
  db: Db,
  tenantId: string,
  filePath: string,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportResult> {
  return runCsvImport(
    filePath,
    {
      parseHeader: parseCustomerHeader,
      parseRow: parseCustomerRow,
      keyOf: (row) => row.externalId,
      writeBatch: async (header, rows, turn) => {
        await turn;
        return writeBatch(db, tenantId, header, rows);
      },
      emptyFileMessage: 'The CSV file is empty. Its first row must name the columns, starting with external_id and display_name.',
      afterImport: () => tidyAfterImport(db, ['customers', 'customer_identities']),
    },
    onProgress,
  );
}

async function writeBatch(
  db: Db,
  tenantId: string,
  header: CustomerHeader,
  rows: PendingRow[],
): Promise<{ imported: number; rejected: Rejection[] }> {
  const consentKeys = ['phone', 'email', 'sms'] as const;
  const absentConsent = consentKeys.filter((k) => !header.has(`consent_${k}`));
  const updates = [
    'display_name = EXCLUDED.display_name',
    header.has('language') ? 'language = EXCLUDED.language' : null,
    header.has('segment') ? 'segment = EXCLUDED.segment' : null,
    // Only the consent columns the file has overwrite; `jsonb - text[]` drops the others.
    'consent = customers.consent || (EXCLUDED.consent - $3::text[])',
    'updated_at = now()',
  ].filter(Boolean);

  const { value } = await changeTx(db, tenantId, async (tx) => {
    await stageRows(
      tx.q,
      'import_customer_rows',
      CUSTOMER_STAGE,
      rows.map((r) => [
        String(r.line),
        r.value.externalId,
        r.value.displayName,
        r.value.language ?? null,
        r.value.segment ?? null,
        JSON.stringify(r.value.consent),
      ]),
    );
    const identityRows = rows.flatMap((r) => r.value.identities.map((i) => [String(r.line), r.value.externalId, i.kind, i.value]));
    await stageRows(tx.q, 'import_identity_rows', IDENTITY_STAGE, identityRows);

    // An identity (phone, email, handle) belongs to one customer of the tenant: the ones the database
    // gives to a customer other than the row's, then the ones an earlier row of the batch claims. The
    // owner is looked up per staged identity through the key (a subquery the planner keeps per row):
    // a join would be planned as a scan of every identity of the tenant, once per batch.
    const heldElsewhere =
      identityRows.length === 0
        ? []
        : await tx.q.query<{ line: number; kind: string }>(
            `SELECT line, kind FROM (
               SELECT s.line, s.kind,
                      (SELECT c.external_id IS DISTINCT FROM s.external_id
                         FROM customer_identities i JOIN customers c ON c.id = i.customer_id
                        WHERE i.tenant_id = $1 AND i.kind = s.kind AND i.value = s.value) AS clash
                 FROM import_identity_rows s) AS owners
              WHERE clash`,
            [tenantId],
          );
    const clashOf = new Map(heldElsewhere.map((h) => [h.line, h.kind]));
    const claimedInBatch = new Map<string, string>();
    const rejected: Rejection[] = [];
    for (const row of rows) {
      const clash =
        clashOf.get(row.line) ??
        row.value.identities.find((i) => {
          const owner = claimedInBatch.get(key(i));
          return owner !== undefined && owner !== row.value.externalId;
        })?.kind;
      if (clash) {
        rejected.push({ line: row.line, reason: `The ${clash === 'social' ? 'social handle' : clash} in this row already belongs to another customer. Remove it from one of the two.` });
        continue;
      }
      for (const i of row.value.identities) claimedInBatch.set(key(i), row.value.externalId);
    }
    if (rejected.length === rows.length) return { imported: 0, rejected };

    // One statement: the customers (upserted by external id), then their identities under the ids the
    // customers really have (a concurrent import may have created one first); the identities of the
    // rejected rows stay out because their customers are not upserted. Desktops replicate only their
    // working sets: what comes back is the updated customers someone holds, to be logged.
    const watched = await tx.q.query<{ id: string }>(
      `WITH upserted AS (
         INSERT INTO customers (id, tenant_id, external_id, display_name, language, segment, consent, updated_at)
         SELECT gen_random_uuid(), $1, v.external_id, v.display_name, COALESCE(v.language, 'und'), v.segment,
                '{"phone":false,"email":false,"sms":false}'::jsonb || COALESCE(v.consent, '{}'::jsonb), now()
           FROM import_customer_rows v
          WHERE NOT (v.line = ANY($2::int[]))
         ON CONFLICT (tenant_id, external_id) DO UPDATE SET ${updates.join(', ')}
         RETURNING id, external_id, (xmax = 0) AS inserted),
       identities AS (
         INSERT INTO customer_identities (tenant_id, customer_id, kind, value)
         SELECT $1, u.id, s.kind, s.value FROM import_identity_rows s JOIN upserted u ON u.external_id = s.external_id
         ON CONFLICT (tenant_id, kind, value) DO NOTHING)
       SELECT DISTINCT u.id FROM upserted u JOIN working_set w ON w.customer_id = u.id AND w.tenant_id = $1
        WHERE NOT u.inserted`,
      [tenantId, rejected.map((r) => r.line), absentConsent],
    );
    for (const c of await loadCustomers(tx.q, tenantId, watched.map((w) => w.id))) {
      tx.record({ entity: 'customer', id: c.id, op: 'upsert', data: c, customerId: c.id });
    }
    return { imported: rows.length - rejected.length, rejected };
  });
  return value;
}

const key = (i: Pick<Identity, 'kind' | 'value'>): string => `${i.kind}:${i.value}`;
