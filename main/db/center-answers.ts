// The center's last answer to each read the VOC desk makes (its queue under one set of filters, one
// item's page, the follow-up list), kept so that an offline desk still shows what it last saw, with
// the time it was seen. Stored as the center sent it (already parsed); read back as unknown for the
// caller to parse again with its schema.
import type { Db } from './connection';
import { cached } from './statements';

export type CenterAnswerKind = 'voc_queue' | 'voc_item' | 'follow_ups';

/** How many answers of each kind are kept (the oldest go first): a desk looks at a few hundred items a day. */
export const CENTER_ANSWERS_KEPT = 300;

export function saveCenterAnswer(db: Db, kind: CenterAnswerKind, key: string, data: unknown, fetchedAt: string): void {
  db.transaction(() => {
    cached(db,
      `INSERT INTO center_answers (kind, key, fetched_at, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, key) DO UPDATE SET fetched_at = excluded.fetched_at, data = excluded.data`,
    ).run(kind, key, fetchedAt, JSON.stringify(data));
    cached(db,
      `DELETE FROM center_answers WHERE kind = ? AND key NOT IN
         (SELECT key FROM center_answers WHERE kind = ? ORDER BY fetched_at DESC LIMIT ${CENTER_ANSWERS_KEPT})`,
    ).run(kind, kind);
  })();
}

/** The last answer kept under this key, or null (never asked, or unreadable). */
export function readCenterAnswer(db: Db, kind: CenterAnswerKind, key: string): { fetchedAt: string; data: unknown } | null {
  const row = cached(db, 'SELECT fetched_at, data FROM center_answers WHERE kind = ? AND key = ?').get(kind, key) as
    | { fetched_at: string; data: string }
    | undefined;
  if (!row) return null;
  try {
    return { fetchedAt: row.fetched_at, data: JSON.parse(row.data) as unknown };
  } catch {
    return null;
  }
}
