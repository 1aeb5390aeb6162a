import { describe, expect, it } from 'vitest';
import { parseCustomerHeader, parseCustomerRow } from './customer-row';

describe('customer CSV rows', () => {
  const columns = ['External_ID', 'display_name', 'phone', 'email', 'social', 'language', 'segment', 'country', 'consent_sms', 'unused'];
  const header = parseCustomerHeader(columns);
  const row = (cells: Partial<Record<string, string>>): string[] => columns.map((c) => cells[c.toLowerCase()] ?? '');

  it('refuses a header without the required columns or with a column twice', () => {
    expect(() => parseCustomerHeader(['display_name', 'phone'])).toThrow(/no external_id column/);
    expect(() => parseCustomerHeader(['external_id', 'display_name', 'phone', 'PHONE'])).toThrow(/phone twice/);
  });

  it('normalises phones to E.164 by country, lower-cases emails, reads consent and language', () => {
    const r = parseCustomerRow(
      header,
      row({
        external_id: ' C-1 ', display_name: '김민지', phone: '010-1234-5678; +1 (202) 555-0123', email: 'MinJi@Example.COM',
        social: 'x:minji', language: 'ko', segment: '', country: '', consent_sms: 'Yes',
      }),
      columns.length,
    );
    expect(r).toEqual({
      ok: true,
      value: {
        externalId: 'C-1',
        displayName: '김민지',
        language: 'ko',
        segment: null,
        consent: { sms: true },
        identities: [
          { kind: 'phone', value: '+821012345678' },
          { kind: 'phone', value: '+12025550123' },
          { kind: 'email', value: 'minji@example.com' },
          { kind: 'social', value: 'x:@minji' },
        ],
      },
    });
    const us = parseCustomerRow(header, row({ external_id: 'C-2', display_name: 'John', phone: '(202) 555-0199', country: 'us' }), columns.length);
    expect(us.ok && us.value.identities).toEqual([{ kind: 'phone', value: '+12025550199' }]);
  });

  it('rejects bad cells naming the column, without echoing the personal data', () => {
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ external_id: '', display_name: 'x' }, /Column external_id is empty/],
      [{ external_id: 'C', display_name: 'x', phone: '12' }, /Column phone/],
      [{ external_id: 'C', display_name: 'x', email: 'not-an-email' }, /Column email/],
      [{ external_id: 'C', display_name: 'x', consent_sms: 'maybe' }, /Column consent_sms must be true or false/],
      [{ external_id: 'C', display_name: 'x', language: 'Korean language' }, /Column language/],
      [{ external_id: 'C', display_name: 'x', country: 'JP' }, /Column country must be KR or US/],
      [{ external_id: 'C', display_name: 'x', social: 'no handle here' }, /Column social/],
      [{ external_id: 'C', display_name: 'Kim\u0000 Minji' }, /Column display_name holds an invisible control character \(U\+0000\) at character 4/],
      [{ external_id: 'C', display_name: 'x', segment: 'retail\u0085' }, /Column segment holds an invisible control character \(U\+0085\)/],
      [{ external_id: 'C', display_name: 'half \ud83d of it' }, /Column display_name holds a broken character/],
    ];
    for (const [cells, reason] of cases) {
      const r = parseCustomerRow(header, row(cells), columns.length);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.reason).toMatch(reason);
        for (const v of Object.values(cells)) if (v.length > 2) expect(r.reason).not.toContain(v);
      }
    }
    expect(parseCustomerRow(header, ['C', 'x'], columns.length)).toEqual({ ok: false, reason: expect.stringMatching(/2 fields but the header has 10/) });
  });
});
