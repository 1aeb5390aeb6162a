import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../base/random';
import { AmiParser, amiField, type AmiFrame } from './ami-parser';
import { fixtureServerStream } from './testing/fixture';

function parseInChunks(bytes: Buffer, sizes: () => number, parser = new AmiParser()): AmiFrame[] {
  const frames: AmiFrame[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = sizes();
    frames.push(...parser.push(bytes.subarray(offset, offset + size)));
    offset += size;
  }
  return frames;
}

describe('AmiParser', () => {
  const stream = Buffer.from(fixtureServerStream(), 'utf8');
  const whole = new AmiParser().push(stream);

  it('reads the recorded session: banner, then every response and event', () => {
    expect(whole[0]).toEqual({ kind: 'banner', version: '13.0.0' });
    const messages = whole.flatMap((f) => (f.kind === 'message' ? [f.message] : []));
    const names = messages.map((m) => amiField(m, 'Event') ?? `Response:${amiField(m, 'Response')}`);
    expect(names.slice(0, 3)).toEqual(['Response:Success', 'FullyBooted', 'SuccessfulAuth']);
    expect(names.at(-1)).toBe('Response:Goodbye');
    expect(names.filter((n) => n === 'QueueCallerJoin')).toHaveLength(2);
    expect(names.filter((n) => n === 'QueueMemberPause')).toHaveLength(4);
    const join = messages.find((m) => amiField(m, 'Event') === 'QueueCallerJoin');
    expect(join && amiField(join, 'CallerIDNum')).toBe('+821012345678');
    expect(join && amiField(join, 'AccountCode')).toBeUndefined(); // `AccountCode: ` is empty, not garbage
  });

  it('gives identical messages for every chunking, down to single bytes', () => {
    const rng = mulberry32(99);
    for (let run = 0; run < 25; run++) {
      const max = [1, 2, 3, 7, 64, 1500][run % 6] ?? 1;
      expect(parseInChunks(stream, () => 1 + Math.floor(rng() * max))).toEqual(whole);
    }
  });

  it('keeps a multi-byte character split across chunks intact', () => {
    const text = 'Event: QueueCallerJoin\r\nCallerIDName: 김민지\r\nUniqueid: 1.1\r\n\r\n';
    const frames = parseInChunks(Buffer.from(text, 'utf8'), () => 1);
    expect(frames).toHaveLength(1);
    const [frame] = frames;
    expect(frame?.kind === 'message' && amiField(frame.message, 'CallerIDName')).toBe('김민지');
  });

  it('skips garbage lines, tolerates bare LF and extra blank lines, keeps the messages around them', () => {
    const parser = new AmiParser();
    const frames = parser.push('\r\n\r\n%%garbage line%%\r\nEvent: A\r\n<<<noise>>>\r\nKey: v: with colon\nOther:\r\n\r\n\r\nEvent: B\r\n\r\n');
    const messages = frames.flatMap((f) => (f.kind === 'message' ? [f.message] : []));
    expect(messages.map((m) => m.pairs)).toEqual([
      [['Event', 'A'], ['Key', 'v: with colon'], ['Other', '']],
      [['Event', 'B']],
    ]);
    expect(parser.stats.garbageLines).toBe(2);
  });

  it('drops an oversized message whole and counts it, then reads on', () => {
    const parser = new AmiParser({ maxMessageBytes: 200 });
    const big = `Event: Big\r\n${Array.from({ length: 20 }, (_, i) => `Variable${i}: ${'x'.repeat(20)}`).join('\r\n')}\r\n\r\n`;
    const runaway = `Event: Runaway\r\nData: ${'y'.repeat(1000)}`;
    const frames = [
      ...parser.push(big),
      ...parser.push(runaway),
      ...parser.push(`${'y'.repeat(500)}\r\nMore: z\r\n\r\nEvent: After\r\n\r\n`),
    ];
    const messages = frames.flatMap((f) => (f.kind === 'message' ? [f.message] : []));
    expect(messages.map((m) => amiField(m, 'Event'))).toEqual(['After']);
    expect(parser.stats.oversizedMessages).toBe(2);
  });

  it('lets the first occurrence of a repeated key win in fields and keeps all in pairs', () => {
    const [frame] = new AmiParser().push('Event: X\r\nVariable: a=1\r\nvariable: b=2\r\n\r\n');
    expect(frame?.kind === 'message' && frame.message.fields['variable']).toBe('a=1');
    expect(frame?.kind === 'message' && frame.message.pairs).toHaveLength(3);
  });
});
