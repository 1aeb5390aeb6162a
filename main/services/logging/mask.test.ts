import { describe, expect, it } from 'vitest';
import { maskForLog, maskText, SCANNING_PATTERNS } from './mask';

describe('maskText', () => {
  it('masks emails and phone numbers in free text', () => {
    expect(maskText('caller +82 10-1234-5678 wrote from kim.minji@example.co.kr')).toBe('caller [phone] wrote from [email]');
    expect(maskText('ANI (555) 123-4567 and 01012345678')).toBe('ANI [phone] and [phone]');
  });

  it('leaves ids, dates, times, addresses of machines and versions alone', () => {
    const text = 'note 0190a3b4-1234-7abc-8def-0123456789ab at 2026-11-25T01:21:49.123Z on 2026-11-25 via 127.0.0.1:4000 v45.4.1 seq 1234';
    expect(maskText(text)).toBe(text);
  });
});

describe('maskForLog', () => {
  it('masks personal fields by name at any depth, and phone numbers anywhere', () => {
    const masked = maskForLog({
      interactionId: '0190a3b4-1234-7abc-8def-0123456789ab',
      customer: { displayName: 'Kim Minji', phones: ['+821012345678'], email: 'k@example.com', tier: 'vip' },
      note: { id: 'n1', text: 'Customer is upset about billing' },
      err: new Error('lookup failed for +14155550123'),
      detail: 'retry 3 for +14155550123',
    });
    expect(masked).toEqual({
      interactionId: '0190a3b4-1234-7abc-8def-0123456789ab',
      customer: { displayName: '[masked]', phones: '[masked]', email: '[masked]', tier: 'vip' },
      note: '[masked]',
      err: { name: 'Error', message: 'lookup failed for [phone]', code: undefined },
      detail: 'retry 3 for [phone]',
    });
    expect(JSON.stringify(masked)).not.toMatch(/Minji|billing|4155550123/);
  });

  it('drops prototype-pollution keys and survives cycles by depth', () => {
    const evil = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(maskForLog(evil)).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(maskForLog(cyclic))).toContain('[deep]');
  });
});

/** The unbounded quantifiers of a pattern's source, outside character classes and escapes. */
function unboundedRepetitions(source: string): string[] {
  const found: string[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '+' || c === '*') found.push(`${c} at ${i}`);
    else if (c === '{' && /^\{\d+,\}/.test(source.slice(i))) found.push(`{n,} at ${i}`);
  }
  return found;
}

describe('maskText on hostile input', () => {
  it('stays linear on long runs of digits and separators (no catastrophic backtracking)', () => {
    // Correctness on the shapes that made the first pattern explode; a slow regex would time the test out.
    for (const s of ['1'.repeat(5000) + 'x', '1 '.repeat(3000) + 'x', '(1-'.repeat(2000)]) {
      expect(typeof maskText(s)).toBe('string');
    }
    expect(maskText(`${'9'.repeat(40)}`)).toBe('9'.repeat(40)); // too long to be a phone number
  });

  it('bounds every repetition of the patterns it scans with, so a long unbroken text stays linear', () => {
    // An unbounded run (`+`, `*`, `{n,}`) is tried from every position of a long unbroken text (a
    // 100,000-character note pasted without a space): quadratic, 24 s for 100,000 letters with the
    // first email pattern (tests/bench/log-mask.bench.ts measures it now).
    for (const pattern of SCANNING_PATTERNS) expect(unboundedRepetitions(pattern.source), pattern.source).toEqual([]);
    for (const s of ['a'.repeat(100_000), 'ab.'.repeat(33_000), `${'x'.repeat(100_000)}@example`]) expect(maskText(s)).toBe(s);
    // Addresses are still masked whole, up to the longest local part and label an address may have.
    const local = 'l'.repeat(64);
    expect(maskText(`reply to ${local}@${'d'.repeat(63)}.example.co.kr now`)).toBe('reply to [email] now');
    expect(maskText('a.b+tag@mail.sub.example.com')).toBe('[email]');
  });
});
