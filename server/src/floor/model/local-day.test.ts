import { describe, expect, it } from 'vitest';
import { localDate, startOfLocalDay } from './local-day';

const z = (iso: string) => Date.parse(iso);

describe('local midnight in the tenant time zone', () => {
  it('follows New York across both DST changes', () => {
    // 8 March 2026: clocks go 02:00 EST -> 03:00 EDT; the day began at 05:00 UTC and lasts 23 hours.
    expect(startOfLocalDay(z('2026-03-08T12:00:00Z'), 'America/New_York')).toBe(z('2026-03-08T05:00:00Z'));
    expect(startOfLocalDay(z('2026-03-09T03:59:59Z'), 'America/New_York')).toBe(z('2026-03-08T05:00:00Z'));
    expect(startOfLocalDay(z('2026-03-09T04:00:00Z'), 'America/New_York')).toBe(z('2026-03-09T04:00:00Z'));
    // 1 November 2026: back to EST; the day began at 04:00 UTC and lasts 25 hours.
    expect(startOfLocalDay(z('2026-11-02T04:59:59.999Z'), 'America/New_York')).toBe(z('2026-11-01T04:00:00Z'));
    expect(startOfLocalDay(z('2026-11-02T05:00:00Z'), 'America/New_York')).toBe(z('2026-11-02T05:00:00Z'));
  });

  it('puts Seoul midnight at 15:00 UTC the day before', () => {
    expect(startOfLocalDay(z('2026-11-25T14:59:59Z'), 'Asia/Seoul')).toBe(z('2026-11-24T15:00:00Z'));
    expect(startOfLocalDay(z('2026-11-25T15:00:00Z'), 'Asia/Seoul')).toBe(z('2026-11-25T15:00:00Z'));
    expect(localDate(z('2026-11-25T15:00:00Z'), 'Asia/Seoul')).toBe(20261126);
  });

  it('starts a day at 01:00 where DST skips midnight (Santiago)', () => {
    expect(startOfLocalDay(z('2026-09-06T12:00:00Z'), 'America/Santiago')).toBe(z('2026-09-06T04:00:00Z'));
    expect(startOfLocalDay(z('2026-09-06T03:59:00Z'), 'America/Santiago')).toBe(z('2026-09-05T04:00:00Z'));
  });

  it('refuses a zone that does not exist, saying what to set', () => {
    expect(() => startOfLocalDay(0, 'Mars/Olympus_Mons')).toThrow(/IANA zone/);
  });
});
