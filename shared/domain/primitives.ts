// The small types every entity is built from.
import { z } from 'zod';

export const Uuid = z.string().uuid();
const CALENDAR = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?/;
/**
 * Whether an ISO-8601 date or date-time (`2026-03-01`, `2026-03-01T14:05:00+09:00`) names a day that
 * exists — year 1 or later, month 1–12, a day the month has — and a time of day that does. JavaScript
 * rolls `2026-02-30` over to March 2 and takes year 0; PostgreSQL refuses both (22008), so a date
 * either is real at every door or is refused there.
 */
export function isRealDateTime(value: string): boolean {
  const m = CALENDAR.exec(value);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1).map((p) => (p === undefined ? undefined : Number(p))) as number[];
  if (year! < 1 || month! < 1 || month! > 12 || day! < 1 || hour > 23 || minute > 59 || second > 59) return false;
  const daysInMonth = new Date(Date.UTC(2000, month!, 0)).getUTCDate() - (month === 2 && !isLeapYear(year!) ? 1 : 0);
  return day! <= daysInMonth;
}
const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** ISO-8601 timestamp as produced by Date.prototype.toISOString (always UTC); a real instant (isRealDateTime). */
export const IsoTime = z.string().datetime({ offset: true }).refine(isRealDateTime, 'is not a real date and time (a year from 1, a day its month has)');

/**
 * Who a user is at the center. `staff`: a member of a department who works the VOC desk, not calls;
 * supervisors and admins may be department members too (membership is not a role). `analyst`:
 * management reading the VOC analysis and improvements, and nothing else (no calls, no customer
 * records to sync, no VOC steps).
 */
export const Role = z.enum(['agent', 'supervisor', 'admin', 'staff', 'analyst']);
export type Role = z.infer<typeof Role>;
