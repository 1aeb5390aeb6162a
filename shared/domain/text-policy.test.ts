// The one text policy: what it refuses, how it cleans, and that cleaning always yields text it accepts.
import { describe, expect, it } from 'vitest';
import { cleaned, cleanText, cleanTexts, policyText, textFault } from './text-policy';
import { z } from 'zod';

const CONTROLS = [...Array.from({ length: 0x20 }, (_, i) => i).filter((i) => ![0x09, 0x0a, 0x0d].includes(i)), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i)];

describe('text policy', () => {
  it('refuses every C0 control but tab, LF and CR, DEL and every C1 control, saying which and where', () => {
    for (const unit of CONTROLS) {
      const text = `ab${String.fromCharCode(unit)}c`;
      expect(textFault(text), unit.toString(16)).toBe(
        `an invisible control character (U+${unit.toString(16).toUpperCase().padStart(4, '0')}) at character 3, as text pasted from a PDF or a terminal may carry`,
      );
      expect(cleanText(text)).toBe('abc');
    }
  });

  it('keeps tab, line breaks, whole emoji and Korean; replaces half a character pair with U+FFFD', () => {
    const fine = 'line one\r\nline two\n\ttabbed 😀👍🏽 한글 \ufffd \u00a0';
    expect(textFault(fine)).toBeNull();
    expect(cleanText(fine)).toBe(fine);
    expect(textFault('a\ud83d')).toBe('a broken character (half of a character pair, U+D83D) at character 2');
    expect(textFault('\ude00b')).toMatch(/U\+DE00\) at character 1/);
    expect(cleanText('x\ud83dy\ude00z\ude00\ud83d')).toBe('x\ufffdy\ufffdz\ufffd\ufffd');
  });

  it('always cleans to text it accepts, and cleaning twice changes nothing', () => {
    let seed = 20;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: Math.floor(rand() * 40) }, () =>
        String.fromCharCode(rand() < 0.3 ? Math.floor(rand() * 0xa0) : rand() < 0.5 ? 0xd800 + Math.floor(rand() * 0x800) : 0x20 + Math.floor(rand() * 0xffdf)),
      ).join('');
      const clean = cleanText(text);
      expect(textFault(clean), JSON.stringify(text)).toBeNull();
      expect(cleanText(clean)).toBe(clean);
    }
  });

  it('cleans every string of a value, keys too, and keeps a __proto__ key a key', () => {
    const input = JSON.parse('{"__proto__": {"text": "smuggled"}, "a\\u0000": ["x\\u0007", {"b": "\\ud83d"}], "n": 1}') as Record<string, unknown>;
    const out = cleanTexts(input) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'a', 'n']);
    expect(out['a']).toEqual(['x', { b: '\ufffd' }]);
    expect((out as { text?: unknown }).text).toBeUndefined();
    const untouched = { a: ['b', { c: 'd' }] };
    expect(cleanTexts(untouched)).toBe(untouched);
    // A strict schema after cleaning still refuses the smuggled key.
    expect(cleaned(z.strictObject({ n: z.number() })).safeParse(JSON.parse('{"__proto__": {"n": 1}}')).success).toBe(false);
  });

  it('refuses on the wire, naming the fault and never the text', () => {
    const r = policyText(100).safeParse('secret name\u0000');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(
      'holds an invisible control character (U+0000) at character 12, as text pasted from a PDF or a terminal may carry; remove it and send again',
    );
    expect(r.error?.issues[0]?.message).not.toContain('secret');
    expect(policyText(3).safeParse('abc').success).toBe(true);
  });
});
