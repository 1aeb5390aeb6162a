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
  // Read without building arrays: imports call this once per row of a file of millions.
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false;
  return day <= DAYS_IN_MONTH[month - 1]! + (month === 2 && isLeapYear(year) ? 1 : 0);
}
/** Days in each month of a common year. */
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;
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
