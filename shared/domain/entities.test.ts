// IsoTime takes only instants that exist: zod's own check stops month 13 and February 30; year 0
// (which JavaScript takes and PostgreSQL refuses) is stopped by isRealDateTime.
import { describe, expect, it } from 'vitest';
import { isRealDateTime, IsoTime } from './entities';

describe('IsoTime', () => {
  it.each([
    ['2026-13-01T00:00:00.000Z', 'month 13'],
    ['0000-01-01T00:00:00.000Z', 'year 0'],
    ['2026-02-30T00:00:00.000Z', 'February 30'],
    ['2026-02-29T00:00:00.000Z', 'February 29 of a common year'],
    ['2026-04-31T10:00:00+09:00', 'April 31'],
    ['2026-01-01T24:00:00.000Z', 'hour 24'],
    ['yesterday', 'not a date'],
  ])('refuses %s (%s)', (value) => {
    expect(IsoTime.safeParse(value).success).toBe(false);
  });

  it.each(['2024-02-29T00:00:00.000Z', '2000-02-29T23:59:59Z', '0001-01-01T00:00:00.000Z', '2026-11-25T10:00:00+09:00'])('takes %s', (value) => {
    expect(IsoTime.safeParse(value).success).toBe(true);
  });

  it('reads dates and date-times as the CSV import writes them', () => {
    expect(isRealDateTime('2026-03-01')).toBe(true);
    expect(isRealDateTime('2026-03-01 14:05')).toBe(true);
    expect(isRealDateTime('1900-02-29')).toBe(false);
    expect(isRealDateTime('2026-03-01T14:60')).toBe(false);
  });
});
