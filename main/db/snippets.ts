// Saved snippets (migration 0007): the short texts an agent writes themselves for chat and email
// replies, one list per signed-in user, on this computer only. The limits (shared/api/snippets.ts) hold
// here too, so nothing but the API's own checks stands between a caller and the table.
import { SNIPPETS_MAX, SNIPPET_TEXT_MAX, SNIPPET_TITLE_MAX, type Snippet } from '../../shared/api/snippets';
import type { Db } from './connection';
import { cached } from './statements';

/** Why a snippet was not saved: `snippet_limit` (the list is full), `not_found` (not this user's), `bad_request` (too long, empty). */
export class SnippetRefusedError extends Error {
  constructor(
    readonly code: 'snippet_limit' | 'not_found' | 'bad_request',
    message: string,
  ) {
    super(message);
  }
}

interface Row {
  id: string;
  title: string;
  text: string;
  updated_at: string;
}
const toSnippet = (r: Row): Snippet => ({ id: r.id, title: r.title, text: r.text, updatedAt: r.updated_at });

/** This user's snippets, by name (then oldest first for equal names). */
export function listSnippets(db: Db, userId: string): Snippet[] {
  return (cached(db, 'SELECT id, title, text, updated_at FROM reply_snippets WHERE user_id = ? ORDER BY title COLLATE NOCASE, created_at').all(userId) as Row[]).map(toSnippet);
}

/**
 * Adds a snippet (`id` new) or changes one of this user's (`id` theirs); answers the list as it now
 * stands. The count check and the insert run in one transaction, so two saves never make 51.
 */
export function saveSnippet(db: Db, userId: string, s: { id: string; title: string; text: string }, now: string, isNew: boolean): Snippet[] {
  const title = s.title.trim();
  const text = s.text.trim();
  if (title === '' || text === '') throw new SnippetRefusedError('bad_request', 'A snippet needs a name and some text.');
  if (title.length > SNIPPET_TITLE_MAX || text.length > SNIPPET_TEXT_MAX) {
    throw new SnippetRefusedError('bad_request', `A snippet's name is at most ${SNIPPET_TITLE_MAX} characters and its text at most ${SNIPPET_TEXT_MAX}.`);
  }
  db.transaction(() => {
    if (isNew) {
      const count = cached(db, 'SELECT count(*) FROM reply_snippets WHERE user_id = ?', 'pluck').get(userId) as number;
      if (count >= SNIPPETS_MAX) throw new SnippetRefusedError('snippet_limit', `You keep ${SNIPPETS_MAX} snippets already: delete one you no longer use first.`);
      cached(db, 'INSERT INTO reply_snippets (id, user_id, title, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(s.id, userId, title, text, now, now);
      return;
    }
    const changed = cached(db, 'UPDATE reply_snippets SET title = ?, text = ?, updated_at = ? WHERE id = ? AND user_id = ?').run(title, text, now, s.id, userId);
    if (changed.changes === 0) throw new SnippetRefusedError('not_found', 'That snippet is no longer in your list (deleted on this computer?).');
  })();
  return listSnippets(db, userId);
}

/** Deletes one of this user's snippets (another user's is left alone); answers the list as it now stands. */
export function deleteSnippet(db: Db, userId: string, id: string): Snippet[] {
  cached(db, 'DELETE FROM reply_snippets WHERE id = ? AND user_id = ?').run(id, userId);
  return listSnippets(db, userId);
}
