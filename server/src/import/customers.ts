// Imports customers from a CSV file into one tenant: streamed, validated row by row, upserted by
// external id a batch at a time. Bad rows are reported with their line and reason; good rows are kept.
import type { Identity } from '../../../shared/domain/index';
import { CsvRowsBuilder, sqlState, type CsvRows, type Db } from '../db/db';
import { loadCustomers } from '../db/records';
import { changeTx } from '../sync/change-log';
import { runCsvImport, tidyAfterImport, type ImportProgress, type ImportResult, type Rejection } from './csv-import';
import { orderedIds, type OrderedIds } from './ordered-ids';
import { insertRows, stageRows, type StageColumn } from './staging';
import { parseCustomerHeader, parseCustomerRow, type CustomerHeader, type CustomerRowValue } from './customer-row';

export { MAX_REJECTIONS_LISTED, type ImportProgress, type ImportResult } from './csv-import';

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

/** The customers and identities columns a first load COPYs straight into (the rest take their defaults). */
const CUSTOMER_COLUMNS: readonly StageColumn[] = [
  ['id', 'uuid'],
  ['tenant_id', 'text'],
  ['external_id', 'text'],
  ['display_name', 'text'],
  ['language', 'text'],
  ['segment', 'text'],
  ['consent', 'jsonb'],
];
const IDENTITY_COLUMNS: readonly StageColumn[] = [
  ['tenant_id', 'text'],
  ['customer_id', 'uuid'],
  ['kind', 'text'],
  ['value', 'text'],
];

/**
 * How an import writes its batches. It starts with plain COPYs into customers and customer_identities,
 * the usual case of a first load: no staging, no conflict checks, no look-up of who holds each
 * identity (if the COPY goes through, no customer or identity of the batch was stored before: their
 * unique keys say so). The first batch that meets a customer or an identity already stored has its
 * transaction rolled back and is upserted through staging tables instead, and so is every batch after it.
 */
interface CustomerWriter {
  upsert: boolean;
  /** The new customers' ids (ordered-ids.ts). */
  ids: OrderedIds;
}

/**
 * Rows per batch. A customer row makes several objects (its identities, consent, encoded COPY text)
 * and three batches are alive at once; at 10,000 rows V8 let the heap grow to a peak RSS of 248–261 MB
 * over 1M rows (the goal is 250 MB whatever the size), at 5,000 it peaked at 184–186 MB for 30–33k
 * rows/s against 34–37k (issue 22, measured on this machine).
 */
export const CUSTOMER_BATCH_ROWS = 5_000;

/** PostgreSQL's unique_violation, as both drivers report it. */
const UNIQUE_VIOLATION = '23505';

/**
 * Columns are documented in customer-row.ts. Each batch is one REPEATABLE READ transaction, begun once
 * the batch before has committed (the next batch is read, checked and encoded meanwhile), written as
 * CustomerWriter says; an upserted batch's transaction is change-logged. The same SQL runs on PGlite
 * and PostgreSQL.
 *
 * Speed (issue 22): a first load is COPYed straight into the two tables, encoded before its
 * transaction begins, under ids that sort in the order they are made (ordered-ids.ts); rows are
 * checked without a schema library (customer-row.ts). Memory is bounded by three batches.
 *
 * Neither table has foreign keys to check rows against since migration 0027: the import keeps what
 * they kept. The tenant is checked once, before the file is read; every identity is written under the
 * id of a customer written in the same transaction and tenant (the first load's COPY, or the upsert's
 * RETURNING), so none can name a missing customer or one of another tenant.
 */
export async function importCustomers(
  db: Db,
  tenantId: string,
  filePath: string,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportResult> {
  const [tenant] = await db.query<{ id: string }>('SELECT id FROM tenants WHERE id = $1', [tenantId]);
  if (!tenant) throw new Error(`There is no tenant ${JSON.stringify(tenantId)} at this center. Check the tenant id and import again.`);
  const writer: CustomerWriter = { upsert: false, ids: orderedIds() };
  return runCsvImport(
    filePath,
    {
      parseHeader: parseCustomerHeader,
      parseRow: parseCustomerRow,
      keyOf: (row) => row.externalId,
      writeBatch: async (header, rows, turn) => {
        // Encoded while the batch before this one is written; nothing is read or written until it has committed.
        const fresh = writer.upsert ? null : newCustomers(tenantId, rows, writer.ids);
        await turn;
        return writeBatch(db, tenantId, header, rows, writer, fresh);
      },
      emptyFileMessage: 'The CSV file is empty. Its first row must name the columns, starting with external_id and display_name.',
      batchRows: CUSTOMER_BATCH_ROWS,
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
  writer: CustomerWriter,
  fresh: NewCustomers | null,
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

  if (!writer.upsert && fresh) {
    if (await insertBatch(db, fresh)) return { imported: fresh.count, rejected: fresh.rejected };
    writer.upsert = true;
  }
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
    const rejected = identityClashes(rows, new Map(heldElsewhere.map((h) => [h.line, h.kind])));
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

/**
 * A batch as a first load writes it (CustomerWriter): the rows whose identities an earlier row of the
 * batch does not claim, as customers under fresh ids and their identities under those ids, encoded for
 * COPY (`values` gives them as values instead, for a handle without COPY).
 */
interface NewCustomers {
  rejected: Rejection[];
  count: number;
  customersCsv: CsvRows;
  identitiesCsv: CsvRows;
  values(): { customers: Array<Array<string | null>>; identities: Array<Array<string | null>> };
}

function newCustomers(tenantId: string, rows: PendingRow[], ids: OrderedIds): NewCustomers {
  const rejected = identityClashes(rows, new Map());
  const refused = new Set(rejected.map((r) => r.line));
  const kept = refused.size === 0 ? rows : rows.filter((r) => !refused.has(r.line));
  const idOf = kept.map(() => ids.next());
  const customer = (value: CustomerRowValue, id: string): Array<string | null> => [
    id,
    tenantId,
    value.externalId,
    value.displayName,
    value.language ?? 'und',
    value.segment ?? null,
    consentJson(value.consent),
  ];
  // About 150 bytes a customer (its id, names and consent, quoted) and 80 an identity.
  const customersCsv = new CsvRowsBuilder(CUSTOMER_COLUMNS.length, 150 * kept.length + 1024);
  const identitiesCsv = new CsvRowsBuilder(IDENTITY_COLUMNS.length, 160 * kept.length + 1024);
  kept.forEach(({ value }, n) => {
    for (const v of customer(value, idOf[n]!)) customersCsv.add(v);
    for (const i of value.identities) identitiesCsv.add(tenantId).add(idOf[n]!).add(i.kind).add(i.value);
  });
  return {
    rejected,
    count: kept.length,
    customersCsv: customersCsv.done(),
    identitiesCsv: identitiesCsv.done(),
    values: () => ({
      customers: kept.map(({ value }, n) => customer(value, idOf[n]!)),
      identities: kept.flatMap(({ value }, n) => value.identities.map((i) => [tenantId, idOf[n]!, i.kind, i.value])),
    }),
  };
}

/** Consent as stored: each of phone, email and sms, false unless the row says otherwise. */
const consentJson = (c: CustomerRowValue['consent']): string =>
  `{"phone":${c.phone === true},"email":${c.email === true},"sms":${c.sms === true}}`;

/**
 * Writes a first load's batch (newCustomers) in a transaction of its own: false, with nothing
 * written, when a customer or an identity of it was already stored. It logs no change: new customers
 * are in nobody's working set, and reach desktops when a grant or a screen pop puts them in one (as
 * customers the upsert inserts do).
 */
async function insertBatch(db: Db, batch: NewCustomers): Promise<boolean> {
  if (batch.count === 0) return true;
  try {
    await db.tx(
      async (q) => {
        if (q.copyRows) {
          await q.copyRows('customers', CUSTOMER_COLUMNS.map(([n]) => n), batch.customersCsv);
          await q.copyRows('customer_identities', IDENTITY_COLUMNS.map(([n]) => n), batch.identitiesCsv);
        } else {
          const { customers, identities } = batch.values();
          await insertRows(q, 'customers', CUSTOMER_COLUMNS, customers);
          await insertRows(q, 'customer_identities', IDENTITY_COLUMNS, identities);
        }
      },
      { isolation: 'repeatable read' },
    );
    return true;
  } catch (err) {
    if (sqlState(err) !== UNIQUE_VIOLATION) throw err;
    return false;
  }
}

/**
 * An identity (phone, email, handle) belongs to one customer of the tenant: the rows refused for one
 * the database gives to another customer (`heldElsewhere`, by line), then for one an earlier row of
 * the batch claims.
 */
function identityClashes(rows: PendingRow[], heldElsewhere: ReadonlyMap<number, string>): Rejection[] {
  const claimedInBatch = new Map<string, string>();
  const rejected: Rejection[] = [];
  for (const row of rows) {
    const clash =
      heldElsewhere.get(row.line) ??
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
  return rejected;
}

const key = (i: Pick<Identity, 'kind' | 'value'>): string => `${i.kind}:${i.value}`;
