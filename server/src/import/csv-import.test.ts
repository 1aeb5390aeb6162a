// The batch pipeline under runCsvImport: the next batch is read, and its writer started, while one is
// written, but writes never overlap and apply in file order; a failed write stops the import with its
// error, and nothing after it is written.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { IMPORT_BATCH_ROWS, runCsvImport, type CsvImportSpec } from './csv-import';

const dir = mkdtempSync(join(tmpdir(), 'earshot-csv-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rows = Math.floor(IMPORT_BATCH_ROWS * 3.5);
const file = join(dir, 'n.csv');
writeFileSync(file, `n\n${Array.from({ length: rows }, (_, i) => String(i)).join('\n')}\n`);

/** `started` counts writers begun and not yet ended: the one writing and the next one, waiting its turn. */
const spec = (write: (values: number[]) => Promise<void>, started = { now: 0, most: 0 }): CsvImportSpec<null, number> => ({
  parseHeader: () => null,
  parseRow: (_h, fields) => ({ ok: true, value: Number(fields[0]) }),
  keyOf: (n) => String(n),
  writeBatch: async (_h, batch, turn) => {
    started.now += 1;
    started.most = Math.max(started.most, started.now);
    try {
      await turn;
      await write(batch.map((b) => b.value));
    } finally {
      started.now -= 1;
    }
    return { imported: batch.length, rejected: [] };
  },
  emptyFileMessage: 'empty',
});

it('reads ahead and starts the next writer while a batch is written, yet writes one batch at a time in file order', async () => {
  const started = { now: 0, most: 0 };
  const written: number[] = [];
  let writing = 0;
  let readAhead = false;
  const progress: number[] = [];
  const result = await runCsvImport(
    file,
    spec(async (values) => {
      expect(writing).toBe(0);
      writing += 1;
      await new Promise((r) => setTimeout(r, 30));
      writing -= 1;
      written.push(...values);
    }, started),
    (p) => {
      progress.push(p.imported);
      if (p.rows > p.imported) readAhead = true;
    },
  );
  expect(result).toEqual({ rows, imported: rows, rejected: [] });
  expect(written).toEqual(Array.from({ length: rows }, (_, i) => i));
  expect(progress).toEqual([IMPORT_BATCH_ROWS, 2 * IMPORT_BATCH_ROWS, 3 * IMPORT_BATCH_ROWS, rows, rows]);
  expect(readAhead).toBe(true);
  // Two writers at once at most: the batch writing and the next one waiting for its turn, never a third.
  expect(started.most).toBe(2);
});

it('stops at a failed write with its error, starting no write after it', async () => {
  let writes = 0;
  const failing = spec(async () => {
    writes += 1;
    if (writes === 2) throw new Error('the database went away');
  });
  await expect(runCsvImport(file, failing)).rejects.toThrow('the database went away');
  expect(writes).toBe(2);
});
