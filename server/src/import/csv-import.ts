// The shape every CSV import shares: stream the file, read the header, validate each row, write valid
// rows a batch at a time, and report bad rows by line and reason while the good ones are kept.
//
// Speed (issue 22): a batch is staged with COPY and applied by a few set-based statements, so the
// cost per batch is a handful of round trips whatever its size; batches are large (IMPORT_BATCH_ROWS);
// the next batch is read and validated, and may be staged, while the database applies the one before.
// Memory is bounded by three batches, never by the file: nothing else grows with the rows read.
import { createReadStream } from 'node:fs';
import { textFault } from '../../../shared/domain/index';
import { readCsvBatches } from './csv';

export interface ImportProgress {
  rows: number;
  imported: number;
  rejected: number;
}
export interface ImportResult {
  rows: number;
  imported: number;
  rejected: Array<{ line: number; reason: string }>;
}
export interface Rejection {
  line: number;
  reason: string;
}

/**
 * Rows written per transaction: bounds memory (three batches are held at most: the one being written,
 * the next one being staged, and the one being read) and lock time (a batch of customers applies in about a fifth of a second).
 */
export const IMPORT_BATCH_ROWS = 10_000;
/** Rejections listed one by one; past this only their number is reported, so a wrong file cannot exhaust memory. */
export const MAX_REJECTIONS_LISTED = 10_000;

/**
 * Maps a header row to column positions: names are trimmed and case-insensitive, unknown columns
 * are ignored; a repeated or missing required column refuses the file with what to fix.
 */
export function readHeader<C extends string>(fields: string[], required: readonly C[], optional: readonly C[]): Map<C, number> {
  const known = new Set<string>([...required, ...optional]);
  const header = new Map<C, number>();
  fields.forEach((raw, index) => {
    const name = raw.trim().toLowerCase();
    if (!known.has(name)) return;
    if (header.has(name as C)) throw new Error(`The CSV header names the column ${name} twice. Keep one and import again.`);
    header.set(name as C, index);
  });
  const missing = required.filter((c) => !header.has(c));
  if (missing.length > 0) {
    throw new Error(
      `The CSV header has no ${missing.join(' and no ')} column. The first row must name the columns: ` +
        `${required.join(', ')} (required)${optional.length > 0 ? ` and any of ${optional.join(', ')}` : ''}.`,
    );
  }
  return header;
}

/**
 * The cells of a data row by column name; a row of the wrong width is refused, and so is a cell the
 * text policy refuses (shared/domain/text-policy.ts: a NUL the database cannot store, another control
 * character, half a character pair), naming the column and the character's place, never the cell.
 */
export function cellsOf<C extends string>(header: Map<C, number>, fields: string[], headerWidth: number): Record<string, string> | string {
  if (fields.length !== headerWidth) {
    return `The row has ${fields.length} fields but the header has ${headerWidth}. Check for an unquoted comma.`;
  }
  const cells: Record<string, string> = {};
  for (const [column, index] of header) {
    const cell = fields[index] ?? '';
    const fault = textFault(cell);
    if (fault) return `Column ${column} holds ${fault}. Remove it from the file and import again.`;
    cells[column] = cell;
  }
  return cells;
}

export interface CsvImportSpec<H, T> {
  /** Reads the header row; throws (refusing the whole file) when it cannot be used. */
  parseHeader(fields: string[]): H;
  parseRow(header: H, fields: string[], headerWidth: number): { ok: true; value: T } | { ok: false; reason: string };
  /** Rows with the same key cannot share a batch (one statement cannot upsert a row twice). */
  keyOf(value: T): string;
  /**
   * Writes one batch. `turn` settles when every batch before it is written, and rejects when one failed:
   * the writer may prepare before then (stage its rows on a connection of its own), but must write
   * nothing until `turn` resolves, and must fail when it rejects. Batches so apply one after another in
   * file order, a later row winning over an earlier one, while the next batch is already on its way.
   */
  writeBatch(header: H, rows: Array<{ line: number; value: T }>, turn: Promise<void>): Promise<{ imported: number; rejected: Rejection[] }>;
  /** Said when the file has no header row at all. */
  emptyFileMessage: string;
  /** Rows per batch, when not IMPORT_BATCH_ROWS. */
  batchRows?: number;
  /** Runs once after the last batch when rows were imported (see tidyAfterImport). */
  afterImport?: () => Promise<void>;
}

/**
 * After a bulk import: VACUUM (ANALYZE) the tables it wrote, as PostgreSQL advises after a bulk load.
 * The planner then knows the new rows at once (a screen pop right after importing 1M customers is
 * planned for 1M, not for the table as it was), and the pages are cleaned now rather than by
 * autovacuum while agents are taking calls. VACUUM cannot run in a transaction: on the pool.
 */
export async function tidyAfterImport(db: { exec(sql: string): Promise<void> }, tables: readonly string[]): Promise<void> {
  await db.exec(`VACUUM (ANALYZE) ${tables.join(', ')}`);
}

export async function runCsvImport<H, T>(
  filePath: string,
  spec: CsvImportSpec<H, T>,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportResult> {
  const result: ImportResult = { rows: 0, imported: 0, rejected: [] };
  let rejectedCount = 0;
  let lastLine = 0;
  const reject = (line: number, reason: string): void => {
    rejectedCount += 1;
    if (result.rejected.length < MAX_REJECTIONS_LISTED) result.rejected.push({ line, reason });
  };

  let header: { value: H; width: number } | null = null;
  let batch: Array<{ line: number; value: T }> = [];
  const batchKeys = new Set<string>();
  // Every batch handed over so far, written in file order; and the same without the last one. A batch's
  // writer starts while the batch before it is still writing (it may stage its rows meanwhile), so at
  // most two batches are in the database at once and two in memory besides the one being read.
  let written: Promise<void> = Promise.resolve();
  let writtenBefore: Promise<void> = Promise.resolve();
  const flush = async (h: H): Promise<void> => {
    if (batch.length === 0) return;
    const rows = batch;
    batch = [];
    batchKeys.clear();
    await writtenBefore;
    const turn = written;
    const own = spec.writeBatch(h, rows, turn);
    // Settles when this batch and every one before it have settled, with the first failure in file order.
    const write = Promise.allSettled([turn, own]).then(([before, outcome]) => {
      if (before.status === 'rejected') throw before.reason;
      if (outcome.status === 'rejected') throw outcome.reason;
      result.imported += outcome.value.imported;
      for (const r of outcome.value.rejected) reject(r.line, r.reason);
      onProgress?.({ rows: result.rows, imported: result.imported, rejected: rejectedCount });
    });
    // Awaited before a later batch or at the end; until then a failure must not count as unhandled.
    write.catch(() => undefined);
    writtenBefore = turn;
    written = write;
  };

  try {
    // A chunk of the file's records at a time (readCsvBatches): one turn of the async iteration per chunk, not per row.
    for await (const records of readCsvBatches(createReadStream(filePath, { highWaterMark: 256 * 1024 }))) {
      for (const record of records) {
        lastLine = record.line;
        if (header === null) {
          if ('error' in record) throw new Error(`The CSV header row could not be read: ${record.error}`);
          header = { value: spec.parseHeader(record.fields), width: record.fields.length };
          continue;
        }
        result.rows += 1;
        if ('error' in record) {
          reject(record.line, record.error);
          continue;
        }
        const row = spec.parseRow(header.value, record.fields, header.width);
        if (!row.ok) {
          reject(record.line, row.reason);
          continue;
        }
        // Write what came before first, so a later row wins over an earlier one as it does across batches.
        const key = spec.keyOf(row.value);
        if (batchKeys.has(key)) await flush(header.value);
        batch.push({ line: record.line, value: row.value });
        batchKeys.add(key);
        if (batch.length >= (spec.batchRows ?? IMPORT_BATCH_ROWS)) await flush(header.value);
      }
    }
    if (header === null) throw new Error(spec.emptyFileMessage);
    await flush(header.value);
  } finally {
    // Never leave a batch writing behind an error: the caller may close the database next.
    await written.catch(() => undefined);
  }
  await written;
  if (result.imported > 0) await spec.afterImport?.();

  result.rejected.sort((a, b) => a.line - b.line);
  if (rejectedCount > result.rejected.length) {
    result.rejected.push({
      line: lastLine,
      reason: `${rejectedCount - result.rejected.length} more rows were rejected and are not listed. Fix the rows above and import the file again.`,
    });
  }
  onProgress?.({ rows: result.rows, imported: result.imported, rejected: rejectedCount });
  return result;
}
