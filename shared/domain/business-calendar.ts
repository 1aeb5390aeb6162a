// Working time on a tenant's business calendar: its working hours per weekday and its holidays, in
// its IANA time zone. VOC deadlines run on it (VOC.md, "Deadlines"): "resolve within 16 working
// hours" on a Friday afternoon ends on Tuesday, not on Saturday. Pure; the zone arithmetic uses only
// Intl (every runtime has it), through the two primitives a calendar needs: the wall-clock time of
// an instant, and the instant of a wall-clock time.
import { z } from 'zod';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day as HH:MM');
/** ISO calendar date, checked for real (no 30 February). */
export const CalendarDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((d) => {
    const [y, m, day] = d.split('-').map(Number) as [number, number, number];
    const t = new Date(Date.UTC(y, m - 1, day));
    return y >= 1900 && y <= 2999 && t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day;
  }, 'a date that exists (YYYY-MM-DD)');

export const WorkingHours = z
  .object({
    /** 0 = Sunday … 6 = Saturday, as Date#getDay. */
    weekday: z.number().int().min(0).max(6),
    opens: HHMM,
    closes: HHMM,
  })
  .refine((h) => minutesOf(h.opens) < minutesOf(h.closes), { message: 'a working day closes after it opens' });
export type WorkingHours = z.infer<typeof WorkingHours>;

export interface BusinessCalendar {
  timeZone: string;
  /** At most one interval per weekday; a weekday without one is not worked. */
  hours: readonly WorkingHours[];
  /** Local dates not worked (YYYY-MM-DD). */
  holidays: ReadonlySet<string>;
}

export class CalendarError extends Error {
  override readonly name = 'CalendarError';
}

const DAY_MS = 86_400_000;
/** How far a deadline may lie (ten years of days): a calendar that never opens is refused instead. */
const MAX_DAYS = 3_660;

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      throw new CalendarError(`Time zone ${JSON.stringify(timeZone)} is not an IANA zone; use one like Asia/Seoul or America/New_York.`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time of an instant in a zone. */
export function wallClock(ms: number, timeZone: string): { y: number; m: number; d: number; minute: number; second: number } {
  const p: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(ms)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { y: p.year!, m: p.month!, d: p.day!, minute: (p.hour! % 24) * 60 + p.minute!, second: p.second! };
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.y, w.m - 1, w.d, 0, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of a wall-clock time (a time in a DST gap moves forward by the gap). */
export function instantOf(day: { y: number; m: number; d: number }, minute: number, timeZone: string): number {
  const local = Date.UTC(day.y, day.m - 1, day.d, 0, minute);
  let guess = local - offsetAt(local, timeZone);
  guess = local - offsetAt(guess, timeZone);
  return guess;
}

const dayKey = (d: { y: number; m: number; d: number }) => `${String(d.y).padStart(4, '0')}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
const nextDay = (d: { y: number; m: number; d: number }) => {
  const t = new Date(Date.UTC(d.y, d.m - 1, d.d) + DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
};
const weekdayOf = (d: { y: number; m: number; d: number }) => new Date(Date.UTC(d.y, d.m - 1, d.d)).getUTCDay();

/** The working interval of a local day, in minutes of the day, or null when it is not worked. */
function workingInterval(cal: BusinessCalendar, day: { y: number; m: number; d: number }): [number, number] | null {
  if (cal.holidays.has(dayKey(day))) return null;
  const h = cal.hours.find((x) => x.weekday === weekdayOf(day));
  return h ? [minutesOf(h.opens), minutesOf(h.closes)] : null;
}

function checkWorks(cal: BusinessCalendar): void {
  if (!cal.hours.some((h) => minutesOf(h.opens) < minutesOf(h.closes))) {
    throw new CalendarError('The business calendar has no working hours: set the tenant\'s working hours (earshot-center voc hours …) before deadlines can run.');
  }
}

/** The instant `minutes` working minutes after `startMs` (a start outside working hours counts from the next opening). */
export function addWorkingMinutes(startMs: number, minutes: number, cal: BusinessCalendar): number {
  if (!(minutes >= 0)) throw new CalendarError(`A working time must be zero or more minutes, not ${minutes}.`);
  checkWorks(cal);
  const start = wallClock(startMs, cal.timeZone);
  let day = { y: start.y, m: start.m, d: start.d };
  let at = start.minute + start.second / 60;
  let left = minutes;
  for (let i = 0; i < MAX_DAYS; i++) {
    const open = workingInterval(cal, day);
    if (open) {
      const from = Math.max(at, open[0]);
      if (from < open[1]) {
        if (from + left <= open[1]) {
          const target = from + left;
          return instantOf(day, Math.floor(target), cal.timeZone) + Math.round((target - Math.floor(target)) * 60_000);
        }
        left -= open[1] - from;
      }
    }
    day = nextDay(day);
    at = 0;
  }
  throw new CalendarError(`No working time for ${minutes} minutes within ten years: check the tenant's working hours and holidays.`);
}

/** Working minutes between two instants (0 when `toMs` is not after `fromMs`). */
export function workingMinutesBetween(fromMs: number, toMs: number, cal: BusinessCalendar): number {
  if (!(toMs > fromMs)) return 0;
  checkWorks(cal);
  const a = wallClock(fromMs, cal.timeZone);
  const b = wallClock(toMs, cal.timeZone);
  const last = dayKey(b);
  let day = { y: a.y, m: a.m, d: a.d };
  let total = 0;
  for (let i = 0; i < MAX_DAYS * 2; i++) {
    const open = workingInterval(cal, day);
    const key = dayKey(day);
    if (open) {
      const from = Math.max(open[0], key === dayKey(a) ? a.minute + a.second / 60 : 0);
      const to = Math.min(open[1], key === last ? b.minute + b.second / 60 : 24 * 60);
      if (to > from) total += to - from;
    }
    if (key === last) return total;
    day = nextDay(day);
  }
  return total;
}
