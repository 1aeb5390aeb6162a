// Read-ahead of bootstrap pages (bootstrap.ts): a desktop walking its bootstrap asks for the next
// page as soon as it has stored this one, so once a page is answered this node starts reading the
// next while the answer travels and is applied. The walk is bound by the Node thread (encoding and
// sending a page) and the database (reading one) in turn; overlapping them is most of the rate
// (measured in the bootstrap-pull bench). A page read ahead is what a request at that moment would
// have got: rows as they were when read (at V or later), every later change in the change log above
// V. It is served only to the same user asking for the same cursor with the same limit, once,
// within READ_AHEAD_MS; a failed read is dropped and the request reads the page itself. Another node
// simply reads the page from the table. Not on PGlite: it runs one query at a time in this process,
// so a page read ahead overlaps nothing and would only make other agents' requests (a screen pop)
// wait behind it.
import type { PullResponse } from '../../../shared/protocol';
import type { Principal } from '../auth/sessions';
import type { Db } from '../db/db';

interface Ahead {
  tenantId: string;
  userId: string;
  limit: number;
  at: number;
  page: Promise<PullResponse | null>;
}
interface AheadStats {
  started: number;
  served: number;
  failed: number;
  /** Not started: READ_AHEAD_MAX pages were already waiting. */
  skipped: number;
}
/** Per center database: the pages read ahead and not yet asked for, by cursor, and the counters. */
const ahead = new WeakMap<Db, { pages: Map<string, Ahead>; stats: AheadStats }>();
/** Bounds the memory the waiting pages hold. */
const READ_AHEAD_MAX = 32;
const READ_AHEAD_MS = 30_000;

function aheadOf(db: Db): { pages: Map<string, Ahead>; stats: AheadStats } {
  let a = ahead.get(db);
  if (!a) ahead.set(db, (a = { pages: new Map(), stats: { started: 0, served: 0, failed: 0, skipped: 0 } }));
  return a;
}

/** What the read-ahead did on this center's database (counters since the process started). */
export const readAheadStats = (db: Db): AheadStats => aheadOf(db).stats;

/** Starts reading the page after `cursor` (unless on PGlite, or READ_AHEAD_MAX pages are already waiting). */
export function startReadAhead(db: Db, who: Principal, cursor: string, limit: number, read: () => Promise<PullResponse>): void {
  if (db.driver === 'pglite') return;
  const { pages, stats } = aheadOf(db);
  const now = Date.now();
  for (const [k, a] of pages) if (now - a.at > READ_AHEAD_MS) pages.delete(k);
  // Full (many desktops bootstrapping at once, as at the start of a shift): this walk goes without.
  // Evicting another walk's page instead would have both pages read twice.
  if (pages.size >= READ_AHEAD_MAX) {
    stats.skipped++;
    return;
  }
  stats.started++;
  const page = read().catch(() => {
    stats.failed++;
    return null;
  });
  pages.set(cursor, { tenantId: who.tenantId, userId: who.userId, limit, at: now, page });
}

/** The page read ahead for this request, if there is one for it (taken: a retry reads again). */
export async function takeReadAhead(db: Db, who: Principal, cursor: string, limit: number): Promise<PullResponse | null> {
  const { pages, stats } = aheadOf(db);
  const a = pages.get(cursor);
  if (!a || a.tenantId !== who.tenantId || a.userId !== who.userId) return null;
  // Asked for once: a page read for another limit (or too old) will not be asked for again either.
  pages.delete(cursor);
  if (a.limit !== limit || Date.now() - a.at > READ_AHEAD_MS) return null;
  const page = await a.page;
  if (page) stats.served++;
  return page;
}

