// Local customer search for the agent's search box: by phone digits, email, or words in names and notes (FTS5).
import { toE164 } from '../../shared/domain/phone';
import type { Db } from './connection';

export interface CustomerSummaryRow {
  id: string;
  displayName: string;
  phone: string | null;
  email: string | null;
}

const PHONE_LIKE = /^[\d\s+().-]+$/;

/** Quotes each word for FTS5 (so user input is never query syntax) and makes it a prefix match. */
function ftsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((w) => w.replace(/"/g, ''))
    .filter((w) => w.length > 0);
  return words.length ? words.map((w) => `"${w}"*`).join(' ') : null;
}

function matchingIds(db: Db, query: string, limit: number): string[] {
  const trimmed = query.trim();
  if (PHONE_LIKE.test(trimmed)) {
    const digits = trimmed.replace(/\D/g, '');
    if (digits.length < 3) return [];
    const e164 = toE164(trimmed);
    // Local formats drop the country code and keep a trunk 0: match on the digits after it.
    const core = digits.replace(/^0+/, '');
    const rows = db
      .prepare(
        `SELECT DISTINCT customer_id AS id FROM identities
         WHERE kind = 'phone' AND (value = ? OR value LIKE '%' || ? || '%') LIMIT ?`,
      )
      .all(e164 ?? '', core, limit) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
  if (trimmed.includes('@') && !trimmed.includes(' ')) {
    const rows = db
      .prepare(
        `SELECT DISTINCT customer_id AS id FROM identities
         WHERE kind IN ('email', 'social') AND value LIKE ? ESCAPE '\\' LIMIT ?`,
      )
      .all(`%${trimmed.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`, limit) as Array<{ id: string }>;
    return rows.map((r) => r.id);
  }
  const match = ftsQuery(trimmed);
  if (!match) return [];
  const rows = db
    .prepare(
      `SELECT customer_id AS id, MIN(rank) AS best FROM search_fts WHERE search_fts MATCH ?
       GROUP BY customer_id ORDER BY best LIMIT ?`,
    )
    .all(match, limit) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}

/** Cached customers matching `query`, best first; customers whose rows are not cached are left out. */
export function searchCustomers(db: Db, query: string, limit = 20): CustomerSummaryRow[] {
  const ids = matchingIds(db, query, limit);
  const customer = db.prepare('SELECT id, display_name FROM customers WHERE id = ?');
  const firstIdentity = db.prepare('SELECT value FROM identities WHERE customer_id = ? AND kind = ? ORDER BY value LIMIT 1');
  const out: CustomerSummaryRow[] = [];
  for (const id of ids) {
    const c = customer.get(id) as { id: string; display_name: string } | undefined;
    if (!c) continue;
    const phone = firstIdentity.get(id, 'phone') as { value: string } | undefined;
    const email = firstIdentity.get(id, 'email') as { value: string } | undefined;
    out.push({ id: c.id, displayName: c.display_name, phone: phone?.value ?? null, email: email?.value ?? null });
  }
  return out;
}
