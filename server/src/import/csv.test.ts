import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../base/random';
import { readCsv, type CsvRecord } from './csv';

async function read(input: Buffer | string, chunkSizes?: () => number, maxRecordBytes?: number): Promise<CsvRecord[]> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  async function* chunks(): AsyncGenerator<Buffer> {
    if (!chunkSizes) {
      yield bytes;
      return;
    }
    for (let i = 0; i < bytes.length; ) {
      const n = chunkSizes();
      yield bytes.subarray(i, i + n);
      i += n;
    }
  }
  const out: CsvRecord[] = [];
  for await (const r of readCsv(chunks(), maxRecordBytes ? { maxRecordBytes } : {})) out.push(r);
  return out;
}

describe('readCsv', () => {
  const sample =
    '\ufeffexternal_id,display_name,note\r\n' +
    'C1,김민지,"says ""hi"", twice"\r\n' +
    '\r\n' +
    'C2,"Smith, John","two\r\nlines"\r\n' +
    'C3,,""\n' +
    'C4,last,no newline at end';

  it('handles a BOM, quotes, embedded commas and newlines, CRLF and LF, blank lines, and counts lines', async () => {
    expect(await read(sample)).toEqual([
      { line: 1, fields: ['external_id', 'display_name', 'note'] },
      { line: 2, fields: ['C1', '김민지', 'says "hi", twice'] },
      { line: 4, fields: ['C2', 'Smith, John', 'two\r\nlines'] },
      { line: 6, fields: ['C3', '', ''] },
      { line: 7, fields: ['C4', 'last', 'no newline at end'] },
    ]);
  });

  it('reads the same records whatever the chunk boundaries, split CRLF and split characters included', async () => {
    const whole = await read(sample);
    const rng = mulberry32(5);
    for (let run = 0; run < 30; run++) {
      const max = [1, 2, 3, 5, 17][run % 5] ?? 1;
      expect(await read(sample, () => 1 + Math.floor(rng() * max))).toEqual(whole);
    }
  });

  it('turns invalid UTF-8 into an error for that row only', async () => {
    const bad = Buffer.concat([Buffer.from('a,b\r\nok,1\r\nbad,'), Buffer.from([0xc3, 0x28]), Buffer.from('\r\nok2,2\r\n')]);
    const records = await read(bad);
    expect(records.map((r) => ('error' in r ? `error@${r.line}` : r.fields[0]))).toEqual(['a', 'ok', 'error@3', 'ok2']);
    expect(records[2]).toMatchObject({ error: expect.stringMatching(/not valid UTF-8/) });
  });

  it('reports text after a closing quote and a quote never closed, with their lines', async () => {
    const records = await read('a,b\n"x"y,1\nfine,2\n"open,3\nmore\n');
    expect(records[1]).toEqual({ line: 2, error: expect.stringMatching(/follows the closing quote/) });
    expect(records[2]).toEqual({ line: 3, fields: ['fine', '2'] });
    expect(records[3]).toEqual({ line: 4, error: expect.stringMatching(/never closed/) });
    expect(records).toHaveLength(4);
  });

  it('skips a row longer than the limit and reads on from the next line', async () => {
    const records = await read(`a,b\n${'x'.repeat(300)},1\nnext,2\n`, undefined, 100);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, error: expect.stringMatching(/longer than 100 bytes/) },
      { line: 3, fields: ['next', '2'] },
    ]);
  });
});
