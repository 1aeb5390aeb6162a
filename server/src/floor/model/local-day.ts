// Local midnight in a tenant's IANA time zone, through Intl: "since midnight" figures must follow the
// tenant's wall clock across DST changes (a day can be 23 or 25 hours long).

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      throw new RangeError(`Time zone ${JSON.stringify(timeZone)} is not an IANA zone this Node knows; set the tenant's zone to one like Asia/Seoul or America/New_York.`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local calendar date at an instant, as a sortable number yyyymmdd. */
export function localDate(ms: number, timeZone: string): number {
  let y = 0;
  let m = 0;
  let d = 0;
  for (const part of formatterFor(timeZone).formatToParts(ms)) {
    if (part.type === 'year') y = Number(part.value);
    else if (part.type === 'month') m = Number(part.value);
    else if (part.type === 'day') d = Number(part.value);
  }
  return y * 10_000 + m * 100 + d;
}

/**
 * The first instant (ms) of the local day containing `ms`. Found by bisection on "is it already that
 * date" rather than by subtracting an offset, so days that start at 01:00 (a DST gap at midnight) are right too.
 */
export function startOfLocalDay(ms: number, timeZone: string): number {
  const today = localDate(ms, timeZone);
  const minute = 60_000;
  // No zone is more than 26 hours from its previous midnight, and offsets are whole minutes.
  let lo = Math.floor(ms / minute) * minute - 27 * 60 * minute; // surely the day before
  let hi = Math.floor(ms / minute) * minute; // surely today (ms itself is today)
  if (localDate(hi, timeZone) !== today) hi += minute; // ms was not on a whole minute
  while (hi - lo > minute) {
    const mid = lo + Math.floor((hi - lo) / 2 / minute) * minute;
    if (localDate(mid, timeZone) >= today) hi = mid;
    else lo = mid;
  }
  return hi;
}
