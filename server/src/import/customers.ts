// Imports customers from a CSV file into one tenant: streamed, validated row by row, upserted by
// external id a batch at a time. Bad rows are reported with their line and reason; good rows are kept.
import { randomUUID } from 'node:crypto';
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
  ['id', 'uuid'],
  ['external_id', 'text'],
  ['display_name', 'text'],
  ['language', 'text'],
  ['segment', 'text'],
  ['consent', 'jsonb'],
];
const IDENTITY_STAGE: readonly StageColumn[] = [
  ['customer_id', 'uuid'],
  ['kind', 'text'],
  ['value', 'text'],
];

/**
 * Columns are documented in customer-row.ts. Each batch is one change-logged transaction: the
 * validated rows are COPYed into a TEMP staging table (see staging.ts), then upserted from it with
 * INSERT … ON CONFLICT (external id) DO UPDATE. The same SQL runs on PGlite and PostgreSQL.
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
      writeBatch: (header, rows) => writeBatch(db, tenantId, header, rows),
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
    'consent = customers.consent || (EXCLUDED.consent - $2::text[])',
    'updated_at = now()',
  ].filter(Boolean);

  const { value } = await changeTx(db, tenantId, async (tx) => {
    const rejected: Rejection[] = [];
    const existing = await tx.q.query<{ id: string; external_id: string }>(
      'SELECT id, external_id FROM customers WHERE tenant_id = $1 AND external_id = ANY($2::text[])',
      [tenantId, rows.map((r) => r.value.externalId)],
    );
    const idOf = new Map(existing.map((e) => [e.external_id, e.id]));

    // An identity (phone, email, handle) belongs to one customer of the tenant.
    const identities = rows.flatMap((r) => r.value.identities);
    const owners = await tx.q.query<{ kind: string; value: string; customer_id: string }>(
      `SELECT i.kind, i.value, i.customer_id FROM customer_identities i
         JOIN jsonb_to_recordset($2::jsonb) AS v(kind text, value text) ON i.kind = v.kind AND i.value = v.value
        WHERE i.tenant_id = $1`,
      [tenantId, JSON.stringify(identities)],
    );
    const ownerOf = new Map(owners.map((o) => [key(o), o.customer_id]));
    const claimedInBatch = new Map<string, string>();
    const accepted: Array<PendingRow & { id: string }> = [];
    for (const row of rows) {
      const id = idOf.get(row.value.externalId) ?? randomUUID();
      const clash = row.value.identities.find((i) => {
        const owner = ownerOf.get(key(i)) ?? claimedInBatch.get(key(i));
        return owner !== undefined && owner !== id;
      });
      if (clash) {
        rejected.push({ line: row.line, reason: `The ${clash.kind === 'social' ? 'social handle' : clash.kind} in this row already belongs to another customer. Remove it from one of the two.` });
        continue;
      }
      for (const i of row.value.identities) claimedInBatch.set(key(i), id);
      accepted.push({ ...row, id });
    }
    if (accepted.length === 0) return { imported: 0, rejected };

    const customerRows = await stageRows(
      tx.q,
      'import_customer_rows',
      CUSTOMER_STAGE,
      accepted.map((r) => [
        r.id,
        r.value.externalId,
        r.value.displayName,
        r.value.language ?? null,
        r.value.segment ?? null,
        JSON.stringify(r.value.consent),
      ]),
      3,
    );
    const upserted = await tx.q.query<{ id: string; external_id: string; inserted: boolean }>(
      `INSERT INTO customers (id, tenant_id, external_id, display_name, language, segment, consent, updated_at)
       SELECT v.id, $1, v.external_id, v.display_name, COALESCE(v.language, 'und'), v.segment,
              '{"phone":false,"email":false,"sms":false}'::jsonb || COALESCE(v.consent, '{}'::jsonb), now()
         FROM ${customerRows.from}
       ON CONFLICT (tenant_id, external_id) DO UPDATE SET ${updates.join(', ')}
       RETURNING id, external_id, (xmax = 0) AS inserted`,
      [tenantId, absentConsent, ...customerRows.params],
    );
    // A concurrent import may have created the customer first: use the id the row really has.
    const storedId = new Map(upserted.map((u) => [u.external_id, u.id]));
    const identityRows = accepted.flatMap((r) =>
      r.value.identities.map((i) => [storedId.get(r.value.externalId) ?? r.id, i.kind, i.value]),
    );
    if (identityRows.length > 0) {
      const staged = await stageRows(tx.q, 'import_identity_rows', IDENTITY_STAGE, identityRows, 2);
      await tx.q.query(
        `INSERT INTO customer_identities (tenant_id, customer_id, kind, value)
         SELECT $1, v.customer_id, v.kind, v.value FROM ${staged.from}
         ON CONFLICT (tenant_id, kind, value) DO NOTHING`,
        [tenantId, ...staged.params],
      );
    }

    // Desktops replicate only their working sets: log the updated customers someone holds.
    const updatedIds = upserted.filter((u) => !u.inserted).map((u) => u.id);
    if (updatedIds.length > 0) {
      const watched = await tx.q.query<{ customer_id: string }>(
        'SELECT DISTINCT customer_id FROM working_set WHERE tenant_id = $1 AND customer_id = ANY($2::uuid[])',
        [tenantId, updatedIds],
      );
      for (const c of await loadCustomers(tx.q, tenantId, watched.map((w) => w.customer_id))) {
        tx.record({ entity: 'customer', id: c.id, op: 'upsert', data: c, customerId: c.id });
      }
    }
    return { imported: accepted.length, rejected };
  });
  return value;
}

const key = (i: Pick<Identity, 'kind' | 'value'> | { kind: string; value: string }): string => `${i.kind}:${i.value}`;
