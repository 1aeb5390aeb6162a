// Saved snippets on a real SQLite file: one list per user, added, changed and deleted; kept across a
// reopen; at most 50 per user and short texts, refused with a clear reason through the DesktopApi's own
// dispatch (its zod schema first, then the store), nothing else touched.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SNIPPETS_MAX, SNIPPET_TEXT_MAX } from '../../shared/api/snippets';
import { dispatchApiCall } from '../services/api-dispatch';
import { createSnippetHandlers } from '../services/inbox/snippets';
import type { DesktopApiHandlers } from '../../shared/api/index';
import { openLocalDatabase, type Db } from './connection';
import { deleteSnippet, listSnippets, saveSnippet } from './snippets';
import { T0, tempStore, type TempStore } from './test-fixtures';

const AGENT1 = '0190f000-0000-7000-8000-0000000000a1';
const AGENT2 = '0190f000-0000-7000-8000-0000000000a2';
const id = (n: number) => `0190f000-0000-7000-8000-${String(n).padStart(12, '0')}`;

describe('saved snippets', () => {
  let store: TempStore;
  let db: Db;
  beforeEach(() => {
    store = tempStore();
    db = store.db;
  });
  afterEach(() => store.cleanup());

  it('keeps each user their own list, by name, across a reopen of the file', () => {
    saveSnippet(db, AGENT1, { id: id(1), title: 'Tracking', text: 'Here is your tracking link:' }, T0, true);
    saveSnippet(db, AGENT1, { id: id(2), title: 'apology', text: '  Sorry for the wait.  ' }, T0, true);
    saveSnippet(db, AGENT2, { id: id(3), title: '인사', text: '안녕하세요, 고객님.' }, T0, true);
    db.close();
    db = openLocalDatabase(store.file).db;
    store.db = db;
    expect(listSnippets(db, AGENT1)).toEqual([
      { id: id(2), title: 'apology', text: 'Sorry for the wait.', updatedAt: T0 },
      { id: id(1), title: 'Tracking', text: 'Here is your tracking link:', updatedAt: T0 },
    ]);
    expect(listSnippets(db, AGENT2).map((s) => s.text)).toEqual(['안녕하세요, 고객님.']);
  });

  it('changes and deletes only the user’s own snippets', () => {
    saveSnippet(db, AGENT1, { id: id(1), title: 'Hours', text: 'We are open 9 to 6.' }, T0, true);
    const later = '2026-11-25T02:00:00.000Z';
    expect(saveSnippet(db, AGENT1, { id: id(1), title: 'Hours', text: 'We are open 9 to 7.' }, later, false)).toEqual([{ id: id(1), title: 'Hours', text: 'We are open 9 to 7.', updatedAt: later }]);
    expect(() => saveSnippet(db, AGENT2, { id: id(1), title: 'Mine now', text: 'x' }, later, false)).toThrow(/no longer in your list/);
    expect(deleteSnippet(db, AGENT2, id(1))).toEqual([]);
    expect(listSnippets(db, AGENT1)).toHaveLength(1);
    expect(deleteSnippet(db, AGENT1, id(1))).toEqual([]);
  });

  it('refuses the 51st, an empty one and an overlong one, with the reason, keeping the rest', async () => {
    const handlers = createSnippetHandlers({ db: () => db, userId: () => AGENT1, now: () => new Date(T0) }) as DesktopApiHandlers;
    for (let i = 0; i < SNIPPETS_MAX; i++) {
      const answer = await dispatchApiCall(handlers, 'saveSnippet', [{ title: `Snippet ${String(i).padStart(2, '0')}`, text: `Text ${i}` }]);
      expect(answer.ok).toBe(true);
    }
    const full = await dispatchApiCall(handlers, 'saveSnippet', [{ title: 'One more', text: 'Too many' }]);
    expect(full).toEqual({ ok: false, error: { code: 'snippet_limit', message: expect.stringMatching(/50 snippets already: delete one/) } });
    // Changing one of the fifty is still fine.
    const first = listSnippets(db, AGENT1)[0]!;
    expect(await dispatchApiCall(handlers, 'saveSnippet', [{ id: first.id, title: first.title, text: 'Changed' }])).toMatchObject({ ok: true });

    const long = await dispatchApiCall(handlers, 'saveSnippet', [{ title: 'Long', text: 'x'.repeat(SNIPPET_TEXT_MAX + 1) }]);
    expect(long).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('a snippet is at most 500 characters') } });
    const blank = await dispatchApiCall(handlers, 'saveSnippet', [{ title: 'Blank', text: '   ' }]);
    expect(blank).toEqual({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('a snippet needs some text') } });
    const smuggled = await dispatchApiCall(handlers, 'saveSnippet', [{ title: 'x', text: 'y', userId: AGENT2 }]);
    expect(smuggled).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // A pasted control character is dropped by the API's text policy, never a reason to refuse.
    await dispatchApiCall(handlers, 'deleteSnippet', [{ id: first.id }]);
    expect(await dispatchApiCall(handlers, 'saveSnippet', [{ title: 'Pasted', text: 'from a PDF\u0000' }])).toMatchObject({ ok: true });

    const kept = listSnippets(db, AGENT1);
    expect(kept).toHaveLength(SNIPPETS_MAX);
    expect(kept.find((s) => s.title === 'Pasted')?.text).toBe('from a PDF');
    expect(listSnippets(db, AGENT2)).toEqual([]);
  });
});
