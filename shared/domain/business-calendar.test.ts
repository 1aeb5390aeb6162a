// Working time on a business calendar: weekends, holidays, a start outside hours, a DST change, and
// the two functions agreeing with each other over random starts and lengths.
import { describe, expect, it } from 'vitest';
import { addWorkingMinutes, CalendarDay, CalendarError, instantOf, wallClock, workingMinutesBetween, type BusinessCalendar } from './business-calendar';

const weekdays = (opens: string, closes: string) => [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens, closes }));
const seoul: BusinessCalendar = { timeZone: 'Asia/Seoul', hours: weekdays('09:00', '18:00'), holidays: new Set(['2026-12-25']) };
const at = (iso: string) => Date.parse(iso);

describe('business calendar', () => {
  it('carries a deadline over the evening, a holiday and the weekend', () => {
    // Thursday 24 December 17:00 in Seoul + 2 working hours: 1 h on Thursday, Friday is Christmas,
    // the weekend is off, so Monday 28 December 10:00.
    expect(new Date(addWorkingMinutes(at('2026-12-24T17:00:00+09:00'), 120, seoul)).toISOString()).toBe('2026-12-28T01:00:00.000Z');
    expect(workingMinutesBetween(at('2026-12-24T17:00:00+09:00'), at('2026-12-28T10:00:00+09:00'), seoul)).toBe(120);
  });

  it('counts from the next opening when started outside working hours', () => {
    expect(new Date(addWorkingMinutes(at('2026-12-07T07:30:00+09:00'), 30, seoul)).toISOString()).toBe('2026-12-07T00:30:00.000Z'); // Mon 09:30
    expect(new Date(addWorkingMinutes(at('2026-12-05T12:00:00+09:00'), 0, seoul)).toISOString()).toBe('2026-12-07T00:00:00.000Z'); // Sat → Mon 09:00
    expect(workingMinutesBetween(at('2026-12-05T00:00:00+09:00'), at('2026-12-06T23:59:00+09:00'), seoul)).toBe(0);
  });

  it('follows the local clock across a DST change', () => {
    const ny: BusinessCalendar = { timeZone: 'America/New_York', hours: weekdays('09:00', '17:00'), holidays: new Set() };
    // Friday 6 March 2026 16:00 EST + 2 h: 1 h on Friday, then Monday 9 March (now EDT) 10:00.
    const due = addWorkingMinutes(at('2026-03-06T16:00:00-05:00'), 120, ny);
    expect(new Date(due).toISOString()).toBe('2026-03-09T14:00:00.000Z');
    expect(wallClock(due, 'America/New_York')).toMatchObject({ d: 9, minute: 10 * 60 });
    expect(instantOf({ y: 2026, m: 3, d: 9 }, 9 * 60, 'America/New_York')).toBe(at('2026-03-09T09:00:00-04:00'));
  });

  it('agrees with itself over random starts and lengths', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const cal: BusinessCalendar = { timeZone: 'Asia/Seoul', hours: [...weekdays('09:00', '18:00'), { weekday: 6, opens: '10:00', closes: '13:00' }], holidays: new Set(['2026-01-01', '2026-02-16', '2026-02-17']) };
    for (let i = 0; i < 300; i++) {
      const start = at('2026-01-01T00:00:00Z') + Math.floor(random() * 90 * 86_400) * 1000;
      const minutes = Math.floor(random() * 5_000);
      const due = addWorkingMinutes(start, minutes, cal);
      expect(due).toBeGreaterThanOrEqual(start);
      expect(workingMinutesBetween(start, due, cal)).toBeCloseTo(minutes, 6);
    }
  });

  it('refuses a calendar that never opens, a negative length and an unknown zone', () => {
    expect(() => addWorkingMinutes(0, 10, { timeZone: 'Asia/Seoul', hours: [], holidays: new Set() })).toThrow(CalendarError);
    expect(() => addWorkingMinutes(0, -1, seoul)).toThrow(/zero or more/);
    expect(() => addWorkingMinutes(0, 1, { ...seoul, timeZone: 'Mars/Olympus' })).toThrow(/not an IANA zone/);
  });

  it('accepts real dates only', () => {
    expect(CalendarDay.safeParse('2026-02-28').success).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', '26-01-01', '2026-1-1', '0000-01-01']) expect(CalendarDay.safeParse(bad).success).toBe(false);
  });
});
